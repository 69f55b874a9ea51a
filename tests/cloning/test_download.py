"""Audio from a video URL: every refusal without network, and a real download from a local server."""

from __future__ import annotations

import http.server
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from cloning import download
from clonyvoice.models import Job, MediaFile

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> bytes:
    """A 2 s video with a 440 Hz tone, made by ffmpeg."""
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=64x48:rate=10",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:v", "mpeg4", "-c:a", "aac", "-shortest",
         str(path)],
        check=True,
    )  # fmt: skip
    return path.read_bytes()


class _Site(http.server.BaseHTTPRequestHandler):
    """A tiny video site on 127.0.0.1: a clip, redirects, a page with two videos, a clip of unknown length."""

    clip = b""
    protocol_version = "HTTP/1.0"

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None, length: bool = True):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        if self.path == "/clip.mp4":
            self._send(200, self.clip, {"Content-Type": "video/mp4"})
        elif self.path == "/unsized.mp4":
            self._send(200, self.clip, {"Content-Type": "video/mp4"}, length=False)
        elif self.path == "/to-localhost":
            self._send(302, headers={"Location": f"http://localhost:{port}/clip.mp4"})
        elif self.path == "/to-metadata":
            self._send(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        elif self.path == "/to-file":
            self._send(302, headers={"Location": "file:///etc/passwd"})
        elif self.path == "/page.html":
            page = b'<html><body><video src="/clip.mp4"></video><video src="/unsized.mp4"></video></body></html>'
            self._send(200, page, {"Content-Type": "text/html"})
        else:
            self._send(404, b"not here")

    do_HEAD = do_GET


@pytest.fixture
def site(clip):
    _Site.clip = clip
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def trusted_site(site, settings):
    """The test server's host is allowed although it is loopback, and so is the generic extractor."""
    settings.CLONYVOICE_DOWNLOAD_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.CLONYVOICE_DOWNLOAD_ALLOW_GENERIC = True
    return site


@pytest.fixture
def run_jobs(broker, worker):
    def run() -> None:
        broker.join("cpu", fail_fast=False, timeout=120_000)
        worker.join()

    return run


def _refused(api, url: str, *words: str) -> dict:
    response = api.post("/api/download-video", {"url": url}, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"] == "url_refused", body
    for word in words:
        assert word in body["detail"], body
    assert not Job.objects.exists() and not MediaFile.objects.exists()
    return body


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("file:///etc/passwd", ("Only http and https",)),
        ("ftp://example.com/a.mp4", ("Only http and https",)),
        ("http://127.0.0.1/", ("127.0.0.1 is a loopback address",)),
        ("http://[::1]/", ("::1 is a loopback address",)),
        ("http://169.254.169.254/latest/meta-data/", ("link-local",)),
        ("http://2130706433/", ("2130706433 (127.0.0.1)", "loopback")),
        ("http://0x7f.1/", ("127.0.0.1", "loopback")),
        ("http://017700000001/", ("127.0.0.1", "loopback")),
        ("http://[::ffff:127.0.0.1]/", ("loopback",)),
        ("http://0.0.0.0/", ("unspecified",)),
        ("http://224.0.0.1/", ("multicast",)),
        ("http://192.168.1.1/", ("private",)),
        ("http://user:pw@example.com/", ("user name or password",)),
        ("http:///nohost", ("no host",)),
    ],
)
def test_refused_urls(api, url, words):
    _refused(api, url, *words)


def test_a_host_resolving_to_a_private_address(api, monkeypatch):
    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):
        if host == "intranet.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    _refused(api, "https://intranet.example/watch?v=1", "intranet.example (10.1.2.3) is a private address")


def test_the_connection_goes_to_the_address_checked(monkeypatch, settings):
    """DNS that changes its answer between the check and the connection gains nothing."""
    answers = iter(["127.0.0.1", "10.0.0.1"])
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda host, *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), 80))]
    )
    connected = []
    guard = download.UrlGuard()
    with pytest.raises(download.DownloadRefused, match="loopback"):
        guard.connect(("rebind.example", 80), 5, None, lambda *a: connected.append(a))
    assert connected == [] and "loopback" in guard.refusal
    settings.CLONYVOICE_DOWNLOAD_ALLOWED_HOSTS = ["rebind.example"]
    download.UrlGuard().connect(("rebind.example", 80), 5, None, lambda *a: connected.append(a))
    assert connected[0][0][4] == ("10.0.0.1", 80)


