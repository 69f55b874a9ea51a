"""Imports: an audio file becomes a music track; a video or an image becomes the picture track."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from clonyvoice.media import (
    MIN_BYTES_PER_SECOND,
    MediaInfo,
    MediaRejected,
    media_delete,
    media_store,
    probe,
    require_audio,
    save_upload,
)
from clonyvoice.models import MediaFile
from timeline.images import image_size
from timeline.models import Block, Timeline, Track
from timeline.services.layout import MAX_TIMELINE_SECONDS, _bump, timeline_get
from timeline.sources import peaks_store_media

MAX_IMPORT_BYTES = 2 * 1024**3
MAX_IMAGE_SIDE = 8192
MAX_IMAGE_PIXELS = 40_000_000
DEFAULT_IMAGE_SECONDS = 5.0


def _timeline_end(timeline: Timeline) -> float:
    ends = [b.end for b in Block.objects.filter(track__timeline=timeline).only("start", "in_point", "out_point")]
    return max(ends, default=0.0)


def _next_order(timeline: Timeline) -> int:
    return (timeline.tracks.aggregate(n=Max("order"))["n"] or 0) + 1


@dataclass
class _Stored:
    """A probed upload kept as a MediaFile, removed again if anything after it fails."""

    media: MediaFile | None = None

    def discard(self) -> None:
        if self.media is not None:
            media_delete(media=self.media)


def _import(
    *, owner: AbstractBaseUser, key: Any, upload: UploadedFile, check: Any, place: Any, with_peaks: Any
) -> Timeline:
    if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
        raise MediaRejected(f"The file is larger than {MAX_IMPORT_BYTES // 1024**2} MB.", status=413)
    timeline = timeline_get(owner=owner, key=key)
    path = save_upload(upload)
    stored = _Stored()
    try:
        info: MediaInfo = check(probe(path), path)
        stored.media = media_store(owner=owner, path=path, name=Path(upload.name or "").name or path.name, info=info)
        if with_peaks(info):
            peaks_store_media(stored.media)
        with transaction.atomic():
            place(timeline, stored.media, info)
            _bump(timeline)
    except BaseException:
        path.unlink(missing_ok=True)
        stored.discard()
        raise
    return timeline


def track_import(*, owner: AbstractBaseUser, key: Any, upload: UploadedFile, start: float = 0.0) -> Timeline:
    """An audio file (any container ffmpeg reads, with an audio stream) becomes a music track, one block at `start`."""

    def check(info: MediaInfo, path: Path) -> MediaInfo:
        return require_audio(info, max_seconds=MAX_TIMELINE_SECONDS)

    def place(timeline: Timeline, media: MediaFile, info: MediaInfo) -> None:
        track = Track.objects.create(
            timeline=timeline,
            kind=Track.Kind.MUSIC,
            name=Path(media.name).stem[:100] or "Music",
            order=_next_order(timeline),
        )
        Block.objects.create(
            track=track, media=media, start=start, in_point=0.0, out_point=info.duration, label=media.name[:200]
        )

    return _import(owner=owner, key=key, upload=upload, check=check, place=place, with_peaks=lambda info: True)


def _check_picture(info: MediaInfo, path: Path) -> MediaInfo:
    if info.is_image:
        if info.width <= 0 or info.height <= 0:  # ffprobe gives 0x0 for pictures past its own limits
            size = image_size(path)
            if not size or not all(size):
                raise MediaRejected("The image's size cannot be read: it is damaged or too large to open.")
            info = replace(info, width=size[0], height=size[1])
        if info.width > MAX_IMAGE_SIDE or info.height > MAX_IMAGE_SIDE or info.width * info.height > MAX_IMAGE_PIXELS:
            raise MediaRejected(
                f"The image is {info.width}x{info.height}; at most {MAX_IMAGE_SIDE} px a side and "
                f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels.",
                code="image_too_large",
            )
        return info
    if not info.has_video:
        raise MediaRejected("Not a video or an image (import audio with import-track).")
    if info.width > MAX_IMAGE_SIDE or info.height > MAX_IMAGE_SIDE:
        raise MediaRejected(f"The video is {info.width}x{info.height}; at most {MAX_IMAGE_SIDE} px a side.")
    if info.duration <= 0 or info.duration > MAX_TIMELINE_SECONDS:
        raise MediaRejected("The video's duration is unknown, zero or too long.")
    if info.size / info.duration < MIN_BYTES_PER_SECOND:
        raise MediaRejected("The video claims a duration its size cannot hold; it is damaged or crafted.")
    return info


def video_import(
    *, owner: AbstractBaseUser, key: Any, upload: UploadedFile, with_audio: bool = True, start: float | None = None
) -> Timeline:
    """A video or a still image becomes a block on the picture track (made if missing).

    It goes at `start`, or after the last picture. An image lasts to the end of the timeline (or 5 s);
    a video's own audio becomes a music track under it when `with_audio` and it has any.
    """

    def place(timeline: Timeline, media: MediaFile, info: MediaInfo) -> None:
        picture = timeline.tracks.filter(kind=Track.Kind.VIDEO).first() or Track.objects.create(
            timeline=timeline, kind=Track.Kind.VIDEO, name="Picture", order=_next_order(timeline)
        )
        at = start if start is not None else max((b.end for b in picture.blocks.all()), default=0.0)
        if info.is_image:
            end = _timeline_end(timeline)
            length = end - at if end - at >= 1.0 else DEFAULT_IMAGE_SECONDS
        else:
            length = info.duration
        Block.objects.create(track=picture, media=media, start=at, out_point=length, label=media.name[:200])
        if with_audio and info.has_audio:
            sound = Track.objects.create(
                timeline=timeline,
                kind=Track.Kind.MUSIC,
                name=f"{Path(media.name).stem[:90]} (audio)",
                order=_next_order(timeline),
            )
            Block.objects.create(track=sound, media=media, start=at, out_point=info.duration, label=media.name[:200])

    return _import(
        owner=owner,
        key=key,
        upload=upload,
        check=_check_picture,
        place=place,
        with_peaks=lambda info: with_audio and info.has_audio,
    )
