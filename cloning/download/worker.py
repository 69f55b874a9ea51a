"""The worker half of downloads: fetch with every guard, extract the audio, keep it as the owner's MediaFile."""

from __future__ import annotations

import shutil
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

from django.conf import settings

from cloning.download.guards import DownloadRefused, UrlGuard, url_check
from cloning.download.ytdlp import extract_checked, megabytes, ydl_params, ydl_run
from clonyvoice.audio import FFMPEG, AudioError, _run
from clonyvoice.errors import ServiceError
from clonyvoice.jobs import ProgressReporter
from clonyvoice.media import MediaRejected, media_store, probe, require_audio
from clonyvoice.models import Job, MediaFile
from clonyvoice.paths import tmp_dir

OUTPUT_RATE = 44_100


# ffprobe's container name → the demuxer ffmpeg is pinned to. Playlists (hls, concat) are not here.
DEMUXERS = {
    "mov": "mov",
    "matroska": "matroska",
    "webm": "matroska",
    "mp3": "mp3",
    "ogg": "ogg",
    "wav": "wav",
    "flac": "flac",
    "aac": "aac",
    "mpegts": "mpegts",
    "flv": "flv",
    "avi": "avi",
    "asf": "asf",
}


class _Progress:
    """yt-dlp progress hook: reports, enforces the byte cap on bytes received, and honours cancel."""

    def __init__(self, progress: ProgressReporter) -> None:
        self.progress = progress
        self.cap = settings.CLONYVOICE_DOWNLOAD_MAX_BYTES
        self._checked = 0.0

    def __call__(self, status: dict[str, Any]) -> None:
        if status.get("status") != "downloading":
            return
        received = status.get("downloaded_bytes") or 0
        total = status.get("total_bytes") or status.get("total_bytes_estimate")
        if received > self.cap or (status.get("total_bytes") or 0) > self.cap:
            raise DownloadRefused(f"The file is larger than {megabytes(self.cap)}, the limit.")
        self.progress.update(received, total or None, "Downloading")
        if time.monotonic() - self._checked > 0.5:
            self._checked = time.monotonic()
            self.progress.checkpoint()


def _convert(source: Path, target: Path) -> None:
    """Our own ffmpeg: file protocol only, the demuxer pinned to what ffprobe found, audio only."""
    info = probe(source)
    require_audio(info, max_seconds=settings.CLONYVOICE_DOWNLOAD_MAX_SECONDS)
    demuxer = DEMUXERS.get(info.container.split(",", 1)[0])
    if demuxer is None:
        raise MediaRejected(f"The downloaded file's container ({info.container}) is not accepted.")
    args = [*FFMPEG, "-f", demuxer, "-i", f"file:{source}", "-map", "0:a:0", "-vn", "-sn", "-dn"]
    args += ["-ac", "1", "-ar", str(OUTPUT_RATE), "-sample_fmt", "s16", "-c:a", "flac", "-f", "flac", f"file:{target}"]
    try:
        _run(args, timeout=30 * 60)
    except AudioError as exc:
        raise MediaRejected(f"The audio could not be extracted: {exc}") from exc


def _title(info: dict[str, Any], url: str) -> str:
    title = str(info.get("title") or "").strip()
    if not title:
        title = Path(urllib.parse.urlsplit(url).path).stem or urllib.parse.urlsplit(url).hostname or "download"
    return title[:200]


def download_media(*, owner: Any, url: str, progress: ProgressReporter) -> MediaFile:
    """Download with every guard, extract the audio, keep it as the owner's MediaFile (a dub's URL source too)."""
    url = url_check(url)
    incoming = tmp_dir()
    incoming.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=incoming, prefix="download-"))
    try:
        progress.update(0, None, "Fetching the page", force=True)
        guard = UrlGuard()

        def fetch(ydl: Any) -> dict[str, Any]:
            info = extract_checked(ydl, url)
            return ydl.process_ie_result(info, download=True)

        info = ydl_run(guard, ydl_params(folder, [_Progress(progress)]), fetch)
        files = [Path(d["filepath"]) for d in info.get("requested_downloads") or [] if d.get("filepath")]
        downloaded = next((f for f in files if f.is_file()), None)
        if downloaded is None or folder not in downloaded.resolve().parents:
            raise ServiceError("The download produced no file.", code="download_failed")
        progress.checkpoint()
        progress.update(0, None, "Extracting the audio", force=True)
        target = folder / "audio.flac"
        _convert(downloaded, target)
        audio = require_audio(probe(target), max_seconds=settings.CLONYVOICE_DOWNLOAD_MAX_SECONDS)
        return media_store(
            owner=owner,
            path=target,
            name=f"{_title(info, url)}.flac",
            info=audio,
            source=MediaFile.Source.DOWNLOAD,
            origin_url=url,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def download_run(*, job: Job, progress: ProgressReporter) -> None:
    """The worker's part: download with every guard, extract the audio, keep it as the owner's MediaFile."""
    media = download_media(owner=job.owner, url=job.params["url"], progress=progress)
    progress.result = {
        "media_id": str(media.pk),
        "name": media.name,
        "duration": media.duration,
        "title": media.name.removesuffix(".flac"),
        "audio_url": f"/api/media/{media.pk}/audio",
        "source_url": media.origin_url,
    }
