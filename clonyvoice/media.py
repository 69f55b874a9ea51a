"""Probing and decoding media a user brings: uploads, downloads, imported tracks.

Everything is probed with ffprobe before a single sample is decoded, so a file that is not media,
has no audio, or claims a duration its size cannot hold is refused cheaply. ffprobe and ffmpeg run
with argument lists and only the file protocol.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from clonyvoice.audio import FFMPEG, Audio, AudioError, _run
from clonyvoice.errors import NotFound, ServiceError
from clonyvoice.models import MediaFile
from clonyvoice.paths import media_path

FFPROBE = ["ffprobe", "-v", "error", "-protocol_whitelist", "file", "-print_format", "json"]
# Below this many bytes per second of claimed duration a file cannot hold real audio (6 kbit/s Opus
# is ~750 B/s); a 10 KB file that says it lasts hours is a crafted header.
MIN_BYTES_PER_SECOND = 400
IMAGE_CODECS = {"png", "mjpeg", "jpeg2000", "webp", "bmp", "gif", "tiff"}


class MediaRejected(ServiceError):
    """An upload or download that is not usable media; answered with 400 and the reason."""

    code = "invalid_media"


@dataclass(frozen=True)
class MediaInfo:
    """What ffprobe says about a file (no samples decoded)."""

    duration: float
    size: int
    container: str
    has_audio: bool
    has_video: bool
    is_image: bool = False
    codec: str = ""
    sample_rate: int = 0
    channels: int = 0
    video_codec: str = ""
    width: int = 0
    height: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def probe(path: Path, *, timeout: float = 30) -> MediaInfo:
    """ffprobe `path`; raise MediaRejected when it is not a media file ffmpeg can read."""
    size = path.stat().st_size
    if size == 0:
        raise MediaRejected("The file is empty.")
    args = [*FFPROBE, "-show_format", "-show_streams", f"file:{path}"]
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise MediaRejected("The file could not be probed in time.") from exc
    if done.returncode != 0:
        raise MediaRejected("Not an audio or video file ffmpeg can read.")
    try:
        data = json.loads(done.stdout or b"{}")
    except ValueError as exc:
        raise MediaRejected("Not an audio or video file ffmpeg can read.") from exc
    fmt = data.get("format") or {}
    streams = data.get("streams") or []
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    video = next(
        (s for s in streams if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")),
        None,
    )
    container = str(fmt.get("format_name") or "")
    if not audio and not video:
        raise MediaRejected("The file has no audio or video stream.")
    is_image = bool(video) and not audio and (container.endswith("_pipe") or video.get("codec_name") in IMAGE_CODECS)
    duration = _float(fmt.get("duration")) or _float((audio or video or {}).get("duration"))
    return MediaInfo(
        duration=round(duration, 3),
        size=size,
        container=container,
        has_audio=audio is not None,
        has_video=video is not None and not is_image,
        is_image=is_image,
        codec=str((audio or {}).get("codec_name") or ""),
        sample_rate=int(_float((audio or {}).get("sample_rate"))),
        channels=int((audio or {}).get("channels") or 0),
        video_codec=str((video or {}).get("codec_name") or ""),
        width=int((video or {}).get("width") or 0),
        height=int((video or {}).get("height") or 0),
    )


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def require_audio(info: MediaInfo, *, min_seconds: float = 0.0, max_seconds: float | None = None) -> MediaInfo:
    """Refuse a probed file without audio, or whose duration is out of bounds or implausible."""
    if not info.has_audio:
        raise MediaRejected("The file has no audio stream.")
    if info.duration <= 0:
        raise MediaRejected("The file's duration is unknown or zero.")
    if info.size / info.duration < MIN_BYTES_PER_SECOND:
        raise MediaRejected(
            f"The file claims {info.duration:.0f} s but holds only {info.size} bytes; it is damaged or crafted."
        )
    if info.duration < min_seconds:
        raise MediaRejected(f"The audio is {info.duration:.1f} s long; at least {min_seconds:g} s is needed.")
    if max_seconds is not None and info.duration > max_seconds:
        raise MediaRejected(f"The audio is {info.duration:.0f} s long; at most {max_seconds:g} s is allowed.")
    return info


def decode(
    path: Path, *, sample_rate: int, start: float | None = None, end: float | None = None, timeout: float = 600
) -> Audio:
    """Decode the audio of `path` (optionally a region in seconds) to mono float32 at `sample_rate`."""
    args = [*FFMPEG]
    if start:
        args += ["-ss", f"{start:.3f}"]
    if end is not None:
        args += ["-to", f"{end:.3f}"]
    args += ["-i", f"file:{path}", "-vn", "-ac", "1", "-ar", str(sample_rate), "-f", "f32le", "pipe:1"]
    try:
        out = _run(args, timeout=timeout)
    except AudioError as exc:
        raise MediaRejected(f"The audio could not be decoded: {exc}") from exc
    samples = np.frombuffer(out, dtype="<f4").copy()
    if not len(samples):
        raise MediaRejected("The file decodes to no audio.")
    return Audio(samples=samples, sample_rate=sample_rate)


def save_upload(upload: UploadedFile, *, suffix: str = "") -> Path:
    """Copy an upload into a private temp file under the data dir; the caller moves or deletes it."""
    incoming = Path(settings.DATA_DIR) / "tmp"
    incoming.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=incoming, suffix=suffix or Path(upload.name or "").suffix[:10])
    path = Path(name)
    try:
        with open(fd, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def move_into(path: Path, destination: Path) -> Path:
    """Move a probed temp file to its final place under MEDIA_ROOT (same filesystem: a rename)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(path, destination)
    return destination


def media_store(
    *, owner: Any, path: Path, name: str, info: MediaInfo, source: str = "upload", origin_url: str = ""
) -> MediaFile:
    """Keep a probed temp file as the owner's MediaFile; the temp file is moved, or removed on failure."""
    media = MediaFile(owner=owner, source=source, name=name[:255] or path.name, origin_url=origin_url)
    media.size = info.size
    media.info = info.as_dict()
    relative = MediaFile._meta.get_field("file").generate_filename(media, path.name)
    target = media_path(relative)
    try:
        move_into(path, target)
        media.file.name = relative
        media.save()
    except BaseException:
        path.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise
    return media


def media_get(*, owner: Any, media_id: Any) -> MediaFile:
    """The owner's MediaFile; another owner's file, or a malformed id, is simply not found."""
    try:
        return MediaFile.objects.get(pk=media_id, owner=owner)
    except (MediaFile.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound("No such media file.") from exc


def media_delete(*, media: MediaFile) -> None:
    path = Path(media.file.path) if media.file else None
    media.delete()
    if path:
        path.unlink(missing_ok=True)
