"""The Studio plays a generation sentence by sentence while the later sentences are still being made."""

from __future__ import annotations

import httpx
import pytest

from tests.frontend.test_browser import _log_in, _shot, page  # noqa: F401 - the page fixture

pytestmark = [pytest.mark.live, pytest.mark.browser]

TEXT = " ".join(f"This is sentence number {n}, and the next one is still being made." for n in range(1, 9))


def test_play_all_starts_before_the_generation_ends_and_goes_on_sentence_by_sentence(
    page,  # noqa: F811
    product,
    product_key,
    tmp_path,
):
    _log_in(page, product)
    with httpx.Client(base_url=product.url, headers={"X-API-Key": product_key}, timeout=30) as client:
        # Kokoro: slow enough on a CPU that the first sentence plays long before the eighth is made.
        voice = client.get("/api/voices", params={"engine": "kokoro", "language": "en"}).json()["results"][0]
        task_id = client.post("/api/generate/clone-chunked", json={"text": TEXT, "voice_id": voice["id"]}).json()[
            "task_id"
        ]
        page.goto(f"{product.url}/studio?generation={task_id}")
        page.get_by_test_id("studio-play-all").click()
        page.locator('[data-testid="chunk-0"].playing').wait_for(timeout=120_000)
        assert client.get(f"/api/jobs/{task_id}").json()["status"] in ("pending", "running")
        _shot(page, "studio-play-all", tmp_path)
        page.locator('[data-testid="chunk-1"].playing').wait_for(timeout=120_000)
        page.get_by_test_id("studio-play-all-stop").click()
        page.get_by_test_id("studio-play-all").wait_for()
        client.post("/api/generation/cancel", json={"task_id": task_id})
