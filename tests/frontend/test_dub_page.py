"""The Dub page in headless Chromium against the real product, at a desktop's and a phone's width, in English and
Russian: a short clip made here (preset speech + a picture) is dubbed into Spanish with a library voice by the real
worker, the stages go by, and the result plays and downloads as an MP4; a file that is no video is refused in the
browser, a link the server refuses is worded in the user's language, and Cancel stops a running dub."""

from __future__ import annotations

import math
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.frontend.test_browser import ARGS, CHROMIUM, _log_in, _shot
from tests.frontend.test_timeline import _wait_generation

pytestmark = [pytest.mark.live, pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
OVERFLOW = "() => document.documentElement.scrollWidth"
CYRILLIC = re.compile("[\u0400-\u04ff]")
SPEECH = "Good morning, everybody. Today we are going to talk about the weather in the mountains."
STAGES = ["extract", "transcribe", "translate", "clone", "speak", "fit", "assemble", "render"]
# Far too long for the first line's time, even spoken faster and stretched: the dub's notes say where it went.
LONG_LINE = (
    "Hola a todos, muy buenos días a todos mis amigos de aquí, de allá y de todas partes del mundo entero. "
    "Hoy vamos a hablar largo y tendido del tiempo que hace en las montañas, de la lluvia, del viento y de la nieve "
    "que cae en invierno sobre los pueblos pequeños del norte."
)
MOVED = {"moved_into_silence", "pushed_next", "past_end"}
# Every data-stage value the stage list takes, in order, from the moment the page loads.
STAGE_WATCH = """() => {
  window.__dubStages = [];
  new MutationObserver(() => {
    const stage = document.querySelector('[data-testid=dub-stages]')?.dataset.stage;
    if (stage && window.__dubStages.at(-1) !== stage) window.__dubStages.push(stage);
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-stage']});
}"""


def _wait_job(client: httpx.Client, task_id: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(f"/api/jobs/{task_id}")
        assert response.status_code in (200, 429), response.text  # 429: the key's per-minute limit, wait
        status = response.json().get("status")
        if status in {"succeeded", "failed", "cancelled"}:
            assert status == "succeeded", response.text
            return
        time.sleep(1.0)
    raise AssertionError(f"job {task_id} did not finish")


def _seconds(path: Path) -> float:
    """ffprobe's duration of the file's container."""
    args = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)]
    return float(subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip())


def _written(value: float, lang: str, digits: int = 2) -> str:
    """A small number as the page writes it in the UI's language: a note's seconds rounded as Math.round does, at
    most two decimals (Intl's default form); `digits`=1: always one decimal (formatSeconds)."""
    text = f"{value:.1f}" if digits == 1 else f"{math.floor(value * 100 + 0.5) / 100:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "ru" else text


@pytest.fixture(scope="module")
def clip(product, product_key, tmp_path_factory) -> Path:
    """A few seconds of an English preset voice over a picture: an MP4 made with ffmpeg."""
    folder = tmp_path_factory.mktemp("dub")
    speech = folder / "speech.wav"
    with product.client(product_key) as client:
        product.wait_for_workers(product_key)
        voices = client.get("/api/voices", params={"engine": "kokoro", "language": "en", "kind": "preset"}).json()
        started = client.post("/api/generate/preset", json={"text": SPEECH, "voice_id": voices["results"][0]["id"]})
        assert started.status_code == 202, started.text
        generation = _wait_generation(client, started.json()["task_id"], timeout=180)
        audio = client.get(generation["audio_url"])
        assert audio.status_code == 200
    speech.write_bytes(audio.content)
    video = folder / "talk.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15", "-i", str(speech),
         "-shortest", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", str(video)],
        check=True,
        timeout=120,
    )  # fmt: skip
    return video


@pytest.fixture
def screen(request, product):
    from playwright.sync_api import sync_playwright

    lang, viewport = request.param
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport=viewport, locale="ru-RU" if lang == "ru" else "en-US")
        page = context.new_page()
        page.set_default_timeout(45_000)  # the machine is shared: a login can take long under load
        yield page, lang, viewport["width"]
        browser.close()


