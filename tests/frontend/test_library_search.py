"""The Library's search and languages in headless Chromium against the real product: tags, gender and language
names find voices; the language filter names languages (formant-only ones under "More languages"); the edit
dialog picks languages from a list by name."""

from __future__ import annotations

import re

import pytest

from tests.frontend.test_browser import _log_in, _shot, page  # noqa: F401 - the page fixture

pytestmark = [pytest.mark.live, pytest.mark.browser]


def _library(page, product) -> None:  # noqa: F811
    page.set_default_timeout(45_000)  # the machine is shared: a login can take long under load
    _log_in(page, product)
    page.get_by_test_id("nav-library").click()
    page.get_by_test_id("voice-search").wait_for()


def _search(page, text: str) -> int:  # noqa: F811
    page.get_by_test_id("voice-search").fill(text)
    # The search is debounced; the count shows the answer to this search once the grid is no longer busy.
    page.wait_for_function("() => !document.querySelector('.voice-grid[aria-busy=true]')")
    page.wait_for_timeout(600)
    page.wait_for_function("() => !document.querySelector('.voice-grid[aria-busy=true]')")
    return int(page.get_by_test_id("voice-count").get_attribute("data-count"))


def test_search_finds_tags_gender_and_language_names(page, product, product_key, tmp_path):  # noqa: F811
    with product.client(product_key) as client:

        def count(**params) -> int:
            return client.get("/api/voices", params=params).json()["count"]

        female = count(gender="female")
        russian = count(language="ru")
    _library(page, product)
    assert _search(page, "female") == female > 0
    assert _search(page, "русский") == russian > 0
    assert _search(page, "Russian") == russian
    assert _search(page, "neural") > 0
    cards = page.locator('[data-testid^="voice-card-"]')
    assert all(card.get_attribute("data-technology") == "neural" for card in cards.all()[:10])
    assert _search(page, "no voice is called this") == 0
    page.get_by_test_id("voice-empty").wait_for()
    _shot(page, "library-search", tmp_path)


def test_the_language_filter_names_languages(page, product, tmp_path):  # noqa: F811
    _library(page, product)
    select = page.get_by_test_id("voice-filter-language")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=voice-filter-language] option').length > 5")
    labels = select.locator("option").all_inner_texts()
    # Names, never bare codes like "ba", "bpy" or "en-gb-x-rp".
    assert not [label for label in labels if re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)*", label)]
    assert select.locator('option[value="ru"]').inner_text() == "Russian"
    more = page.get_by_test_id("voice-filter-more-languages")
    more_codes = {option.get_attribute("value") for option in more.locator("option").all()}
    assert "ba" in more_codes and "en" not in more_codes and "ru" not in more_codes
    main = [label for label in labels if label]
    select.select_option("ru")
    page.locator('[data-testid^="voice-card-"]').first.wait_for()
    assert main


def test_the_edit_dialog_picks_languages_by_name(page, product, product_key, tmp_path):  # noqa: F811
    with product.client(product_key) as client:
        kokoro = client.get("/api/voices", params={"engine": "kokoro", "page_size": 2}).json()["results"]
        made = client.post(
            "/api/voices",
            json={"name": "Blend for languages", "mix": [{"voice_id": v["id"], "weight": 1} for v in kokoro]},
        )
        assert made.status_code == 201, made.text
        voice = made.json()
    _library(page, product)
    _search(page, "Blend for languages")
    page.get_by_test_id(f"voice-edit-{voice['id']}").click()
    dialog = page.get_by_test_id("voice-edit-dialog")
    dialog.wait_for()
    for code in voice["languages"]:
        chip = page.get_by_test_id(f"voice-edit-language-{code}")
        name = chip.evaluate("el => el.firstChild.textContent")
        assert name and not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)*", name), (code, name)
    assert "de" not in voice["languages"]
    page.get_by_test_id("voice-edit-language-add").select_option(label="German")
    page.get_by_test_id("voice-edit-language-de").wait_for()
    last = voice["languages"][-1]
    page.get_by_test_id(f"voice-edit-language-{last}").get_by_role("button").click()
    page.get_by_test_id(f"voice-edit-language-{last}").wait_for(state="detached")
    _shot(page, "library-edit-languages", tmp_path)
    page.get_by_test_id("voice-edit-save").click()
    dialog.wait_for(state="detached")
    with product.client(product_key) as client:
        saved = client.get(f"/api/voices/{voice['id']}").json()["languages"]
    assert saved == [*voice["languages"][:-1], "de"]


def test_a_private_use_tag_is_shown_by_its_language(page, product, product_key, tmp_path):  # noqa: F811
    with product.client(product_key) as client:
        voices = client.get("/api/voices", params={"search": "en-gb-x-rp", "kind": "preset"}).json()["results"]
    voice = next(v for v in voices if v["languages"][0] == "en-gb-x-rp")
    _library(page, product)
    _search(page, voice["name"])
    assert page.get_by_test_id(f"voice-langs-{voice['id']}").inner_text() == "English (UK)"
    page.goto(f"{product.url}/studio?voice={voice['id']}")
    option = page.locator('[data-testid="studio-language"] option[value="en-gb-x-rp"]')
    assert option.inner_text() == "British English (en-gb-x-rp)"
