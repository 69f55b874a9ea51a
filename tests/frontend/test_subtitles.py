"""Word timings in the Studio, in headless Chromium against the real product: the word being spoken is
highlighted while a sentence plays, and "Download subtitles" saves an SRT whose cues are the sentences."""

from __future__ import annotations

import httpx
import pytest

from tests.frontend.test_browser import ARGS, CHROMIUM, _log_in, _shot

pytestmark = [pytest.mark.live, pytest.mark.browser]

TEXT = "The keeper climbed the narrow stairs to light the lamp. Ships passed in calm weather and in storms."


@pytest.fixture
def playing_page(product):
    """A page that may play audio without a click first (the word highlight follows the playing audio)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*ARGS, "--autoplay-policy=no-user-gesture-required"], headless=True
        )
        context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-US", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(45_000)  # the machine is shared: a login can take long under load
        yield page
        browser.close()


def test_studio_highlights_the_spoken_word_and_downloads_subtitles(playing_page, product, product_key, tmp_path):
    page = playing_page
    with httpx.Client(base_url=product.url, headers={"X-API-Key": product_key}, timeout=60) as client:
        voices = client.get("/api/voices", params={"engine": "kokoro", "language": "en"}).json()["results"]
        started = client.post(
            "/api/generate/clone-chunked", json={"text": TEXT, "voice_id": voices[0]["id"], "language": "en-us"}
        )
        assert started.status_code == 202, started.text
        task_id = started.json()["task_id"]
    _log_in(page, product)
    page.goto(f"{product.url}/studio?generation={task_id}")
    page.locator('[data-testid="studio-progress"][data-status="succeeded"]').wait_for(timeout=180_000)
    page.locator('[data-testid="subtitle-download"][data-state="ready"]').wait_for()
    spoken = page.get_by_test_id("chunk-spoken-0")
    assert spoken.locator(".word").count() == len(TEXT.split(". ")[0].split())

    page.get_by_test_id("chunk-play-0").click()
    spoken.locator(".word-current").first.wait_for()  # a word lights up while the sentence plays
    first = int(spoken.get_attribute("data-current-word"))
    page.wait_for_function(
        "([el, first]) => Number(el.dataset.currentWord) > first",
        arg=[spoken.element_handle(), first],
        timeout=15_000,
    )  # and the highlight moves on with the audio
    assert "speaking" in (spoken.get_attribute("class") or "")
    _shot(page, "studio-word-highlight", tmp_path)

    with page.expect_download() as download:
        page.get_by_test_id("subtitle-download-srt").click()
    saved = download.value
    assert saved.suggested_filename.endswith(".srt")
    body = tmp_path / "subtitles.srt"
    saved.save_as(body)
    cues = [block.splitlines() for block in body.read_text(encoding="utf-8").strip().split("\n\n")]
    assert [cue[0] for cue in cues] == ["1", "2"]
    assert [" ".join(cue[2:]) for cue in cues] == [s if s.endswith(".") else s + "." for s in TEXT.split(". ")]