def _open_dub(page, product, lang: str) -> None:
    _log_in(page, product)
    page.evaluate(f"localStorage.setItem('clonyvoice.lang', '{lang}')")
    page.goto(f"{product.url}/dub")
    page.get_by_test_id("dub-go").wait_for()
    # The target languages come from the server's translation pairs.
    page.locator('[data-testid="dub-target-language"] option[value="es"]').wait_for(state="attached")


def _fits(page, width: int) -> None:
    assert page.evaluate(OVERFLOW) <= width, "the page scrolls sideways"


@pytest.mark.parametrize("screen", [("en", DESKTOP), ("ru", PHONE)], ids=["en-1440", "ru-390"], indirect=True)
def test_dub_a_clip_into_spanish_with_a_library_voice(screen, product, product_key, clip, tmp_path):
    page, lang, width = screen
    _open_dub(page, product, lang)
    page.evaluate(STAGE_WATCH)

    page.get_by_test_id("dub-file").set_input_files(str(clip))
    check = page.get_by_test_id("dub-file-check")
    page.locator('[data-testid="dub-file-check"][data-check="ok"]').wait_for()
    assert ("Видео" if lang == "ru" else "Video") in check.inner_text()

    target = page.get_by_test_id("dub-target-language")
    target.select_option("es")
    assert ("испанский" if lang == "ru" else "Spanish") in target.locator("option:checked").inner_text()
    voice = page.get_by_test_id("dub-voice")
    library = voice.locator("optgroup option").first
    library.wait_for(state="attached")
    voice.select_option(library.get_attribute("value"))
    assert page.get_by_test_id("dub-quality").is_disabled()  # nothing is cloned
    _fits(page, width)
    _shot(page, f"dub-form-{lang}-{width}", tmp_path)

    page.get_by_test_id("dub-go").click()
    page.get_by_test_id("dub-progress").wait_for()
    page.locator('[data-testid="dub-stage-clone"][data-state="skipped"]').wait_for()
    page.locator('[data-testid="dub-stages"] [data-state="current"]').wait_for(timeout=120_000)
    _shot(page, f"dub-progress-{lang}-{width}", tmp_path)
    page.get_by_test_id("dub-result").wait_for(timeout=600_000)

    seen = page.evaluate("() => window.__dubStages")
    assert len(seen) >= 3 and set(seen) <= set(STAGES), seen
    assert [STAGES.index(stage) for stage in seen] == sorted(STAGES.index(stage) for stage in seen), seen
    states = {stage: page.get_by_test_id(f"dub-stage-{stage}").get_attribute("data-state") for stage in STAGES}
    assert states == {stage: "skipped" if stage == "clone" else "done" for stage in STAGES}
    names = page.get_by_test_id("dub-stages").inner_text()
    assert bool(CYRILLIC.search(names)) == (lang == "ru")

    rows = page.locator('[data-testid^="dub-segment-"]')
    assert rows.count() >= 1
    assert "weather" in page.get_by_test_id("dub-segments").inner_text().lower()
    assert page.get_by_test_id("dub-speakers").locator("li").count() >= 1
    assert page.get_by_test_id("dub-result-video").get_attribute("src")
    # The duration is the source's (ffprobe's), written as the UI's language writes numbers.
    duration = page.get_by_test_id("dub-result-duration")
    assert float(duration.get_attribute("data-value")) == pytest.approx(_seconds(clip), abs=0.01)
    assert _written(_seconds(clip), lang, 1) in duration.inner_text()

    # The MP4 link answers an MP4 (with this browser's session), and the subtitles are SRT.
    video = page.request.get(product.url + page.get_by_test_id("dub-download-video").get_attribute("href"))
    assert video.status == 200 and video.headers["content-type"] == "video/mp4"
    assert video.body()[4:8] == b"ftyp"
    srt = page.request.get(product.url + page.get_by_test_id("dub-download-srt").get_attribute("href"))
    assert srt.status == 200 and "-->" in srt.text()
    _fits(page, width)
    _shot(page, f"dub-result-{lang}-{width}", tmp_path)

    # The dub is in the list of earlier ones, and opens in the timeline editor.
    job_id = page.get_by_test_id("dub-result").get_attribute("data-job")
    page.get_by_test_id(f"dub-list-{job_id}").wait_for()
    page.get_by_test_id("dub-open-timeline").click()
    page.get_by_test_id("timeline-editor").wait_for()

    # The first line made far too long (as the timeline's regenerate does): the reopened dub's note says so in the
    # UI's language, with the line's number and its seconds (a plural by Intl.PluralRules) as the language writes.
    with product.client(product_key) as client:
        redo = client.post("/api/generate/regenerate-chunk", json={"task_id": job_id, "index": 0, "text": LONG_LINE})
        assert redo.status_code == 202, redo.text
        _wait_job(client, redo.json()["task_id"])
        dub = client.get(f"/api/dub/{job_id}").json()
    moved = [note for note in dub["notes"] if note["code"] in MOVED and note["segment"] == 0]
    assert len(moved) == 1, (dub["notes"], dub["segments"], dub["duration"])
    moved = moved[0]
    page.goto(f"{product.url}/dub?dub={job_id}")
    shown = page.locator(f'[data-testid="dub-notes"] li[data-code="{moved["code"]}"][data-segment="0"]')
    shown.wait_for()
    text = shown.inner_text()
    assert bool(CYRILLIC.search(text)) == (lang == "ru") and text != moved["text"]
    line, unit = ("Реплика 1 ", "секунд") if lang == "ru" else ("Line 1 ", "second")
    assert text.startswith(line) and f"{_written(moved['seconds'], lang)} {unit}" in text, (text, moved)
    assert page.get_by_test_id("dub-progress-cancel").count() == 0  # a finished dub offers no Cancel
    _fits(page, width)
    _shot(page, f"dub-notes-{lang}-{width}", tmp_path)


