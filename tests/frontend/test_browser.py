"""The browser UI in headless Chromium against the real product: log in, live stats, keys."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import pytest

from tests.live.product import OWNER_PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# The System link's label is in Cyrillic script (U+0400..U+04FF) once the UI speaks Russian.
CYRILLIC_NAV = "() => /[\\u0400-\\u04FF]/.test(document.querySelector('[data-testid=nav-system]')?.innerText ?? '')"

pytestmark = [
    pytest.mark.live,
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed (bin/setup --dev installs it)"),
]


@pytest.fixture
def page(product, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-US")
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        browser.close()


def _shot(page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("CLONYVOICE_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _log_in(page, product) -> None:
    page.goto(f"{product.url}/system")
    page.wait_for_url("**/login**")
    page.get_by_test_id("login-username").fill("owner")
    page.get_by_test_id("login-password").fill(OWNER_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url("**/system")


def test_login_rejects_a_wrong_password(page, product, tmp_path):
    page.goto(f"{product.url}/login")
    page.get_by_test_id("login-username").fill("owner")
    page.get_by_test_id("login-password").fill("wrong")
    page.get_by_test_id("login-submit").click()
    error = page.get_by_test_id("login-error")
    error.wait_for()
    assert error.inner_text().strip()
    _shot(page, "login-error", tmp_path)


def test_system_page_shows_live_numbers_and_runs_diagnostics(page, product, tmp_path):
    _log_in(page, product)
    page.locator('[data-testid="ws-status"][data-state="live"]').wait_for()
    cpu = page.get_by_test_id("cpu-percent")
    cpu.wait_for()
    first = cpu.get_attribute("data-timestamp")
    page.wait_for_function(
        "t => document.querySelector('[data-testid=cpu-percent]').dataset.timestamp !== t", arg=first
    )
    assert 0 <= float(cpu.inner_text()) <= 100
    page.locator('[data-testid="workers-gpu"]', has_text="1").wait_for(timeout=60_000)

    page.get_by_test_id("diagnostics-run").click()
    page.locator('[data-testid="diagnostics-status"][data-status="succeeded"]').wait_for(timeout=60_000)
    results = page.get_by_test_id("diagnostics-results")
    assert "ffmpeg" in results.inner_text()
    _shot(page, "system", tmp_path)


def test_create_use_and_revoke_a_key(page, product, tmp_path):
    _log_in(page, product)
    page.get_by_test_id("nav-api-keys").click()
    page.get_by_test_id("key-name").fill("from the browser")
    page.get_by_test_id("key-scope-clone:create").uncheck()
    page.get_by_test_id("key-limit-system:read").fill("7")
    page.get_by_test_id("key-create").click()
    secret = page.get_by_test_id("key-secret").inner_text().strip()
    assert secret.startswith("cv_")
    _shot(page, "api-keys", tmp_path)

    info = httpx.get(f"{product.url}/api/system/info", headers={"X-API-Key": secret})
    assert info.status_code == 200
    keys = httpx.get(f"{product.url}/api/api-keys", headers={"X-API-Key": secret}).json()
    mine = next(k for k in keys if k["name"] == "from the browser")
    assert "clone:create" not in mine["scopes"]
    assert mine["limits"]["system:read"] == 7

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id(f"key-revoke-{mine['key_id']}").click()
    page.locator(f'[data-testid="key-row-{mine["key_id"]}"][data-state="revoked"]').wait_for()
    assert httpx.get(f"{product.url}/api/system/info", headers={"X-API-Key": secret}).status_code == 401


def test_the_ui_speaks_russian(page, product, tmp_path):
    _log_in(page, product)
    page.get_by_test_id("lang-switch").select_option("ru")
    page.wait_for_function(CYRILLIC_NAV)
    page.reload()
    page.wait_for_function(CYRILLIC_NAV)
    _shot(page, "system-ru", tmp_path)
