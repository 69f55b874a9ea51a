"""Clone, Design and the Library's export/import in headless Chromium against the real product.

Cloning is tested from an uploaded clip (with a region drawn on its waveform) and from a recording made through
Chromium's fake microphone, which plays a WAV file made by espeak-ng.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.frontend.test_browser import ARGS, CHROMIUM, _shot
from tests.frontend.test_browser import _log_in as _browser_log_in

pytestmark = [
    pytest.mark.live,
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed (bin/setup --dev installs it)"),
]

SPEECH = (
    "The quick brown fox jumps over the lazy dog. Every morning I walk along the river and count the boats. "
    "Sometimes the water is calm, and sometimes the wind makes little waves."
)


def _speech_wav(path: Path, text: str = SPEECH, voice: str = "en-us") -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(path), text], check=True, timeout=60)
    return path


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory) -> Path:
    """About 10 s of English speech."""
    return _speech_wav(tmp_path_factory.mktemp("clips") / "speech.wav")


@pytest.fixture
def mic_page(product, speech_wav):
    """A page whose microphone is Chromium's fake device playing `speech_wav` (permission granted)."""
    from playwright.sync_api import sync_playwright

    args = [
        *ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={speech_wav}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-US")
        context.grant_permissions(["microphone"], origin=product.url)
        page = context.new_page()
        page.set_default_timeout(45_000)  # the machine is shared: a login can take long under load
        yield page
        browser.close()


def _log_in(page, product) -> None:
    try:
        _browser_log_in(page, product)
    except Exception:
        page.screenshot(path="/tmp/fe3-login-fail.png")
        print("URL", page.url)
        print(product.log()[-6000:])
        raise


def _wait_for_result(page, prefix: str) -> dict:
    """Progress shows, the job succeeds, the result card shows the voice; answers its data attributes."""
    page.get_by_test_id(f"{prefix}-progress").wait_for()
    page.locator(f'[data-testid="{prefix}-progress"][data-status="succeeded"]').wait_for(timeout=180_000)
    result = page.get_by_test_id(f"{prefix}-result")
    result.wait_for(timeout=30_000)
    return {
        "voice": result.get_attribute("data-voice"),
        "engine": result.get_attribute("data-engine"),
        "similarity": page.get_by_test_id(f"{prefix}-result-similarity").get_attribute("data-value"),
    }


def _voice(product, key: str, voice_id: str) -> dict:
    answer = httpx.get(f"{product.url}/api/voices/{voice_id}", headers={"X-API-Key": key})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_clone_from_an_uploaded_clip_with_a_region(mic_page, product, product_key, speech_wav, tmp_path):
    page = mic_page
    _log_in(page, product)
    page.get_by_test_id("nav-clone").click()
    page.get_by_test_id("clone-file-input").set_input_files(str(speech_wav))
    page.locator('[data-testid="clone-wave-0"][data-ready="true"]').wait_for()
    assert page.get_by_test_id("clone-mode").get_attribute("data-mode") == "single"

    # A region: drag across the waveform, then widen it with the button's default length if it is too short.
    canvas = page.locator('[data-testid="clone-wave-0"] .wave-canvas')
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2, steps=12)
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2, steps=12)
    page.mouse.up()
    page.locator('[data-testid="clone-wave-0"][data-regions="1"]').wait_for()
    assert page.get_by_test_id("clone-mode").get_attribute("data-mode") == "clips"
    # A second region from the button, then removed again.
    page.get_by_test_id("clone-region-add-0").click()
    page.locator('[data-testid="clone-wave-0"][data-regions="2"]').wait_for()
    page.get_by_test_id("clone-region-remove-0-1").click()
    page.locator('[data-testid="clone-wave-0"][data-regions="1"]').wait_for()

    page.get_by_test_id("clone-name").fill("Uploaded fox")
    page.get_by_test_id("clone-transcript").fill(SPEECH)
    _shot(page, "clone-ready", tmp_path)
    page.get_by_test_id("clone-create").click()
    made = _wait_for_result(page, "clone")
    assert made["engine"]
    page.get_by_test_id("clone-result-preview").wait_for()
    assert "%" in page.get_by_test_id("clone-result-similarity").inner_text()
    _shot(page, "clone-result", tmp_path)

    voice = _voice(product, product_key, made["voice"])
    assert voice["name"] == "Uploaded fox"
    assert voice["kind"] == "cloned"
    assert voice["preview_url"]
    if voice.get("similarity") is not None:
        assert abs(float(made["similarity"]) - voice["similarity"]) < 1e-6

    page.get_by_test_id("clone-result-studio").click()
    page.wait_for_url(f"**/studio?voice={made['voice']}")