@pytest.mark.parametrize("screen", [("en", PHONE), ("ru", DESKTOP)], ids=["en-390", "ru-1440"], indirect=True)
def test_a_file_that_is_no_video_and_a_refused_link_are_worded_and_cancel_stops_a_dub(screen, product, clip, tmp_path):
    page, lang, width = screen
    notes = tmp_path / "notes.txt"
    notes.write_text("These are notes, not a video.")
    _open_dub(page, product, lang)

    # A direction nothing installed translates is offered with the command that installs it, as on the Tools page.
    missing = page.get_by_test_id("dub-missing")
    missing.locator("summary").click()
    assert "python manage.py models pull translation:" in missing.inner_text()
    missing.locator("summary").click()

    page.get_by_test_id("dub-file").set_input_files(str(notes))
    refused = page.locator('[data-testid="dub-file-check"][data-check="undecodable"]')
    refused.wait_for()
    assert "notes.txt" in refused.inner_text()
    assert bool(CYRILLIC.search(refused.inner_text())) == (lang == "ru")
    assert page.get_by_test_id("dub-go").is_disabled()

    # A link to this machine: the server's download guards refuse it before any work starts.
    page.get_by_test_id("dub-source-url").click()
    page.get_by_test_id("dub-url").fill("http://127.0.0.1:9/talk.mp4")
    page.get_by_test_id("dub-target-language").select_option("es")
    page.get_by_test_id("dub-go").click()
    error = page.get_by_test_id("dub-error")
    error.wait_for()
    assert error.get_attribute("data-code") == "url_refused"
    text = error.inner_text()
    assert bool(CYRILLIC.search(text)) == (lang == "ru")
    assert ("публичных адресов" if lang == "ru" else "only public http and https") in text
    assert page.get_by_test_id("dub-progress-card").count() == 0
    _fits(page, width)
    _shot(page, f"dub-bad-input-{lang}-{width}", tmp_path)

    # A good clip, cloned (the default voice): Cancel while it runs ends the job as cancelled.
    page.get_by_test_id("dub-source-file").click()
    page.get_by_test_id("dub-file").set_input_files(str(clip))
    page.locator('[data-testid="dub-file-check"][data-check="ok"]').wait_for()
    page.get_by_test_id("dub-go").click()
    page.locator('[data-testid="dub-stages"] [data-state="current"]').wait_for(timeout=120_000)
    page.get_by_test_id("dub-progress-cancel").click()
    page.locator('[data-testid="dub-progress"][data-status="cancelled"]').wait_for(timeout=120_000)
    cancelled = page.get_by_test_id("dub-cancelled").inner_text()
    assert bool(CYRILLIC.search(cancelled)) == (lang == "ru")
    assert page.get_by_test_id("dub-result").count() == 0
