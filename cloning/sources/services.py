"""Where a request's audio comes from (uploads, stored samples, media files, generations) and what it is
(ffprobe). Transcription reads its audio through these."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from clonyvoice.errors import NotFound, ServiceError
from clonyvoice.media import MediaInfo, media_get, probe, require_audio, save_upload
from clonyvoice.uploads import upload_check_size
from synthesis.selectors import generation_get
from voices.models import VoiceSample

# --- audio sources ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AudioPiece:
    """One file to read audio from; `temporary` files are the request's own copy and are deleted after use."""

    path: Path
    info: MediaInfo
    temporary: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "duration": self.info.duration, "temporary": self.temporary}


@dataclass(frozen=True)
class AudioSource:
    """Audio a request points at: usually one file, the chunks of an unmerged generation in order otherwise."""

    kind: str  # "upload", "sample", "media" or "generation"
    name: str
    pieces: list[AudioPiece]

    @property
    def duration(self) -> float:
        return round(sum(p.info.duration for p in self.pieces), 3)

    def discard(self) -> None:
        """Remove the temp copies of uploads (stored files are never touched)."""
        for piece in self.pieces:
            if piece.temporary:
                piece.path.unlink(missing_ok=True)


def _probed(path: Path, *, temporary: bool, max_seconds: float | None) -> AudioPiece:
    try:
        info = require_audio(probe(path), max_seconds=max_seconds)
    except BaseException:
        if temporary:
            path.unlink(missing_ok=True)
        raise
    return AudioPiece(path=path, info=info, temporary=temporary)


def _stored_path(field: Any) -> Path:
    if not field:
        raise NotFound("The file has no audio stored.")
    path = Path(field.path)
    if not path.is_file():
        raise NotFound("The stored audio file is missing.")
    return path


def _sample_path(*, owner: AbstractBaseUser, sample_id: Any) -> tuple[str, Path]:
    try:
        sample = VoiceSample.objects.select_related("voice").get(pk=sample_id, voice__owner=owner)
    except (VoiceSample.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound("No such sample.") from exc
    return sample.name or f"sample {sample.pk}", _stored_path(sample.cleaned or sample.original)


def _generation_paths(*, owner: AbstractBaseUser, generation_id: Any) -> tuple[str, list[Path]]:
    """A generation's final file, or the selected takes of its chunks in order when it was never merged."""
    generation = generation_get(owner=owner, generation_id=generation_id)
    if generation.output:
        return generation.title, [_stored_path(generation.output)]
    chunks = list(generation.chunks.select_related("selected_take").order_by("index"))
    takes = [c.selected_take for c in chunks if c.selected_take is not None]
    if not takes or len(takes) != len(chunks):
        raise ServiceError("The generation has no audio yet.", code="not_ready")
    return generation.title, [_stored_path(t.audio) for t in takes]


def audio_source_open(
    *,
    owner: AbstractBaseUser,
    upload: UploadedFile | None = None,
    sample_id: Any = None,
    media_id: Any = None,
    generation_id: Any = None,
    max_seconds: float | None = None,
) -> AudioSource:
    """Resolve exactly one of the sources to probed files; 400 when it is not audio, 404 when it is not the owner's.

    An upload is copied to a temp file that the caller must `discard()` when done (it is removed here on failure).
    """
    given = [
        k
        for k, v in {
            "file": upload,
            "sample_id": sample_id,
            "media_id": media_id,
            "generation_id": generation_id,
        }.items()
        if v
    ]
    if len(given) != 1:
        raise ServiceError("Give exactly one of file, sample_id, media_id or generation_id.", code="invalid")
    if upload is not None:
        upload_check_size(upload.size)
        path = save_upload(upload)
        piece = _probed(path, temporary=True, max_seconds=max_seconds)
        return AudioSource(kind="upload", name=upload.name or path.name, pieces=[piece])
    if sample_id:
        name, path = _sample_path(owner=owner, sample_id=sample_id)
        return AudioSource(kind="sample", name=name, pieces=[_probed(path, temporary=False, max_seconds=max_seconds)])
    if media_id:
        media = media_get(owner=owner, media_id=media_id)
        piece = _probed(_stored_path(media.file), temporary=False, max_seconds=max_seconds)
        return AudioSource(kind="media", name=media.name, pieces=[piece])
    name, paths = _generation_paths(owner=owner, generation_id=generation_id)
    pieces = [_probed(p, temporary=False, max_seconds=None) for p in paths]
    source = AudioSource(kind="generation", name=name, pieces=pieces)
    if max_seconds is not None and source.duration > max_seconds:
        raise ServiceError(f"The audio is {source.duration:.0f} s long; at most {max_seconds:g} s is allowed.")
    return source


# --- audio duration -----------------------------------------------------------------------------------------------


def audio_duration(
    *, owner: AbstractBaseUser, upload: UploadedFile | None = None, sample_id: Any = None, media_id: Any = None
) -> dict[str, Any]:
    """ffprobe only, no decoding: duration, sample rate, channels, codec and container of a file with audio."""
    source = audio_source_open(owner=owner, upload=upload, sample_id=sample_id, media_id=media_id)
    try:
        info = source.pieces[0].info
    finally:
        source.discard()
    return {
        "duration": info.duration,
        "sample_rate": info.sample_rate,
        "channels": info.channels,
        "codec": info.codec,
        "container": info.container,
        "size": info.size,
        "has_video": info.has_video,
    }