def test_generic_extractor_is_off_by_default(api, site, settings):
    settings.CLONYVOICE_DOWNLOAD_ALLOWED_HOSTS = ["127.0.0.1"]
    _refused(api, f"{site}/clip.mp4", "generic extractor")


def test_test_host_needs_the_allowed_hosts_setting(api, site, settings):
    settings.CLONYVOICE_DOWNLOAD_ALLOW_GENERIC = True
    _refused(api, f"{site}/clip.mp4", "loopback")


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/to-localhost", ("localhost", "loopback")),
        ("/to-metadata", ("169.254.169.254", "link-local")),
        ("/to-file", ("Only http and https",)),
    ],
)
def test_redirects_are_checked_on_every_hop(api, trusted_site, path, words):
    _refused(api, f"{trusted_site}{path}", *words)


def test_playlists_are_refused(api, trusted_site):
    _refused(api, f"{trusted_site}/page.html", "playlist (2 items)")


def test_a_file_over_the_cap_is_refused(api, trusted_site, settings):
    settings.CLONYVOICE_DOWNLOAD_MAX_BYTES = 10_000
    _refused(api, f"{trusted_site}/clip.mp4", "at most 0.0 MB")


def test_the_cap_holds_on_bytes_received_when_the_size_is_unknown(api, trusted_site, settings, run_jobs):
    settings.CLONYVOICE_DOWNLOAD_MAX_BYTES = 10_000
    response = api.post("/api/download-video", {"url": f"{trusted_site}/unsized.mp4"}, format="json")
    assert response.status_code == 202, response.content
    run_jobs()
    job = api.get(f"/api/jobs/{response.json()['task_id']}").json()
    assert job["status"] == "failed" and "larger than" in job["error"], job
    assert not MediaFile.objects.exists()
    assert not list((Path(settings.DATA_DIR) / "tmp").glob("download-*"))


def test_the_duration_cap_holds_on_what_was_downloaded(api, trusted_site, settings, run_jobs):
    settings.CLONYVOICE_DOWNLOAD_MAX_SECONDS = 1
    response = api.post("/api/download-video", {"url": f"{trusted_site}/clip.mp4"}, format="json")
    run_jobs()
    job = api.get(f"/api/jobs/{response.json()['task_id']}").json()
    assert job["status"] == "failed" and "at most 1 s" in job["error"], job
    assert not MediaFile.objects.exists()


def test_download_through_the_worker_keeps_the_audio(api, owner, trusted_site, settings, run_jobs, monkeypatch):
    url = f"{trusted_site}/clip.mp4"
    connections = []
    real_connect = download.UrlGuard.connect

    def spy(self, address, *args):
        connections.append(address)
        return real_connect(self, address, *args)

    monkeypatch.setattr(download.UrlGuard, "connect", spy)
    response = api.post("/api/download-video", {"url": url}, format="json")
    assert response.status_code == 202, response.content
    task_id = response.json()["task_id"]
    run_jobs()
    job = api.get(f"/api/jobs/{task_id}").json()
    assert job["status"] == "succeeded", job
    result = job["result"]
    assert 1.9 < result["duration"] < 2.2
    media = MediaFile.objects.get(pk=result["media_id"], owner=owner)
    assert media.source == "download" and media.origin_url == url
    assert media.name == result["name"] == "clip.flac"
    assert media.info["codec"] == "flac" and media.info["channels"] == 1 and media.info["sample_rate"] == 44_100
    assert not media.info["has_video"]
    audio = api.get(result["audio_url"])
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/flac"
    assert b"".join(audio.streaming_content)[:4] == b"fLaC"
    # Page, HEAD and media fetches, in the view and again in the worker, all went through the guard.
    assert len(connections) >= 5 and {host for host, _ in connections} == {"127.0.0.1"}
    listed = api.get("/api/media", {"source": "download"}).json()
    assert [m["id"] for m in listed] == [str(media.pk)]
    assert not list((Path(settings.DATA_DIR) / "tmp").glob("download-*"))