def test_clone_from_a_browser_recording(mic_page, product, product_key, tmp_path):
    page = mic_page
    _log_in(page, product)
    page.get_by_test_id("nav-clone").click()
    page.get_by_test_id("clone-record-start").click()
    page.get_by_test_id("clone-record-stop").wait_for()
    time.sleep(7)
    _shot(page, "clone-recording", tmp_path)
    page.get_by_test_id("clone-record-stop").click()
    item = page.locator('[data-testid="clone-file-0"][data-origin="recording"]')
    item.wait_for()
    page.locator('[data-testid="clone-wave-0"][data-ready="true"]').wait_for()
    page.get_by_test_id("clone-name").fill("Recorded voice")
    # No transcript: the worker transcribes the recording.
    page.get_by_test_id("clone-create").click()
    made = _wait_for_result(page, "clone")
    assert made["similarity"] is not None
    _shot(page, "clone-recorded-result", tmp_path)
    voice = _voice(product, product_key, made["voice"])
    assert voice["name"] == "Recorded voice"
    assert voice["is_available"]


def _candidates(page) -> list[str]:
    """Progress shows, the design succeeds, three candidates with players are offered: their voice ids."""
    page.get_by_test_id("design-progress").wait_for()
    page.locator('[data-testid="design-progress"][data-status="succeeded"]').wait_for(timeout=240_000)
    page.locator('[data-testid="design-candidates"][data-count="3"]').wait_for(timeout=30_000)
    voices = []
    for index in range(3):
        page.get_by_test_id(f"design-candidate-preview-{index}").wait_for()
        voices.append(page.get_by_test_id(f"design-candidate-{index}").get_attribute("data-voice"))
    return voices


def _status(product, key: str, voice_id: str) -> int:
    return httpx.get(f"{product.url}/api/voices/{voice_id}", headers={"X-API-Key": key}).status_code


def _library_ids(product, key: str) -> set[str]:
    answer = httpx.get(f"{product.url}/api/voices", params={"page_size": 500}, headers={"X-API-Key": key})
    return {voice["id"] for voice in answer.json()["results"]}


def test_design_offers_three_candidates_and_keeps_one(mic_page, product, product_key, tmp_path):
    page = mic_page
    _log_in(page, product)
    page.get_by_test_id("nav-design").click()
    page.get_by_test_id("design-example-0").click()
    description = page.get_by_test_id("design-description").input_value()
    assert "warm" in description
    page.get_by_test_id("design-description").fill(description + ", like a lighthouse keeper")
    page.get_by_test_id("design-seed").fill("7")
    page.get_by_test_id("design-generate").click()
    ignored = page.get_by_test_id("design-ignored")
    ignored.wait_for()
    assert "lighthouse" in ignored.inner_text()
    candidates = _candidates(page)
    assert [page.get_by_test_id(f"design-candidate-seed-{i}").inner_text() for i in range(3)] == [
        "seed 7",
        "seed 8",
        "seed 9",
    ]
    assert not set(candidates) & _library_ids(product, product_key)  # offered, not in the Library
    _shot(page, "design-candidates", tmp_path)

    page.get_by_test_id("design-keep-name").fill("Lighthouse keeper")
    page.get_by_test_id("design-keep-1").click()
    page.get_by_test_id("design-kept").wait_for()
    assert page.get_by_test_id("design-result").get_attribute("data-voice") == candidates[1]
    page.get_by_test_id("design-result-preview").wait_for()
    _shot(page, "design-kept", tmp_path)
    voice = _voice(product, product_key, candidates[1])
    assert voice["kind"] == "designed" and voice["name"] == "Lighthouse keeper" and voice["is_available"]
    assert candidates[1] in _library_ids(product, product_key)
    assert [_status(product, product_key, other) for other in (candidates[0], candidates[2])] == [404, 404]


