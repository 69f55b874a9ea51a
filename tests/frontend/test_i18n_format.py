# ruff: noqa: RUF001 - the expected Russian texts
"""The frontend's message and number helpers, run as they ship: plural forms through Intl.PluralRules (Russian
one/few/many), seconds through Intl.NumberFormat, error codes worded in both languages. The helpers are bundled
by the frontend's own Vite and run in Node, which has the same Intl data as the browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
VITE = FRONTEND / "node_modules" / ".bin" / "vite"
NODE = shutil.which("node")
BACKEND_APPS = ("clonyvoice", "synthesis", "cloning", "timeline", "voices", "systemstats")

PROBE = """
import { ApiError } from "{src}/api.ts";
import { errorMessage, jobErrorMessage } from "{src}/errors.ts";
import { formatLength, formatSeconds } from "{src}/format.ts";
import { translate, type Lang } from "{src}/i18n/index.tsx";
import { presetDescription } from "{src}/pages/library/labels.ts";

const t = (lang: Lang) => (key: any, vars?: any) => translate(lang, key, vars);
const counts = [0, 1, 2, 5, 11, 21, 22, 25, 101];
const plural = (lang: Lang, key: string, name: string) => counts.map((n) => t(lang)(key, { [name]: n }));
console.log(JSON.stringify({
  sentences: { en: plural("en", "studio.sentences", "n"), ru: plural("ru", "studio.sentences", "n") },
  montage: { en: plural("en", "montages.count", "count"), ru: plural("ru", "montages.count", "count") },
  chars: { en: t("en")("studio.chars", { n: 101100 }), ru: t("ru")("studio.chars", { n: 101100 }) },
  semitones: { en: t("en")("studio.semitones", { n: "1.5" }), ru: t("ru")("studio.semitones", { n: "1.5" }) },
  dubLate: {
    en: [1, 2, 0.35].map((n) => t("en")("dub.note.starts_late", { line: "2", seconds: n })),
    ru: [1, 2, 5, 21, 0.35].map((n) => t("ru")("dub.note.starts_late", { line: "2", seconds: n })),
  },
  seconds: {
    en: [formatSeconds(2.739954648526, t("en"), "en-US"), formatSeconds(20.64, t("en"), "en-US")],
    ru: [formatSeconds(2.739954648526, t("ru"), "ru-RU"), formatSeconds(20.64, t("ru"), "ru-RU")],
    unknown: formatSeconds(null, t("en"), "en-US"),
  },
  lengths: [
    formatLength(4.15, t("en"), "en-US"),
    formatLength(125.4, t("en"), "en-US"),
    formatLength(3725, t("ru"), "ru-RU"),
  ],
  presets: {
    kokoro: presetDescription({
      kind: "preset", engine: "kokoro", engine_voice_id: "jm_kumo",
      description: "Kokoro-82M neural voice (jm_kumo), 24 kHz; one timbre in every language it lists.",
    }, t("ru")),
    piper: presetDescription({
      kind: "preset", engine: "piper", engine_voice_id: "en_US-joe-medium",
      description: "medium quality, 22050 Hz neural voice",
    }, t("ru")),
    own: presetDescription(
      { kind: "cloned", engine: "kokoro", engine_voice_id: "x", description: "My own words" }, t("ru"),
    ),
  },
  errors: {
    known: errorMessage(new ApiError(413, "text_too_long", "The text is 101100 characters; at most 20000."), t("ru")),
    unknown: errorMessage(new ApiError(400, "brand_new_code", "Something the UI has no words for yet."), t("ru")),
    bare: errorMessage(new ApiError(502, "brand_new_code", null), t("en")),
    jobKnown: jobErrorMessage({ error: "The job ran past its time limit.", errorCode: "time_limit" }, t("ru")),
    jobGeneric: jobErrorMessage({ error: "Kokoro could not speak this text.", errorCode: "bad_request" }, t("ru")),
  },
}));
"""

CONFIG = """
export default {{
  root: {root},
  logLevel: "warn",
  build: {{
    lib: {{ entry: {entry}, formats: ["es"], fileName: "probe" }},
    outDir: {out},
    emptyOutDir: true,
    minify: false,
    copyPublicDir: false,
  }},
}};
"""

pytestmark = pytest.mark.skipif(not (NODE and VITE.exists()), reason="node and the frontend's packages are needed")


@pytest.fixture(scope="module")
def probe(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("i18n-probe")
    (folder / "probe.ts").write_text(PROBE.replace("{src}", str(FRONTEND / "src")))
    config = CONFIG.format(
        root=json.dumps(str(FRONTEND)), entry=json.dumps(str(folder / "probe.ts")), out=json.dumps(str(folder / "out"))
    )
    (folder / "vite.config.mjs").write_text(config)
    subprocess.run(
        [str(VITE), "build", "--config", str(folder / "vite.config.mjs")],
        cwd=FRONTEND,
        check=True,
        capture_output=True,
        timeout=120,
    )
    out = subprocess.run([NODE, str(folder / "out" / "probe.js")], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def test_russian_counts_take_their_one_few_and_many_forms(probe):
    # 0, 1, 2, 5, 11, 21, 22, 25, 101
    assert probe["sentences"]["ru"] == [
        "0 предложений",
        "1 предложение",
        "2 предложения",
        "5 предложений",
        "11 предложений",
        "21 предложение",
        "22 предложения",
        "25 предложений",
        "101 предложение",
    ]
    assert probe["montage"]["ru"][1:4] == ["1 генерация", "2 генерации", "5 генераций"]
    assert probe["montage"]["ru"][5] == "21 генерация"


def test_english_counts_have_no_one_size_fits_all_plural(probe):
    assert probe["sentences"]["en"][:3] == ["0 sentences", "1 sentence", "2 sentences"]
    assert probe["montage"]["en"][1:3] == ["1 generation", "2 generations"]
    assert all("(s)" not in text for text in probe["montage"]["en"])


def test_counts_and_fractions_are_written_in_the_language(probe):
    assert probe["chars"] == {"en": "101,100 characters", "ru": "101\u00a0100 символов"}
    assert probe["semitones"] == {"en": "1.5 semitones", "ru": "1,5 полутона"}


def test_a_dubs_note_counts_its_seconds_in_the_language(probe):
    assert probe["dubLate"]["en"] == [
        "Line 2 starts 1 second late: the line before it runs into it.",
        "Line 2 starts 2 seconds late: the line before it runs into it.",
        "Line 2 starts 0.35 seconds late: the line before it runs into it.",
    ]
    assert [text.split(" позже")[0] for text in probe["dubLate"]["ru"]] == [
        "Реплика 2 начинается на 1 секунду",
        "Реплика 2 начинается на 2 секунды",
        "Реплика 2 начинается на 5 секунд",
        "Реплика 2 начинается на 21 секунду",
        "Реплика 2 начинается на 0,35 секунды",
    ]


def test_seconds_have_one_decimal_in_the_languages_own_notation(probe):
    assert probe["seconds"]["en"] == ["2.7 s", "20.6 s"]
    assert probe["seconds"]["ru"] == ["2,7 с", "20,6 с"]
    assert probe["seconds"]["unknown"] == "—"
    assert probe["lengths"] == ["4.2 s", "2:05", "1:02:05"]


def test_preset_descriptions_are_in_the_uis_language_and_own_ones_as_written(probe):
    assert probe["presets"] == {
        "kokoro": "Нейросетевой голос Kokoro-82M (jm_kumo), 24 кГц; один тембр на всех перечисленных языках.",
        "piper": "Нейросетевой голос, среднее качество, 22050 Гц",
        "own": "My own words",
    }


def test_error_codes_are_worded_by_the_ui_and_detail_is_only_a_fallback(probe):
    assert probe["errors"]["known"] == "Текст длиннее допустимого для одного запроса. Разделите его на части."
    assert probe["errors"]["unknown"] == "Something the UI has no words for yet."
    assert probe["errors"]["bare"] == "The server answered with an error (HTTP 502)."
    assert probe["errors"]["jobKnown"] == "Задача не уложилась в отведённое время."
    assert probe["errors"]["jobGeneric"] == "Kokoro could not speak this text."  # a generic code says less


def _backend_error_codes() -> set[str]:
    """Every code the backend answers with: `code = "..."` on error classes, `code="..."` where one is raised,
    `"error": "..."` in bodies built by hand, and the codes mapped from DRF's and Django's own errors."""
    pattern = re.compile(r'(?:\bcode\s*=\s*|"error":\s*|:\s*)"([a-z][a-z0-9_]+)"')
    codes: set[str] = set()
    for app in BACKEND_APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            codes |= set(re.findall(r'^    code = "([a-z][a-z0-9_]+)"$', text, re.M))
            codes |= set(re.findall(r'(?:\bcode=|"error":\s*)"([a-z][a-z0-9_]+)"', text))
            for table in re.findall(r"_CODES\s*=\s*\{(.*?)\}", text, re.S):
                codes |= set(pattern.findall(table))
    return codes


def test_every_error_code_the_backend_raises_has_words_in_both_languages():
    catalog = (FRONTEND / "src/i18n/errors.ts").read_text()
    english, russian = catalog.split("export const ru")
    codes = _backend_error_codes() - {"error"}
    assert {"text_too_long", "invalid_media", "not_found", "rate_limited", "version_conflict"} <= codes
    missing = {
        lang: sorted(c for c in codes if f'"error.{c}":' not in part)
        for lang, part in (("en", english), ("ru", russian))
    }
    assert missing == {"en": [], "ru": []}


def test_russian_plural_messages_name_all_three_forms():
    texts = [(FRONTEND / "src/i18n/ru.ts").read_text()] + [
        p.read_text() for p in (FRONTEND / "src/i18n/pages").glob("*.ts")
    ]
    for text in texts:
        russian = text.split("export const ru", 1)[-1]
        for message in re.findall(r"\{\w+, plural,[^\n]*", russian):
            if re.search(r"[\u0400-\u04FF]", message):
                assert all(f" {form} {{" in message for form in ("one", "few", "many")), message
