"""The Tools page in headless Chromium against the real product: transcribe, translate, audio from a URL."""

from __future__ import annotations

import http.server
import re
import subprocess
import threading
from pathlib import Path

import pytest

from tests.frontend.test_browser import _log_in, _shot, page  # noqa: F401 - the page fixture
from tests.live.product import Product

pytestmark = [pytest.mark.live, pytest.mark.browser]

SPEECH = "Hello world. This is a test of the transcription tool. The weather is nice today."


@pytest.fixture(scope="module")
def product(tmp_path_factory):
    """The product, allowed to fetch from this test's own local web server (127.0.0.1, generic extractor)."""
    running = Product(
        tmp_path_factory.mktemp("product") / "data",
        env={"CLONYVOICE_DOWNLOAD_ALLOWED_HOSTS": "127.0.0.1", "CLONYVOICE_DOWNLOAD_ALLOW_GENERIC": "1"},
    ).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("clips") / "hello.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(path), SPEECH], check=True, timeout=60)
    return path


@pytest.fixture(scope="module")
def video_site(tmp_path_factory, speech_wav):
    """A local web server with a small mp4 whose sound is the speech clip."""
    folder = tmp_path_factory.mktemp("site")
    video = folder / "talk.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-i", str(speech_wav),
         "-shortest", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", str(video)],
        check=True,
        timeout=120,
    )  # fmt: skip
    body = video.read_bytes()

    class Site(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path != "/talk.mp4":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "video/mp4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_transcribe_an_uploaded_clip_and_download_srt(page, product, speech_wav, tmp_path):  # noqa: F811
    _log_in(page, product)
    page.get_by_test_id("nav-tools").click()
    page.get_by_test_id("tools-transcribe-file").set_input_files(str(speech_wav))
    page.get_by_test_id("tools-transcribe-language").select_option("en")
    page.get_by_test_id("tools-transcribe-run").click()
    page.get_by_test_id("tools-transcribe-progress").wait_for()
    page.locator('[data-testid="tools-transcribe-progress"][data-status="succeeded"]').wait_for(timeout=180_000)
    text = page.get_by_test_id("tools-transcribe-text").inner_text().lower()
    assert "weather" in text or "transcription" in text, text
    first = page.get_by_test_id("tools-transcribe-segment-0").inner_text()
    assert re.search(r"0:00\.\d → 0:\d\d\.\d", first), first
    _shot(page, "tools-transcribe", tmp_path)

    with page.expect_download() as info:
        page.get_by_test_id("tools-transcribe-srt").click()
    download = info.value
    assert download.suggested_filename.endswith(".srt")
    saved = tmp_path / download.suggested_filename
    download.save_as(str(saved))
    srt = saved.read_text(encoding="utf-8")
    assert srt.startswith("1\n") and "-->" in srt


def test_translate_english_to_spanish_and_show_a_missing_pair(page, product, tmp_path):  # noqa: F811
    _log_in(page, product)
    page.get_by_test_id("nav-tools").click()
    page.get_by_test_id("tools-translate-text").fill("The house is big and the dog is happy.")
    page.get_by_test_id("tools-translate-source").select_option("en")
    page.get_by_test_id("tools-translate-target").select_option("es")
    page.get_by_test_id("tools-translate-run").click()
    output = page.get_by_test_id("tools-translate-output")
    output.wait_for(timeout=60_000)
    spanish = output.inner_text().lower()
    assert "casa" in spanish and "perro" in spanish, spanish
    _shot(page, "tools-translate", tmp_path)

    # English → French: no installed engine translates it; the 503 and its install hint are shown.
    page.get_by_test_id("tools-translate-source").select_option("auto")
    page.get_by_test_id("tools-translate-target").select_option("fr")
    page.get_by_test_id("tools-translate-run").click()
    error = page.locator('[data-testid="tools-translate-error"][data-code="model_not_installed"]')
    error.wait_for(timeout=30_000)
    assert page.get_by_test_id("tools-translate-hint").inner_text().strip()
    _shot(page, "tools-translate-missing", tmp_path)


def test_audio_from_a_url_becomes_a_clone_sample(page, product, video_site, tmp_path):  # noqa: F811
    _log_in(page, product)
    page.get_by_test_id("nav-tools").click()
    page.get_by_test_id("tools-download-url").fill(f"{video_site}/talk.mp4")
    page.get_by_test_id("tools-download-run").click()
    page.get_by_test_id("tools-download-progress").wait_for()
    result = page.get_by_test_id("tools-download-result")
    result.wait_for(timeout=120_000)
    media_id = result.get_attribute("data-media")
    assert media_id
    _shot(page, "tools-download", tmp_path)

    page.get_by_test_id("tools-download-clone").click()
    page.wait_for_url("**/clone**")
    page.locator('[data-testid="clone-file-0"][data-origin="media"]').wait_for(timeout=30_000)
    page.locator('[data-testid="clone-wave-0"][data-ready="true"]').wait_for()
    _shot(page, "clone-from-url", tmp_path)

    # The downloaded file is offered wherever a media file can be the source: Transcribe and Dub.
    page.get_by_test_id("nav-tools").click()
    page.get_by_test_id("tools-transcribe-source-media").click()
    page.get_by_test_id("tools-transcribe-media").select_option(media_id)
    assert page.get_by_test_id("tools-transcribe-run").is_enabled()
    page.get_by_test_id("nav-dub").click()
    page.get_by_test_id("dub-source-media").click()
    page.get_by_test_id("dub-media").select_option(media_id)
    assert "talk" in page.locator(f'[data-testid="dub-media"] option[value="{media_id}"]').inner_text()
