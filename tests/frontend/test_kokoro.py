"""Kokoro in the browser: languages by name and technology in the Library, mixing voices, the Studio's
language check. Headless Chromium against the real product."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from tests.frontend.test_browser import _log_in, _shot, page  # noqa: F401 - the page fixture

pytestmark = [pytest.mark.live, pytest.mark.browser]

# What Intl.DisplayNames calls the base languages in an en-US browser.
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "pt": "Portuguese",
    "hi": "Hindi",
    "ru": "Russian",
    "ja": "Japanese",
    "zh": "Chinese",
    "de": "German",
}
RUSSIAN_TEXT = "Привет! Как дела сегодня?"


def _client(product, key) -> httpx.Client:
    return httpx.Client(base_url=product.url, headers={"X-API-Key": key}, timeout=30)


def _bases(tags: list[str]) -> list[str]:
    return list(dict.fromkeys(tag.split("-")[0] for tag in tags))


def test_library_shows_kokoro_languages_by_name_and_technology(page, product, product_key, tmp_path):  # noqa: F811
    with _client(product, product_key) as client:
        kokoro = client.get("/api/voices", params={"engine": "kokoro", "kind": "preset"}).json()["results"]
        espeak = client.get("/api/voices", params={"engine": "espeak", "language": "de"}).json()["results"][0]
    assert len(kokoro) >= 2
    voice = kokoro[0]
    assert voice["technology"] == "neural"
    _log_in(page, product)
    page.get_by_test_id("nav-library").click()
    page.get_by_test_id("voice-filter-engine").select_option("kokoro")
    card = page.get_by_test_id(f"voice-card-{voice['id']}")
    card.wait_for()
    assert card.get_attribute("data-technology") == "neural"
    assert page.get_by_test_id(f"voice-technology-{voice['id']}").inner_text() == "Neural"
    assert "Kokoro" in card.locator(".engine-badge").inner_text()

    # One name per base language ("en-us", "en", "en-gb" are one "English (US, UK)"), never a bare code.
    languages = page.get_by_test_id(f"voice-langs-{voice['id']}")
    shown = languages.inner_text()
    for base in _bases(voice["languages"]):
        name = LANGUAGE_NAMES.get(base) or page.evaluate(
            "code => new Intl.DisplayNames(['en-US'], {type: 'language'}).of(code)", base
        )
        assert name in (languages.get_attribute("title") or "")
        assert name in shown or "more" in shown
        assert shown.count(name) == 1, shown
    for tag in voice["languages"]:
        assert tag not in shown.lower().split()
    assert "English" in shown

    # The language filter offers names, not codes; eSpeak voices are honestly "Formant".
    options = page.get_by_test_id("voice-filter-language").locator("option").all_inner_texts()
    assert "Russian" in options and "ru" not in options and not any("(ru)" in o for o in options)
    page.get_by_test_id("voice-filter-engine").select_option("espeak")
    page.get_by_test_id("voice-filter-language").select_option("de")
    page.get_by_test_id(f"voice-technology-{espeak['id']}").wait_for()
    assert page.get_by_test_id(f"voice-technology-{espeak['id']}").inner_text() == "Formant"
    page.get_by_test_id("voice-filter-language").select_option("")
    page.get_by_test_id("voice-filter-engine").select_option("kokoro")
    card.wait_for()
    _shot(page, "library-kokoro", tmp_path)


def test_mixing_two_kokoro_voices_in_the_dialog(page, product, product_key, tmp_path):  # noqa: F811
    with _client(product, product_key) as client:
        first, second = client.get("/api/voices", params={"engine": "kokoro", "kind": "preset"}).json()["results"][:2]
    _log_in(page, product)
    page.get_by_test_id("nav-library").click()
    page.get_by_test_id("voice-filter-engine").select_option("kokoro")
    page.get_by_test_id("library-mix-open").click()
    dialog = page.get_by_test_id("mix-dialog")
    dialog.wait_for()
    page.get_by_test_id("mix-voice-0").select_option(first["id"])
    page.get_by_test_id("mix-voice-1").select_option(second["id"])

    # No weight at all is refused before anything is sent.
    page.get_by_test_id("mix-weight-0").fill("0")
    page.get_by_test_id("mix-weight-1").fill("0")
    page.get_by_test_id("mix-create").click()
    assert page.get_by_test_id("mix-error").inner_text().strip()

    page.get_by_test_id("mix-weight-0").fill("0.7")
    page.get_by_test_id("mix-weight-1").fill("0.3")
    expect(page.get_by_test_id("mix-share-0")).to_have_text("70%")
    expect(page.get_by_test_id("mix-share-1")).to_have_text("30%")
    assert "English" in page.get_by_test_id("mix-languages").inner_text()
    page.get_by_test_id("mix-name").fill("Warm narrator")
    _shot(page, "library-mix-dialog", tmp_path)
    page.get_by_test_id("mix-create").click()
    dialog.wait_for(state="detached")

    card = page.locator('[data-testid^="voice-card-"][data-kind="mixed"]', has_text="Warm narrator")
    card.wait_for()
    assert "mixed" in card.inner_text()
    voice_id = card.get_attribute("data-testid").removeprefix("voice-card-")
    with _client(product, product_key) as client:
        mixed = client.get("/api/voices", params={"kind": "mixed"}).json()["results"]
    made = next(v for v in mixed if v["id"] == voice_id)
    assert made["name"] == "Warm narrator"
    assert made["engine"] == "kokoro"
    assert "*" in made["engine_voice_id"]
    assert made["languages"]

    # Its card plays a sample like any own voice (made once by the preview job).
    page.get_by_test_id(f"voice-play-{voice_id}").click()
    page.locator(f'[data-testid="sample-audio"][data-voice="{voice_id}"]').wait_for(state="attached", timeout=120_000)
    _shot(page, "library-mixed-voice", tmp_path)


def test_studio_refuses_russian_text_on_an_english_only_voice(page, product, product_key, tmp_path):  # noqa: F811
    with _client(product, product_key) as client:
        piper = client.get("/api/voices", params={"engine": "piper"}).json()["results"][0]
        best_russian = client.get("/api/voices", params={"language": "ru"}).json()["results"][0]
        speak_russian = client.get("/api/voices", params={"language": "ru", "page_size": 500}).json()["results"]
    russian = {v["id"] for v in speak_russian}
    assert "ru" not in _bases(piper["languages"])
    _log_in(page, product)
    page.get_by_test_id("nav-studio").click()
    voice_select = page.get_by_test_id("studio-voice")
    generate = page.get_by_test_id("studio-generate")

    # Until a voice is chosen, the text's language picks the server's best voice for it.
    page.get_by_test_id("studio-text").fill(RUSSIAN_TEXT)
    expect(voice_select).to_have_value(best_russian["id"], timeout=20_000)
    expect(generate).to_be_enabled()

    voice_select.select_option(piper["id"])
    mismatch = page.get_by_test_id("studio-language-mismatch")
    mismatch.wait_for()
    assert "Russian" in mismatch.inner_text()
    assert piper["name"] in mismatch.inner_text()
    expect(generate).to_be_disabled()
    suggestions = mismatch.locator('[data-testid^="studio-suggest-"]')
    assert 1 <= suggestions.count() <= 3
    ids = [s.get_attribute("data-testid").removeprefix("studio-suggest-") for s in suggestions.all()]
    assert set(ids) <= russian
    _shot(page, "studio-language-mismatch", tmp_path)

    # A script is checked by the server: its 400 language_mismatch shows the same message.
    page.get_by_test_id("studio-mode").select_option("script")
    page.get_by_test_id("studio-text").fill(f"Anna: {RUSSIAN_TEXT}")
    mismatch.wait_for(state="detached")
    generate.click()
    mismatch.wait_for()
    assert "Russian" in mismatch.inner_text()
    assert 1 <= suggestions.count() <= 3
    expect(generate).to_be_disabled()

    page.get_by_test_id("studio-mode").select_option("single")
    page.get_by_test_id("studio-text").fill(RUSSIAN_TEXT)
    mismatch.wait_for()
    ids = [s.get_attribute("data-testid").removeprefix("studio-suggest-") for s in suggestions.all()]
    suggestions.first.click()
    mismatch.wait_for(state="detached")
    expect(voice_select).to_have_value(ids[0])
    expect(generate).to_be_enabled()
