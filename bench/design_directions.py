"""Voice design directions by measurement (not a test): what moving a Kokoro style table does to the speech.

Kokoro speaks a few fixed sentences with each packaged voice and with points sampled around each voice in the span
of the packaged voices (the principal directions of their 5 x 510 style rows, scaled by the voices' spread, see
synthesis/engines/kokoro/fitting.basis; every point is the voice's table plus one offset on all rows, coordinates
drawn from a standard normal: moves as large as the voices differ). Each clip is measured
(synthesis/engines/kokoro/design.measure): mean log-F0 (pitch), F0 spread, speaking rate (pace), spectral centroid
(brightness; warmth is its opposite), cepstral peak prominence (breathiness: the lower, the breathier), spectral
tilt (reported). A ridge regression of each attribute on the coordinates, with one intercept per voice, gives the
direction of each attribute; its cross-validated R² says how far to trust it. Gender comes from the voices' labels
(jf_ female, jm_ male; their F0 is reported beside them). Age is not measurable here (no voice carries an age
label): it is approximated as moves of the measured attributes, written in the file. Accent is the language's
phonemes, not the timbre: a designed voice speaks every language Kokoro speaks with that language's own accent.

Then the checks: designed voices for "a high-pitched young woman" and "a deep older man" (three seeds each, F0 in
Hz measured on their speech) and the Whisper (base) word error rate of one designed voice reading the English and
Spanish paragraphs of bench/voices.py.

    .venv/bin/python bench/design_directions.py                 # measure, fit and check; print
    .venv/bin/python bench/design_directions.py --write         # ... and write kokoro/design_directions.json
    .venv/bin/python bench/design_directions.py --per-voice 4   # fewer sampled points (quicker, rougher)
    .venv/bin/python bench/design_directions.py --checks-only --write   # only the checks, on the written file
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clonyvoice.settings")

import django  # noqa: E402

django.setup()

from bench.voices import PARAGRAPHS  # noqa: E402
from cloning.design.description import parse_description  # noqa: E402
from cloning.transcription import engine as whisper  # noqa: E402
from cloning.transcription.wer import word_error_rate  # noqa: E402
from clonyvoice.audio import Audio  # noqa: E402
from synthesis.engines.kokoro import design, engine, fitting, phonemes  # noqa: E402

SENTENCES = fitting.SENTENCES["en"][:3]
DIMS = 8  # the principal directions that carry the voices' variance (fitting.basis)
RIDGE = 1.0
GENDERS = {"f": "female", "m": "male"}
# Age, approximated (no packaged voice has an age label, so nothing here is measured): amounts in attribute scales,
# in the directions the literature on ageing voices reports — children higher in pitch and brighter (shorter vocal
# tracts), older speakers slower, breathier and a little lower, with a narrower pitch range.
AGE = {
    "child": {"pitch": 1.5, "brightness": 1.0, "pace": 0.3},
    "young": {"pitch": 0.3, "pace": 0.3},
    "middle": {},
    "old": {"pitch": -0.4, "pace": -0.6, "breathiness": 0.6, "spread": -0.3},
}
CHECKS = {
    "high-pitched young woman": "a high-pitched young woman",
    "deep older man": "a deep older man",
}
WER_DESCRIPTION = "a warm, low-pitched older man, slow and calm"


class Speaker:
    """Kokoro speaking the fixed sentences (or any text) with a style table."""

    def __init__(self) -> None:
        self.kokoro, tables = engine.runtime()
        self.tables = {name: table.reshape(fitting.ROWS, fitting.WIDTH) for name, table in tables.items()}
        english = phonemes.resolve("en-us")
        self.ipa = [phonemes.phonemize(text, english) for text in SENTENCES]
        self.phonemes = sum(len(self.kokoro.tokenizer.tokenize(ipa)) for ipa in self.ipa)

    def say(self, table: np.ndarray, ipa: list[str]) -> tuple[np.ndarray, int]:
        voice = np.asarray(table, dtype=np.float32).reshape(fitting.ROWS, 1, fitting.WIDTH)
        parts, rate = [], 24000
        for line in ipa:
            samples, rate = self.kokoro.create(line, voice=voice, speed=1.0, is_phonemes=True)
            parts += [np.asarray(samples, dtype=np.float32), np.zeros(rate // 5, dtype=np.float32)]
        return np.concatenate(parts), rate

    def attributes(self, table: np.ndarray) -> dict[str, float]:
        samples, rate = self.say(table, self.ipa)
        return design.measure(samples, rate, self.phonemes)


def sample(speaker: Speaker, span: np.ndarray, per_voice: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows = []
    for name in sorted(speaker.tables):
        points = [np.zeros(len(span))] + [rng.standard_normal(len(span)) for _ in range(per_voice)]
        for z in points:
            table = speaker.tables[name] + (z @ span)[None, :]
            rows.append({"voice": name, "z": z, "attributes": speaker.attributes(table)})
            shown = "  ".join(f"{k} {v:7.3f}" for k, v in rows[-1]["attributes"].items())
            print(f"  {name:14} |z| {np.linalg.norm(z):4.2f}  {shown}", flush=True)
    return rows


def _within(rows: list[dict], values: np.ndarray) -> np.ndarray:
    """Each row minus the mean of its voice's rows: what the offset did, the voice's own level removed."""
    out = values.astype(np.float64).copy()
    voices = np.array([row["voice"] for row in rows])
    for name in set(voices):
        out[voices == name] -= out[voices == name].mean(axis=0)
    return out


def ridge(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.linalg.solve(x.T @ x + RIDGE * np.eye(x.shape[1]), x.T @ y)


def fit(rows: list[dict]) -> dict[str, dict]:
    """Per attribute: the effect of a unit move along each coordinate (in the attribute's scale), the scale, R²."""
    x = _within(rows, np.stack([row["z"] for row in rows]))
    fitted = {}
    for name in design.ATTRIBUTES:
        y = _within(rows, np.array([row["attributes"][name] for row in rows]))
        # The scale: the attribute's spread over moves as large as the voices differ (the sampled points).
        scale = float(np.std(y))
        weights = ridge(x, y)
        folds = np.arange(len(rows)) % 5
        predicted = np.zeros_like(y)
        for fold in range(5):
            held = folds == fold
            predicted[held] = x[held] @ ridge(x[~held], y[~held])
        r2 = 1.0 - float(np.sum((y - predicted) ** 2) / max(np.sum(y**2), 1e-12))
        fitted[name] = {"effect": [round(float(w) / scale, 5) for w in weights], "scale": round(scale, 5), "r2": r2}
    return fitted


def voices_of(rows: list[dict]) -> dict[str, dict]:
    """Each packaged voice's label and its own measured attributes (the unmoved point)."""
    return {
        row["voice"]: {
            "gender": GENDERS.get(row["voice"].split("_")[0][-1:], ""),
            "f0_hz": round(2 ** row["attributes"]["pitch"], 1),
            "attributes": {name: round(row["attributes"][name], 5) for name in design.ATTRIBUTES},
            "tilt_db_per_octave": round(row["attributes"]["tilt"], 2),
        }
        for row in rows
        if not row["z"].any()
    }


def document(rows: list[dict], span: np.ndarray, per_voice: int, seconds: float) -> dict:
    fitted = fit(rows)
    return {
        "measured": dt.date.today().isoformat(),
        "command": f".venv/bin/python bench/design_directions.py --write --per-voice {per_voice}",
        "method": (
            "Kokoro spoke the sentences with each packaged voice and with points around it (the voice plus one "
            "offset on all rows, z @ span, z ~ N(0, 1)); each attribute was regressed (ridge, one intercept per voice) "
            "on z. effect: the attribute's change per unit of each coordinate, in scales; scale: its standard "
            "deviation over the sampled moves (an amount of 1, a clear request, moves it by one scale); r2: 5-fold "
            "cross-validated; an attribute below design.MIN_R2 is not moved along its direction (the start voice "
            "serves it). seconds: how long the measurement took."
        ),
        "sentences": SENTENCES,
        "points": len(rows),
        "seconds": round(seconds, 1),
        "units": {
            "pitch": "mean log2 F0 (Hz)",
            "spread": "std of log2 F0",
            "pace": "log2 phonemes per second of sound",
            "brightness": "log2 spectral centroid (Hz); warmth is its opposite",
            "breathiness": "minus the mean cepstral peak prominence of voiced frames (dB)",
        },
        "attributes": fitted,
        "voices": voices_of(rows),
        "gender": "from the voices' labels (jf_ female, jm_ male); a design starts from voices of the asked gender",
        "age": {
            "note": "approximated, not measured: no packaged voice carries an age label. Amounts in scales.",
            "amounts": AGE,
        },
        "accent": (
            "not a direction: accent is the language's phonemes (espeak-ng), not the timbre. A designed voice speaks "
            "every language Kokoro speaks, each with its own accent; an accent word picks the voice's first language."
        ),
        "span": [[round(float(v), 6) for v in row] for row in span],
    }


def designed(speaker: Speaker, space: design.Directions, description: str, seed: int) -> tuple[np.ndarray, dict]:
    placed = design.place(parse_description(description), seed, space)
    return design.table_of(placed, speaker.tables, space), placed


def checks(speaker: Speaker, space: design.Directions) -> dict:
    """F0 of designed voices for two opposite descriptions; Whisper WER of one designed voice."""
    result: dict = {"f0_hz": {}, "wer": {}}
    for label, description in CHECKS.items():
        values = []
        for seed in range(3):
            table, placed = designed(speaker, space, description, seed)
            measured = speaker.attributes(table)
            values.append(round(2 ** measured["pitch"], 1))
            print(
                f"  {label:26} seed {seed}: start {placed['start']:34} F0 {values[-1]:6.1f} Hz "
                f"(predicted {placed['predicted_f0_hz']} Hz)",
                flush=True,
            )
        result["f0_hz"][label] = values
    table, placed = designed(speaker, space, WER_DESCRIPTION, 0)
    for language, tag in (("en", "en-us"), ("es", "es")):
        text = PARAGRAPHS[language]
        ipa = [phonemes.phonemize(text, phonemes.resolve(tag))]
        samples, rate = speaker.say(table, ipa)
        heard = whisper.transcribe(Audio(samples, rate), model="base", language=language, word_timestamps=False).text
        result["wer"][language] = round(word_error_rate(text, heard), 4)
        print(f"  WER ({language}) of '{WER_DESCRIPTION}' seed 0: {result['wer'][language]:.1%}", flush=True)
    result["wer_voice"] = {"description": WER_DESCRIPTION, "seed": 0, "start": placed["start"]}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help=f"write {design.DIRECTIONS_FILE.relative_to(ROOT)}")
    parser.add_argument("--per-voice", type=int, default=8, help="sampled points around each voice")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--checks-only", action="store_true", help="re-run the checks on the written directions")
    args = parser.parse_args()

    speaker = Speaker()
    if args.checks_only:
        doc = json.loads(design.DIRECTIONS_FILE.read_text(encoding="utf-8"))
        doc["checks"] = checks(speaker, design.directions())
        if args.write:
            design.DIRECTIONS_FILE.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"wrote the checks into {design.DIRECTIONS_FILE.relative_to(ROOT)}")
        return
    span = fitting.basis(speaker.tables, DIMS, 0).astype(np.float64)
    started = time.monotonic()
    print(f"measuring {len(speaker.tables) * (args.per_voice + 1)} points:", flush=True)
    rows = sample(speaker, span, args.per_voice, args.seed)
    doc = document(rows, span, args.per_voice, time.monotonic() - started)
    print("\n| attribute | scale | cross-validated R² |\n|---|---|---|")
    for name, row in doc["attributes"].items():
        print(f"| {name} | {row['scale']:.4f} | {row['r2']:.2f} |")
    for name, voice in doc["voices"].items():
        print(f"  {name:14} {voice['gender']:6} F0 {voice['f0_hz']:6.1f} Hz")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "directions.json"
        path.write_text(json.dumps(doc))
        space = design.directions(path)
    print("checks:", flush=True)
    doc["checks"] = checks(speaker, space)
    if args.write:
        design.DIRECTIONS_FILE.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {design.DIRECTIONS_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
