"""Timeline and Montages pages in headless Chromium against the real product."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.frontend.test_browser import _log_in, _shot, page  # noqa: F401 - the page fixture

pytestmark = [pytest.mark.live, pytest.mark.browser]

SCRIPT = "The sun rose over the quiet hills. Birds began to sing in the old trees."


def _wait_generation(client: httpx.Client, task_id: str, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        generation = client.get(f"/api/generations/{task_id}").json()
        if generation["status"] in {"succeeded", "failed", "cancelled"}:
            assert generation["status"] == "succeeded", generation
            return generation
        time.sleep(0.5)
    raise AssertionError(f"generation {task_id} did not finish")


def _espeak_voice(client: httpx.Client) -> str:
    return client.get("/api/voices", params={"engine": "espeak", "language": "en"}).json()["results"][0]["id"]


def _chunked(client: httpx.Client, text: str) -> str:
    started = client.post(
        "/api/generate/clone-chunked", json={"text": text, "voice_id": _espeak_voice(client), "max_chars": 40}
    )
    assert started.status_code == 202, started.text
    task_id = started.json()["task_id"]
    _wait_generation(client, task_id)
    return task_id


def _preset(client: httpx.Client, text: str) -> str:
    started = client.post("/api/generate/preset", json={"text": text, "voice_id": _espeak_voice(client)})
    assert started.status_code == 202, started.text
    task_id = started.json()["task_id"]
    _wait_generation(client, task_id)
    return task_id


def _drag(page, locator, dx: float) -> None:  # noqa: F811 - the page under test, passed in
    """Press in the middle of `locator`, move by `dx` pixels in steps, release."""
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y, steps=5)
    page.mouse.move(x + dx, y, steps=5)
    page.mouse.up()


def _duration(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip())


def test_timeline_drag_trim_import_save_conflict_and_render(page, product, product_key, tmp_path):  # noqa: F811
    with product.client(product_key) as client:
        task_id = _chunked(client, SCRIPT)
        layout = client.get(f"/api/timeline/{task_id}").json()
    voice = next(t for t in layout["tracks"] if t["kind"] == "voice")
    assert len(voice["blocks"]) >= 2, layout
    first, second = voice["blocks"][0], voice["blocks"][1]
    assert first["peaks"], "the layout carries waveform peaks"

    _log_in(page, product)
    page.goto(f"{product.url}/timeline?generation={task_id}")
    editor = page.get_by_test_id("timeline-editor")
    editor.wait_for()
    version = int(editor.get_attribute("data-version"))
    page.get_by_test_id("timeline-snap").uncheck()
    pps = float(page.locator("[data-pps]").get_attribute("data-pps"))

    # Move the second block one second to the right.
    _drag(page, page.get_by_test_id(f"timeline-block-{second['id']}"), pps * 1.0)
    moved = float(page.get_by_test_id(f"timeline-block-{second['id']}").get_attribute("data-start"))
    assert abs(moved - (second["start"] + 1.0)) < 0.05, (moved, second["start"])
    # Trim 0.3 s off the end of the first block with its right handle.
    _drag(page, page.get_by_test_id(f"timeline-trim-end-{first['id']}"), -pps * 0.3)
    trimmed = float(page.get_by_test_id(f"timeline-block-{first['id']}").get_attribute("data-out"))
    assert abs(trimmed - (first["out_point"] - 0.3)) < 0.05, (trimmed, first["out_point"])
    # The selected block's controls: a fade in.
    page.get_by_test_id("timeline-block-fade-in").fill("0.1")
    assert page.get_by_test_id("timeline-editor").get_attribute("data-dirty") == "true"

    page.get_by_test_id("timeline-save").click()
    page.locator(f'[data-testid="timeline-editor"][data-version="{version + 1}"][data-dirty="false"]').wait_for()
    with product.client(product_key) as client:
        saved = client.get(f"/api/timeline/{task_id}").json()
    blocks = {b["id"]: b for t in saved["tracks"] for b in t["blocks"]}
    assert abs(blocks[second["id"]]["start"] - moved) < 0.002
    assert abs(blocks[first["id"]]["out_point"] - trimmed) < 0.002
    assert blocks[first["id"]]["fade_in"] == pytest.approx(0.1)
    _shot(page, "timeline", tmp_path)

    # Undo and redo, from the keyboard.
    page.get_by_test_id("timeline-ruler").click(position={"x": 2, "y": 10})
    page.keyboard.press("Control+z")
    page.locator(f'[data-testid="timeline-block-{first["id"]}"][data-in="0"]').wait_for()
    page.wait_for_function(
        "([id, out]) => Math.abs(Number(document.querySelector(`[data-testid=timeline-block-${id}]`).dataset.out)"
        " - out) < 0.01",
        arg=[first["id"], trimmed],
    )  # the fade came off first
    page.keyboard.press("Control+z")
    page.wait_for_function(
        "([id, out]) => Math.abs(Number(document.querySelector(`[data-testid=timeline-block-${id}]`).dataset.out)"
        " - out) < 0.01",
        arg=[first["id"], first["out_point"]],
    )
    page.get_by_test_id("timeline-redo").click()
    page.wait_for_function(
        "([id, out]) => Math.abs(Number(document.querySelector(`[data-testid=timeline-block-${id}]`).dataset.out)"
        " - out) < 0.01",
        arg=[first["id"], trimmed],
    )
    page.keyboard.press("Control+Shift+z")
    page.locator('[data-testid="timeline-editor"][data-dirty="false"]').wait_for()

    # Import a music track (a 2 s tone) and a still picture.
    tone = tmp_path / "tone.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-ar", "22050", str(tone)],
        check=True,
    )
    picture = tmp_path / "picture.png"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=teal:s=320x180", "-frames:v", "1", str(picture)],
        check=True,
    )
    lanes = page.locator('[data-testid^="timeline-lane-"]')
    before = lanes.count()
    page.get_by_test_id("timeline-import-audio-file").set_input_files(str(tone))
    page.get_by_test_id("timeline-notice").wait_for()
    assert lanes.count() == before + 1
    page.get_by_test_id("timeline-import-video-file").set_input_files(str(picture))
    page.wait_for_function(f"document.querySelectorAll('[data-testid^=timeline-lane-]').length === {before + 2}")
    page.locator('[data-testid="timeline-render-format"] option[value="mp4"]').wait_for(state="attached")

    # Play: the playhead moves.
    page.get_by_test_id("timeline-play").click()
    page.locator('[data-testid="timeline-play"][data-state="playing"]').wait_for(timeout=30_000)
    assert page.get_by_test_id("timeline-notice").count() == 0  # every source fetched and decoded
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=timeline-playhead]').dataset.position || 0) > 0.3"
    )
    page.get_by_test_id("timeline-play").click()
    page.locator('[data-testid="timeline-play"][data-state="stopped"]').wait_for()

    # A save from elsewhere: saving here answers 409, and the banner loads theirs.
    with product.client(product_key) as client:
        current = client.get(f"/api/timeline/{task_id}").json()
        current["tracks"][0]["gain_db"] = -3.0
        other = client.post(f"/api/timeline/{task_id}/layout", json=current)
        assert other.status_code == 200, other.text
        theirs = other.json()["version"]
    page.get_by_test_id(f"timeline-block-{first['id']}").click()
    page.get_by_test_id("timeline-block-mute").check()
    page.get_by_test_id("timeline-save").click()
    page.get_by_test_id("timeline-conflict").wait_for()
    _shot(page, "timeline-conflict", tmp_path)
    page.get_by_test_id("timeline-conflict-theirs").click()
    page.locator(f'[data-testid="timeline-editor"][data-version="{theirs}"][data-dirty="false"]').wait_for()
    assert page.get_by_test_id("timeline-conflict").count() == 0

    # Render a WAV; its length is the layout's to the sample.
    page.get_by_test_id("timeline-render-format").select_option("wav")
    page.get_by_test_id("timeline-render-run").click()
    page.locator('[data-testid="timeline-render-status"][data-status="succeeded"]').wait_for(timeout=120_000)
    href = page.get_by_test_id("timeline-render-download").get_attribute("href")
    with product.client(product_key) as client:
        final = client.get(f"/api/timeline/{task_id}").json()
        audio = client.get(href)
    assert audio.status_code == 200, audio.text
    assert audio.headers["content-type"].startswith("audio/")
    rendered = tmp_path / "render.wav"
    rendered.write_bytes(audio.content)
    audible = [
        b["end"]
        for t in final["tracks"]
        if t["kind"] != "video" and not t["mute"]
        for b in t["blocks"]
        if not b["mute"]
    ]
    assert _duration(rendered) == pytest.approx(max(audible), abs=0.002)
    assert final["renders"] and final["renders"][0]["format"] == "wav"
    _shot(page, "timeline-rendered", tmp_path)

    # And an MP4 with the picture under the mix.
    page.get_by_test_id("timeline-render-format").select_option("mp4")
    page.get_by_test_id("timeline-render-run").click()
    page.locator('[data-testid="timeline-render-status"][data-status="succeeded"]').wait_for(timeout=180_000)
    page.get_by_test_id("timeline-render-video").wait_for()
    href = page.get_by_test_id("timeline-render-download").get_attribute("href")
    with product.client(product_key) as client:
        video = client.get(href)
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    movie = tmp_path / "render.mp4"
    movie.write_bytes(video.content)
    assert _duration(movie) == pytest.approx(max(audible), abs=0.1)
    _shot(page, "timeline-rendered-mp4", tmp_path)


def test_montage_create_reorder_open_as_timeline_and_delete(page, product, product_key, tmp_path):  # noqa: F811
    with product.client(product_key) as client:
        one = _preset(client, "The first part of the montage.")
        two = _preset(client, "And here comes the second part.")

    _log_in(page, product)
    page.get_by_test_id("nav-montages").click()
    page.get_by_test_id("montage-create").wait_for()
    page.get_by_test_id("montage-new-title").fill("Two parts")
    page.get_by_test_id("montage-new-notes").fill("made in the browser")
    page.get_by_test_id(f"montage-new-gen-{one}").check()
    page.get_by_test_id(f"montage-new-gen-{two}").check()
    page.get_by_test_id(f"montage-new-up-{two}").click()  # the second one first
    _shot(page, "montages-new", tmp_path)
    page.get_by_test_id("montage-new-create").click()
    page.get_by_test_id("montage-detail").wait_for()
    page.get_by_test_id("montages-notice").wait_for()

    with product.client(product_key) as client:
        montages = client.get("/api/montages").json()["results"]
        montage = next(m for m in montages if m["title"] == "Two parts")
        detail = client.get(f"/api/montages/{montage['id']}").json()
    assert detail["generation_ids"] == [two, one]
    assert detail["notes"] == "made in the browser"
    page.get_by_test_id(f"montage-edit-item-{one}").wait_for()
    _shot(page, "montages", tmp_path)

    page.get_by_test_id(f"montages-timeline-{montage['id']}").click()
    page.wait_for_url(f"**/timeline?montage={montage['id']}")
    page.get_by_test_id("timeline-editor").wait_for()
    blocks = page.locator('[data-testid^="timeline-block-"]')
    assert blocks.count() == 2
    starts = sorted(float(blocks.nth(i).get_attribute("data-start")) for i in range(2))
    assert starts[0] == 0 and starts[1] > 0
    with product.client(product_key) as client:
        detail = client.get(f"/api/montages/{montage['id']}").json()
        assert detail["timeline_id"]
        laid = client.get(f"/api/timeline/{detail['timeline_id']}").json()
    assert laid["montage_id"] == montage["id"]
    assert sum(len(t["blocks"]) for t in laid["tracks"]) == 2
    _shot(page, "timeline-montage", tmp_path)

    page.get_by_test_id("timeline-back").click()
    page.get_by_test_id(f"montages-row-{montage['id']}").wait_for()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id(f"montages-delete-{montage['id']}").click()
    page.get_by_test_id(f"montages-row-{montage['id']}").wait_for(state="detached")
    with product.client(product_key) as client:
        assert client.get(f"/api/montages/{montage['id']}").status_code == 404


def test_timeline_picker_and_history_entry_points(page, product, product_key, tmp_path):  # noqa: F811
    with product.client(product_key) as client:
        task_id = _preset(client, "Pick me from the list.")
    _log_in(page, product)
    page.get_by_test_id("nav-timeline").click()
    page.get_by_test_id("timeline-picker").wait_for()
    page.get_by_test_id(f"timeline-pick-generation-{task_id}").click()
    page.wait_for_url(f"**/timeline?generation={task_id}")
    page.get_by_test_id("timeline-editor").wait_for()
    _shot(page, "timeline-single", tmp_path)

    page.get_by_test_id("nav-history").click()
    page.get_by_test_id(f"history-timeline-{task_id}").wait_for()
    _shot(page, "history-links", tmp_path)
    page.get_by_test_id(f"history-montage-{task_id}").click()
    page.wait_for_url(f"**/montages?add={task_id}")
    page.get_by_test_id(f"montage-new-item-{task_id}").wait_for()
    assert page.get_by_test_id(f"montage-new-gen-{task_id}").is_checked()