def test_leaving_the_design_page_keeps_none(mic_page, product, product_key, tmp_path):
    page = mic_page
    _log_in(page, product)
    page.get_by_test_id("nav-design").click()
    page.get_by_test_id("design-description").fill("a bright young woman, fast")
    page.get_by_test_id("design-generate").click()
    candidates = _candidates(page)
    page.get_by_test_id("nav-library").click()
    deadline = time.time() + 30
    while any(_status(product, product_key, voice) != 404 for voice in candidates):
        assert time.time() < deadline, "the candidates stayed after the page was left"
        time.sleep(0.5)
    assert not set(candidates) & _library_ids(product, product_key)


def _own_voices(product, key: str, count: int) -> list[dict]:
    """At least `count` voices of the owner's own, designed through the API when there are fewer."""
    with httpx.Client(base_url=product.url, headers={"X-API-Key": key}, timeout=30) as client:
        own = [
            v for v in client.get("/api/voices", params={"page_size": 500}).json()["results"] if v["kind"] != "preset"
        ]
        for n in range(count - len(own)):
            started = client.post(
                "/api/design/create",
                json={"description": "a bright young woman, fast", "name": f"Export {n}", "seed": n, "candidates": 1},
            )
            assert started.status_code == 202, started.text
            task_id = started.json()["task_id"]
            deadline = time.time() + 180
            while client.get(f"/api/jobs/{task_id}").json()["status"] not in ("succeeded", "failed"):
                assert time.time() < deadline
                time.sleep(1)
            assert client.post("/api/design/keep", json={"task_id": task_id, "index": 0}).status_code == 200
        own = [
            v for v in client.get("/api/voices", params={"page_size": 500}).json()["results"] if v["kind"] != "preset"
        ]
    return own[:count]


def test_library_exports_two_voices_and_imports_them_back(mic_page, product, product_key, tmp_path):
    page = mic_page
    voices = _own_voices(product, product_key, 2)
    _log_in(page, product)
    page.get_by_test_id("nav-library").click()
    # "Play sample" of an own voice plays its stored preview: no generation is made for it.
    page.get_by_test_id(f"voice-play-{voices[0]['id']}").click()
    page.locator(f'[data-testid="sample-audio"][data-voice="{voices[0]["id"]}"]').wait_for(state="attached")
    assert page.get_by_test_id("sample-audio").get_attribute("src").endswith(f"/api/voices/{voices[0]['id']}/preview")
    for voice in voices:
        page.get_by_test_id(f"voice-select-{voice['id']}").check()
    assert page.get_by_test_id("voice-selected-count").get_attribute("data-count") == "2"
    with page.expect_download() as info:
        page.get_by_test_id("voice-export").click()
    download = info.value
    assert download.suggested_filename.endswith(".clonyvoice")
    saved = tmp_path / download.suggested_filename
    download.save_as(str(saved))
    page.get_by_test_id("voice-export-message").wait_for()
    _shot(page, "library-export", tmp_path)

    page.get_by_test_id("voice-import").click()
    page.get_by_test_id("import-file").set_input_files(str(saved))
    preview = page.get_by_test_id("import-preview")
    preview.wait_for()
    assert preview.get_attribute("data-voices") == "2"
    assert preview.get_attribute("data-conflicts") == "2"  # the same names are in the library already
    page.get_by_test_id("import-strategy-rename").check()
    _shot(page, "library-import-preview", tmp_path)
    page.get_by_test_id("import-run").click()
    page.locator('[data-testid="import-result"][data-created="2"]').wait_for()
    _shot(page, "library-import-done", tmp_path)
    page.get_by_test_id("import-close").click()
    for voice in voices:
        page.locator('[data-testid^="voice-card-"] h3', has_text=f"{voice['name']} (2)").first.wait_for()
