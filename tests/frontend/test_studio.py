"""Library, Studio and History pages in headless Chromium against the real product."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.frontend.test_browser import _log_in, _shot, page  # noqa: F401 - the page fixture

pytestmark = [pytest.mark.live, pytest.mark.browser]

SCRIPT = "The sun rose over the hills. Birds began to sing. It was a quiet morning."


def test_library_finds_filters_and_favorites_voices(page, product, tmp_path):  # noqa: F811
    _log_in(page, product)
    page.get_by_test_id("nav-library").click()
    page.get_by_test_id("voice-search").fill("joe")
    card = page.locator('[data-testid^="voice-card-"][data-engine="piper"]').first
    card.wait_for()
    voice_id = card.get_attribute("data-testid").removeprefix("voice-card-")
    star = page.get_by_test_id(f"voice-fav-{voice_id}")
    star.click()
    page.locator(f'[data-testid="voice-fav-{voice_id}"][data-favorite="true"]').wait_for()
    page.get_by_test_id("voice-search").fill("")
    page.get_by_test_id("voice-filter-language").select_option("ru")
    page.locator('[data-testid^="voice-card-"][data-engine="espeak"]').first.wait_for()
    _shot(page, "library", tmp_path)


def test_studio_generates_sentence_by_sentence_regenerates_and_merges(page, product, product_key, tmp_path):  # noqa: F811
    _log_in(page, product)
    page.get_by_test_id("nav-studio").click()
    page.get_by_test_id("studio-text").fill(SCRIPT)
    page.get_by_test_id("studio-generate").click()
    for index in range(3):
        page.locator(f'[data-testid="chunk-{index}"][data-status="done"]').wait_for(timeout=60_000)
    page.locator('[data-testid="studio-progress"][data-status="succeeded"]').wait_for(timeout=60_000)

    page.get_by_test_id("chunk-regenerate-1").click()
    page.locator('[data-testid="chunk-take-1"] option[value="2"]').wait_for(state="attached", timeout=60_000)
    _shot(page, "studio", tmp_path)

    page.get_by_test_id("merge-format").select_option("mp3")
    page.get_by_test_id("merge-run").click()
    page.locator('[data-testid="merge-status"][data-status="succeeded"]').wait_for(timeout=60_000)
    href = page.get_by_test_id("merge-download").get_attribute("href")
    assert re.search(r"/api/generations/[0-9a-f-]+/audio", href)
    audio = httpx.get(f"{product.url}{href}", headers={"X-API-Key": product_key})
    assert audio.status_code == 200
    assert audio.headers["content-type"] == "audio/mpeg"
    _shot(page, "studio-merged", tmp_path)


def test_history_lists_reopens_and_deletes(page, product, product_key, tmp_path):  # noqa: F811
    with httpx.Client(base_url=product.url, headers={"X-API-Key": product_key}) as client:
        voice = client.get("/api/voices", params={"engine": "espeak", "language": "en"}).json()["results"][0]
        task_id = client.post("/api/generate/preset", json={"text": "History check.", "voice_id": voice["id"]}).json()[
            "task_id"
        ]
    _log_in(page, product)
    page.get_by_test_id("nav-history").click()
    page.get_by_test_id(f"history-row-{task_id}").wait_for(timeout=30_000)
    _shot(page, "history", tmp_path)
    page.get_by_test_id(f"history-open-{task_id}").click()
    page.wait_for_url(f"**/studio?generation={task_id}")
    page.locator('[data-testid="chunk-0"]').wait_for()
    page.get_by_test_id("nav-history").click()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id(f"history-delete-{task_id}").click()
    page.get_by_test_id(f"history-row-{task_id}").wait_for(state="detached")
    with httpx.Client(base_url=product.url, headers={"X-API-Key": product_key}) as client:
        assert client.get(f"/api/generations/{task_id}").status_code == 404
