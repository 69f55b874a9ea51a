"""The Studio as a user meets it, in headless Chromium against the real product: a draft that survives a reload
and another page, the visible text limit, a named project whose Download merges and is named after it, a
reopened merged generation that says so, and engines that are not installed shown with their command."""

from __future__ import annotations

import pytest

from tests.frontend.test_browser import _log_in, _shot, page  # noqa: F401 - the page fixture

pytestmark = [pytest.mark.live, pytest.mark.browser]

TEXT = "The lamp was lit at dusk. Then the house went quiet."
IN_VIEW = "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; }"


def _studio(page, product) -> None:  # noqa: F811
    page.set_default_timeout(45_000)  # the machine is shared: a login can take long under load
    _log_in(page, product)
    page.get_by_test_id("nav-studio").click()
    page.get_by_test_id("studio-text").wait_for()


def test_the_draft_comes_back_after_another_page_and_a_reload(page, product, tmp_path):  # noqa: F811
    _studio(page, product)
    page.get_by_test_id("studio-title").fill("Evening reading")
    page.get_by_test_id("studio-text").fill(TEXT)
    page.get_by_test_id("studio-speed").fill("1.25")
    page.get_by_test_id("nav-library").click()
    page.get_by_test_id("voice-search").wait_for()
    page.get_by_test_id("nav-studio").click()
    assert page.get_by_test_id("studio-text").input_value() == TEXT
    assert page.get_by_test_id("studio-title").input_value() == "Evening reading"
    page.reload()
    page.get_by_test_id("studio-text").wait_for()
    assert page.get_by_test_id("studio-text").input_value() == TEXT
    assert page.get_by_test_id("studio-title").input_value() == "Evening reading"
    assert page.get_by_test_id("studio-speed").input_value() == "1.25"

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("studio-new-draft").click()
    assert page.get_by_test_id("studio-text").input_value() == ""
    page.reload()
    page.get_by_test_id("studio-text").wait_for()
    assert page.get_by_test_id("studio-text").input_value() == ""


def test_the_text_limit_is_visible_and_blocks_generate(page, product, tmp_path):  # noqa: F811
    _studio(page, product)
    counter = page.get_by_test_id("studio-char-count")
    page.get_by_test_id("studio-text").fill("Hello.")
    page.wait_for_function("() => document.querySelector('[data-testid=studio-char-count]').innerText === '6 / 20,000'")
    assert counter.get_attribute("data-over") == "false"

    page.get_by_test_id("studio-text").fill("a" * 20_001)
    page.locator('[data-testid="studio-char-count"][data-over="true"]').wait_for()
    assert counter.inner_text() == "20,001 / 20,000"
    assert page.get_by_test_id("studio-generate").is_disabled()
    reason = page.get_by_test_id("studio-generate-blocked").inner_text()
    assert "20,001" in reason and "20,000" in reason
    _shot(page, "studio-over-limit", tmp_path)

    page.get_by_test_id("studio-text").fill(TEXT)
    page.locator('[data-testid="studio-char-count"][data-over="false"]').wait_for()
    page.get_by_test_id("studio-generate-blocked").wait_for(state="detached")


def test_a_named_project_downloads_merged_under_its_name(page, product, product_key, tmp_path):  # noqa: F811
    page.set_viewport_size({"width": 1360, "height": 700})
    _studio(page, product)
    page.get_by_test_id("studio-title").fill("Bedtime Story")
    page.get_by_test_id("studio-text").fill(TEXT)
    page.get_by_test_id("studio-generate").click()
    generation = page.get_by_test_id("studio-generation")
    generation.wait_for()
    # The results are below the fold: they are scrolled into view.
    page.wait_for_function(IN_VIEW, arg=page.get_by_test_id("studio-results").element_handle())
    page.locator('[data-testid="studio-progress"][data-status="succeeded"]').wait_for(timeout=120_000)
    task_id = generation.get_attribute("data-generation")
    assert "Bedtime Story" in generation.inner_text()

    assert page.get_by_test_id("merge-status").get_attribute("data-status") == "idle"
    with page.expect_download(timeout=120_000) as download:
        page.get_by_test_id("merge-download").click()
    assert download.value.suggested_filename == "bedtime-story.wav"
    page.locator('[data-testid="merge-status"][data-status="succeeded"]').wait_for()
    _shot(page, "studio-downloaded", tmp_path)

    # Reopened (History, a reload): merged, not "not merged".
    page.goto(f"{product.url}/studio?generation={task_id}")
    page.locator('[data-testid="merge-status"][data-status="succeeded"]').wait_for()
    assert page.get_by_test_id("merge-status").inner_text() == "merged"
    page.get_by_test_id("merge-audio").wait_for()

    # Renamed from the Studio: History and the next download use the new name.
    page.get_by_test_id("studio-title").fill("Bedtime Story, take two")
    page.get_by_test_id("studio-rename").click()
    page.get_by_test_id("studio-renamed").wait_for()
    with page.expect_download() as download:
        page.get_by_test_id("merge-download").click()
    assert download.value.suggested_filename == "bedtime-story-take-two.wav"
    with product.client(product_key) as client:
        assert client.get(f"/api/generations/{task_id}").json()["title"] == "Bedtime Story, take two"


def test_engines_not_installed_are_named_with_their_command(page, product, product_key, tmp_path):  # noqa: F811
    with product.client(product_key) as client:
        missing = [
            e
            for e in client.get("/api/system/status").json()["engines"]
            if not e["installed"] and e["capabilities"]["preset_voices"]
        ]
    if not missing:
        pytest.skip("every speech engine is installed here")
    _studio(page, product)
    note = page.get_by_test_id("studio-engines-missing")
    note.locator("summary").click()
    for engine in missing:
        text = page.get_by_test_id(f"studio-engines-missing-{engine['name']}").inner_text()
        assert engine["install_hint"] in text
    _shot(page, "studio-engines-missing", tmp_path)


def test_translation_pairs_not_installed_are_shown_with_their_command(page, product, tmp_path):  # noqa: F811
    page.set_default_timeout(45_000)
    _log_in(page, product)
    page.get_by_test_id("nav-tools").click()
    page.get_by_test_id("tools-translate-source").select_option("en")
    russian = page.locator('[data-testid="tools-translate-target"] option[value="ru"]')
    assert russian.is_disabled()
    assert "not installed" in russian.inner_text()
    note = page.get_by_test_id("tools-translate-missing")
    note.locator("summary").click()
    hint = page.get_by_test_id("tools-translate-missing-en-ru").inner_text()
    assert "python manage.py models pull translation:Helsinki-NLP/opus-mt-en-ru" in hint
    _shot(page, "tools-translate-missing", tmp_path)
