"""Audio from a video URL: yt-dlp behind guards against server-side request forgery.

What is refused, and where:
- anything but http(s), URLs with credentials, hosts that do not resolve;
- any host that resolves to a private, loopback, link-local, multicast, reserved or unspecified
  address (numeric forms such as http://2130706433/ or http://0x7f.1/ included), unless the host is
  named in CLONYVOICE_DOWNLOAD_ALLOWED_HOSTS. This is checked on the URL in the view (a fast 400),
  again in the worker, on every redirect hop, and on the address each connection really goes to (the
  address checked is the address connected to, so DNS rebinding gains nothing);
- yt-dlp's generic extractor (which fetches whatever a URL points at) unless
  CLONYVOICE_DOWNLOAD_ALLOW_GENERIC; playlists; live streams;
- a file over CLONYVOICE_DOWNLOAD_MAX_BYTES (from metadata, Content-Length, and the bytes received)
  or longer than CLONYVOICE_DOWNLOAD_MAX_SECONDS (from metadata, then from ffprobe).

yt-dlp only ever talks through the guarded urllib handler: it gets no proxy, no ffmpeg of its own (so no
HLS fallback to ffmpeg's network stack, no post-processors), and only formats it downloads natively.
The download is then probed and converted by our own ffmpeg (file protocol only, pinned demuxer) to
FLAC, mono, 44.1 kHz, 16-bit, and kept as a MediaFile with source "download".

guards.py: URL and address checks, UrlGuard. ytdlp.py: yt-dlp bound to a guard. services.py: the
check in the view (download_start); tasks.py: the actor; worker.py: the worker's job (download_run); views.py.
"""

from __future__ import annotations

from cloning.download.guards import DownloadRefused, UrlGuard, host_check, resolve, url_check
from cloning.download.services import download_inspect, download_start
from cloning.download.worker import download_run

__all__ = [
    "DownloadRefused",
    "UrlGuard",
    "download_inspect",
    "download_run",
    "download_start",
    "host_check",
    "resolve",
    "url_check",
]
