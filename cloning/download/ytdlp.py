"""yt-dlp behind the guards: only our urllib handler, no proxy, no ffmpeg of its own, short quick checks."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

from cloning.download.guards import DownloadRefused, UrlGuard
from clonyvoice.errors import ServiceError

logger = logging.getLogger(__name__)

# The check in the view runs inside a request: it must answer or give up quickly.
QUICK_TIMEOUT = 10
# One file with audio, downloaded by yt-dlp itself over http(s) or native HLS: never a merge, never ffmpeg.
FORMAT = "bestaudio[protocol^=http]/bestaudio[protocol=m3u8_native]/best[protocol^=http]/best[protocol=m3u8_native]"


@functools.cache
def _guarded_classes() -> tuple[type, type]:
    """yt-dlp classes bound to a UrlGuard; imported lazily (the web process loads it only when asked)."""
    import http.client
    import urllib.parse
    import urllib.request

    from yt_dlp import YoutubeDL
    from yt_dlp.networking import _urllib
    from yt_dlp.networking._helper import _socket_connect
    from yt_dlp.networking.exceptions import RequestError

    class GuardRefused(RequestError):
        """Raised inside yt-dlp's networking; yt-dlp lets a plain RequestError through to us."""

    def guarded(guard: UrlGuard, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except DownloadRefused as exc:
            raise GuardRefused(exc.detail) from exc

    class GuardedHTTPHandler(_urllib.HTTPHandler):
        guard: UrlGuard

        def _connection(self, base: type, req: Any, *args: Any, **kwargs: Any) -> http.client.HTTPConnection:
            guard = self.guard

            def create_connection(address: tuple[str, int], timeout: Any = None, source_address: Any = None) -> Any:
                return guarded(guard, lambda: guard.connect(address, timeout, source_address, _socket_connect))

            connection = base(*args, **kwargs)
            connection._create_connection = create_connection
            return connection

        def http_open(self, req: Any) -> Any:
            return self.do_open(functools.partial(self._connection, http.client.HTTPConnection, req), req)

        def https_open(self, req: Any) -> Any:
            return self.do_open(
                functools.partial(self._connection, http.client.HTTPSConnection, req), req, context=self._context
            )

    class GuardedRedirectHandler(_urllib.RedirectHandler):
        guard: UrlGuard

        def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
            # Checked before urllib looks at the target, so every refusal says why.
            if location := headers.get("location") or headers.get("uri"):
                target = urllib.parse.urljoin(req.full_url, location)
                guarded(self.guard, lambda: self.guard.check_url(target))
            return super().http_error_302(req, fp, code, msg, headers)

        http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

        def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
            guarded(self.guard, lambda: self.guard.check_url(newurl))
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    class GuardedUrllibRH(_urllib.UrllibRH):
        """yt-dlp's urllib handler with http(s) only and the guard on every request, hop and connection."""

        _SUPPORTED_URL_SCHEMES = ("http", "https")
        _SUPPORTED_PROXY_SCHEMES = ()
        guard: UrlGuard

        def _create_instance(self, proxies: Any, cookiejar: Any, legacy_ssl_support: Any = None) -> Any:
            http_handler = GuardedHTTPHandler(
                context=self._make_sslcontext(legacy_ssl_support=legacy_ssl_support), source_address=None
            )
            http_handler.guard = self.guard
            redirects = GuardedRedirectHandler()
            redirects.guard = self.guard
            opener = urllib.request.OpenerDirector()
            for handler in (
                http_handler,
                urllib.request.HTTPCookieProcessor(cookiejar),
                urllib.request.UnknownHandler(),
                urllib.request.HTTPDefaultErrorHandler(),
                urllib.request.HTTPErrorProcessor(),
                redirects,
            ):
                opener.add_handler(handler)
            opener.addheaders = []
            return opener

        def _send(self, request: Any) -> Any:
            guarded(self.guard, lambda: self.guard.check_url(request.url))
            return super()._send(request)

    class GuardedYoutubeDL(YoutubeDL):
        guard: UrlGuard

        @functools.cached_property
        def _request_director(self) -> Any:
            director = self.build_request_director([GuardedUrllibRH])
            for handler in director.handlers.values():
                handler.guard = self.guard
            return director

    return GuardedYoutubeDL, GuardRefused


class _Logger:
    """yt-dlp's messages go to our log, not to the worker's stdout."""

    def debug(self, msg: str) -> None:
        logger.debug("yt-dlp: %s", msg)

    info = debug

    def warning(self, msg: str) -> None:
        logger.info("yt-dlp: %s", msg)

    def error(self, msg: str) -> None:
        logger.info("yt-dlp: %s", msg)


def ydl_params(folder: Path | None, hooks: list[Callable[[dict], None]], *, quick: bool = False) -> dict[str, Any]:
    """yt-dlp's options; `quick` for the check inside a request: short timeouts, no retries."""
    allowed = ["default"] if settings.CLONYVOICE_DOWNLOAD_ALLOW_GENERIC else ["default", "-generic"]
    folder = folder or Path(settings.DATA_DIR) / "tmp"
    timeout = settings.CLONYVOICE_DOWNLOAD_SOCKET_TIMEOUT
    return {
        "logger": _Logger(),
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "noplaylist": True,
        "extract_flat": "in_playlist",
        "lazy_playlist": True,
        "allowed_extractors": allowed,
        "format": FORMAT,
        "paths": {"home": str(folder), "temp": str(folder)},
        "outtmpl": {"default": "download.%(ext)s"},
        "restrictfilenames": True,
        "overwrites": True,
        "socket_timeout": min(timeout, QUICK_TIMEOUT) if quick else timeout,
        "retries": 0 if quick else 2,
        "fragment_retries": 2,
        "extractor_retries": 0,
        "concurrent_fragment_downloads": 1,
        "proxy": "",
        "cachedir": False,
        "remote_components": [],
        "fixup": "never",
        "postprocessors": [],
        # No ffmpeg for yt-dlp: it must not merge, post-process or fetch streams through ffmpeg's own network.
        "ffmpeg_location": str(Path(settings.DATA_DIR) / "no-ffmpeg-for-yt-dlp"),
        "check_formats": False,
        "updatetime": False,
        "progress_hooks": hooks,
    }


def ydl_run(guard: UrlGuard, params: dict[str, Any], work: Callable[[Any], Any]) -> Any:
    """Run `work(ydl)` and turn yt-dlp's failures into a clear DownloadRefused / ServiceError."""
    ydl_class, refused_class = _guarded_classes()
    from yt_dlp.utils import DownloadError, YoutubeDLError

    try:
        with ydl_class(params) as ydl:
            ydl.guard = guard
            return work(ydl)
    except DownloadRefused:
        raise
    except refused_class as exc:
        raise DownloadRefused(guard.refusal or str(exc.msg)) from exc
    except (DownloadError, YoutubeDLError) as exc:
        if guard.refusal:
            raise DownloadRefused(guard.refusal) from exc
        message = re.sub(r"^ERROR:\s*", "", str(exc)).strip()
        if "Unsupported URL" in message or "No suitable extractor" in message:
            raise DownloadRefused(
                "No site extractor knows this URL, and fetching arbitrary pages (the generic extractor) is off."
            ) from exc
        raise ServiceError(f"The video could not be fetched: {message[:500]}", code="download_failed") from exc


def megabytes(size: float) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _check_info(info: dict[str, Any]) -> None:
    """Refuse playlists, live streams, and what metadata already says is too long or too large."""
    if info.get("_type") in ("playlist", "multi_video") or "entries" in info:
        count = len(list(info.get("entries") or []))
        raise DownloadRefused(f"The URL is a playlist ({count} items); give the URL of a single video.")
    if info.get("is_live") or info.get("live_status") in ("is_live", "is_upcoming"):
        raise DownloadRefused("Live streams cannot be downloaded.")
    max_seconds = settings.CLONYVOICE_DOWNLOAD_MAX_SECONDS
    if (duration := info.get("duration")) and duration > max_seconds:
        raise DownloadRefused(f"The video lasts {duration:.0f} s; at most {max_seconds} s is allowed.")
    size = info.get("filesize") or info.get("filesize_approx")
    if size:
        _check_size(size)


def _check_size(size: float) -> None:
    cap = settings.CLONYVOICE_DOWNLOAD_MAX_BYTES
    if size > cap:
        raise DownloadRefused(f"The file is {megabytes(size)}; at most {megabytes(cap)} is allowed.")


def _remote_size(ydl: Any, info: dict[str, Any]) -> int | None:
    """Content-Length of a direct http(s) link whose metadata gives no size (a guarded HEAD request)."""
    from yt_dlp.networking import Request

    if info.get("filesize") or info.get("filesize_approx") or info.get("protocol") not in ("http", "https"):
        return None
    try:
        with ydl.urlopen(Request(info["url"], method="HEAD", headers=info.get("http_headers") or {})) as response:
            length = response.headers.get("Content-Length")
    except DownloadRefused:
        raise
    except Exception as exc:
        if ydl.guard.refusal:
            raise DownloadRefused(ydl.guard.refusal) from exc
        return None
    return int(length) if length and length.isdigit() else None


def extract_checked(ydl: Any, url: str) -> dict[str, Any]:
    info = ydl.extract_info(url, download=False)
    if info is None:
        raise ServiceError("The video could not be fetched.", code="download_failed")
    _check_info(info)
    if (size := _remote_size(ydl, info)) is not None:
        _check_size(size)
    return info
