"""Every page at a phone's width (390 px) and a desktop's (1440 px), in English and Russian: nothing scrolls
sideways, the navigation folds into a menu button on the phone, and tables become cards there."""

from __future__ import annotations

import re

import pytest

from tests.frontend.test_browser import ARGS, CHROMIUM, _log_in, _shot
from tests.frontend.test_timeline import _preset
from tests.systemstats.test_system_stats import GPU_REASONS, _df_percent

pytestmark = [pytest.mark.live, pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
SLUGS = [
    "library",
    "studio",
    "clone",
    "design",
    "tools",
    "dub",
    "timeline",
    "montages",
    "history",
    "api-keys",
    "system",
]
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture(scope="module")
def generation(product, product_key):
    """One finished generation, so that History, the Studio and the timeline editor have something to show."""
    with product.client(product_key) as client:
        return _preset(client, "A short line, spoken once, for the layout checks of every page.")


@pytest.fixture(
    params=[("en-US", PHONE), ("ru-RU", PHONE), ("en-US", DESKTOP), ("ru-RU", DESKTOP)],
    ids=lambda p: f"{p[0][:2]}-{p[1]['width']}",
)
def screen(request, product):
    from playwright.sync_api import sync_playwright

    locale, viewport = request.param
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport=viewport, locale=locale, device_scale_factor=1)
        page = context.new_page()
        page.set_default_timeout(30_000)
        yield page, locale[:2], viewport["width"]
        browser.close()


def _open(page, product, path: str) -> None:
    page.goto(f"{product.url}{path}")
    page.locator("main h1").first.wait_for()
    page.wait_for_load_state("networkidle")


def test_every_page_fits_the_screen_and_the_navigation_folds_on_a_phone(screen, product, generation, tmp_path):
    page, lang, width = screen
    page.goto(f"{product.url}/login")
    page.get_by_test_id("login-submit").wait_for()
    assert page.evaluate(OVERFLOW)[0] <= width
    _shot(page, f"login-{lang}-{width}", tmp_path)
    _log_in(page, product)
    assert page.evaluate("() => document.documentElement.lang") == lang
    phone = width == PHONE["width"]

    paths = [f"/{slug}" for slug in SLUGS] + [f"/studio?generation={generation}", f"/timeline?generation={generation}"]
    overflowing = {}
    for path in paths:
        _open(page, product, path)
        if path == "/system":
            page.get_by_test_id("cpu-percent").wait_for()
            disk = page.get_by_test_id("disk-percent")
            assert float(disk.get_attribute("data-value")) == pytest.approx(_df_percent(product.data_dir), abs=0.5)
            assert ("," if lang == "ru" else ".") in disk.inner_text()
            no_gpu = page.get_by_test_id("gpu-none")
            if no_gpu.count():
                # Said in words of the UI's language, not NVML's ("NVML Shared Library Not Found").
                assert no_gpu.get_attribute("data-reason") in GPU_REASONS
                assert "NVML" not in no_gpu.inner_text()
                assert bool(re.search("[\u0400-\u04ff]", no_gpu.inner_text())) == (lang == "ru")
        if path.startswith("/timeline?"):
            page.get_by_test_id("timeline-editor").wait_for()
            # The title is the generation's first sentence: two lines at most, whatever the width.
            lines = page.locator(".tl-title-text").evaluate(
                "el => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)"
            )
            assert lines <= 2.05, lines
        scroll_width, inner_width = page.evaluate(OVERFLOW)
        if scroll_width > inner_width:
            overflowing[path] = scroll_width
        name = path.strip("/").split("?")[0] + ("-editor" if "?" in path else "")
        _shot(page, f"{name}-{lang}-{width}", tmp_path)
    assert overflowing == {}, f"wider than the {width} px screen: {overflowing}"

    toggle = page.get_by_test_id("nav-toggle")
    link = page.get_by_test_id("nav-history")
    if not phone:
        assert not toggle.is_visible()
        assert link.is_visible()
        return
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not link.is_visible()
    assert page.get_by_test_id("sidebar").bounding_box()["height"] < 100
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    link.wait_for(state="visible")
    assert page.get_by_test_id("lang-switch").is_visible()
    _shot(page, f"menu-{lang}-{width}", tmp_path)
    page.keyboard.press("Escape")
    link.wait_for(state="hidden")
    toggle.click()
    link.wait_for(state="visible")
    link.click()
    page.wait_for_url("**/history")
    link.wait_for(state="hidden")
    assert toggle.get_attribute("aria-expanded") == "false"


def test_tables_become_cards_on_a_phone_with_their_actions_in_reach(screen, product, generation, tmp_path):
    page, lang, width = screen
    _log_in(page, product)
    display = "el => getComputedStyle(el).display"

    _open(page, product, "/history")
    row = page.get_by_test_id(f"history-row-{generation}")
    row.wait_for()
    assert row.evaluate(display) == ("block" if width == PHONE["width"] else "table-row")
    for action in ("play", "open", "delete"):
        box = page.get_by_test_id(f"history-{action}-{generation}").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (action, box)
    page.get_by_test_id(f"history-play-{generation}").click()
    page.get_by_test_id(f"history-audio-{generation}").wait_for()
    assert page.evaluate(OVERFLOW)[0] <= width
    _shot(page, f"history-playing-{lang}-{width}", tmp_path)

    _open(page, product, "/api-keys")
    key_row = page.locator('[data-testid^="key-row-"]').first
    key_row.wait_for()
    assert key_row.evaluate(display) == ("block" if width == PHONE["width"] else "table-row")
    if width == PHONE["width"]:
        # Each cell says which column it is: the heading row is hidden on a card.
        label = key_row.locator("td[data-label]").first.evaluate("el => getComputedStyle(el, '::before').content")
        assert label.strip('"') in {"Key", "Ключ"}
