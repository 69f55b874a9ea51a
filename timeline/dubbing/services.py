"""Dubs, the request half: check the source, the languages, the voice and the translation model (400/404/413/503
before any work), keep an uploaded source as the owner's media file, and start the dub job."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from cloning import voicing
from cloning.download import download_inspect
from clonyvoice.errors import ServiceError
from clonyvoice.jobs import job_create
from clonyvoice.media import (
    MediaRejected,
    decode,
    media_delete,
    media_get,
    media_store,
    probe,
    require_audio,
    save_upload,
)
from clonyvoice.models import Job, MediaFile
from clonyvoice.uploads import upload_check_size
from synthesis.engines import cloning_engine
from synthesis.translation import install_hint, installed_models, normalize_language
from synthesis.translation.plan import pair_plan
from timeline.dubbing import MAX_SOURCE_SECONDS
from timeline.dubbing.tasks import dub_video
from timeline.models import Dub
from voices.selectors import voice_get

KIND = "dub"
STAGES = ("extract", "transcribe", "translate", "clone", "speak", "fit", "assemble", "render")
QUALITIES = ("fast", "best")
MIN_SOURCE_SECONDS = 1.0
BACKGROUND_DB_RANGE = (-60.0, 0.0)
SPEECH_WINDOW_SECONDS = 120.0  # the no-speech check decodes this much at a time and stops once speech is heard
# Silence and noise have no voiced frames at all, while synthetic and compressed speech may show only a few (a
# Piper clip of 8 s in AAC: 0.5-0.9 s): the request refuses what clearly has no speech; Whisper has the last word.
MIN_VOICED_SECONDS = 0.25


def language_tag(value: str | None, *, field: str) -> str:
    tag = (value or "").strip().lower().replace("_", "-")
    if not tag or len(tag) > 16 or not all(part.isalnum() and part.isascii() for part in tag.split("-")):
        raise ServiceError(f"{field}: {value!r} is not a language tag such as es or pt-br.", code="invalid_language")
    return tag


def translation_check(*, source: str, target: str) -> None:
    """503 `model_not_installed` with the install hint when nothing installed translates into `target`."""
    if source != "auto":
        pair_plan(source=source, target=target)
        return
    target_base = normalize_language(target)
    # Whisper names the source language later; a model must at least translate into the target.
    for model in installed_models():
        if target_base in model.languages or any(t == target_base for _, t in model.pairs):
            return
    raise ServiceError(
        f"No installed translation model translates into {target_base}.",
        code="model_not_installed",
        status=503,
        source="auto",
        target=target_base,
        install=install_hint("en", target_base),
    )


def _check_duration(seconds: float) -> None:
    if seconds > MAX_SOURCE_SECONDS:
        raise MediaRejected(
            f"The source lasts {seconds / 60:.1f} min; a dub takes at most {MAX_SOURCE_SECONDS // 60} min.",
            code="too_long",
            limit=MAX_SOURCE_SECONDS,
        )
    if seconds < MIN_SOURCE_SECONDS:
        raise MediaRejected(f"The source lasts {seconds:.1f} s; there is nothing to dub.", code="too_short")


def require_speech(path: Path, duration: float) -> None:
    """400 `no_speech` unless someone speaks in the source (silence, music-free noise and pictures are refused)."""
    voiced, at = 0.0, 0.0
    while at < duration:
        end = min(duration, at + SPEECH_WINDOW_SECONDS)
        try:
            audio = decode(path, sample_rate=voicing.RATE, start=at, end=end)
        except MediaRejected:
            break
        voiced += voicing.voiced_seconds(audio)
        if voiced >= MIN_VOICED_SECONDS:
            return
        at = end
    raise ServiceError("No speech was found in the source: there is nobody to dub.", code="no_speech")


def _checked_media(info: Any, path: Path) -> None:
    if not info.has_audio:
        raise MediaRejected("The source has no audio stream: there is no speech to dub.", code="no_speech")
    require_audio(info)  # a duration its size cannot hold is a crafted header
    _check_duration(info.duration)
    require_speech(path, info.duration)


def _source_from_upload(owner: AbstractBaseUser, upload: UploadedFile) -> MediaFile:
    upload_check_size(upload.size)
    path = save_upload(upload)
    try:
        info = probe(path)
        _checked_media(info, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return media_store(owner=owner, path=path, name=Path(upload.name or "").name or path.name, info=info)


def _source_from_media(owner: AbstractBaseUser, media_id: Any) -> MediaFile:
    media = media_get(owner=owner, media_id=media_id)
    path = Path(media.file.path)
    if not path.is_file():
        raise MediaRejected("The media file's data is missing.")
    _checked_media(probe(path), path)
    return media


def dub_start(
    *,
    owner: AbstractBaseUser,
    target_language: str,
    source_language: str | None = "auto",
    upload: UploadedFile | None = None,
    media_id: Any = None,
    url: str | None = None,
    voice_id: Any = None,
    background_db: float | None = -18.0,
    subtitles: bool = True,
    quality: str = "fast",
    title: str = "",
) -> Job:
    """Check everything that can be checked now, then hand the dub to the gpu worker."""
    given = [name for name, value in (("file", upload), ("media_id", media_id), ("url", url)) if value]
    if len(given) != 1:
        raise ServiceError(
            "Give exactly one source: file, media_id or url" + (f" (got {', '.join(given)})." if given else "."),
            code="invalid_source",
        )
    target = language_tag(target_language, field="target_language")
    source = "auto" if source_language in (None, "", "auto") else language_tag(source_language, field="source_language")
    if quality not in QUALITIES:
        raise ServiceError(f"quality is one of {', '.join(QUALITIES)}.", code="invalid")
    if background_db is not None and not BACKGROUND_DB_RANGE[0] <= background_db <= BACKGROUND_DB_RANGE[1]:
        raise ServiceError(
            f"background_db is between {BACKGROUND_DB_RANGE[0]:g} and {BACKGROUND_DB_RANGE[1]:g} dB (or null).",
            code="invalid",
        )
    translation_check(source=source, target=target)
    voice = None
    if voice_id:
        voice = voice_get(user=owner, voice_id=voice_id)
        if not voice.is_available:
            raise ServiceError(f"The voice {voice.name!r} is not available.", code="voice_unavailable")
        if not voice.speaks(target):
            raise ServiceError(
                f"The voice {voice.name!r} cannot speak {target!r}; it speaks {', '.join(voice.languages)}.",
                code="language_not_supported",
                languages=voice.languages,
            )
    elif cloning_engine(target) is None:
        raise ServiceError(
            f"No installed engine can clone a voice that speaks {target!r}; choose a voice_id.",
            code="model_not_installed",
            status=503,
        )
    found: dict[str, Any] = {}
    if url:
        found = download_inspect(url=url)
        if found.get("duration"):
            _check_duration(float(found["duration"]))
    media = None
    if upload is not None:
        media = _source_from_upload(owner, upload)
    elif media_id:
        media = _source_from_media(owner, media_id)
    name = title.strip() or (Path(media.name).stem if media else found.get("title") or "") or "Dub"
    options = {
        "voice_id": str(voice.pk) if voice else None,
        "background_db": background_db,
        "subtitles": subtitles,
        "quality": quality,
    }
    try:
        with transaction.atomic():
            job = job_create(owner=owner, kind=KIND, actor=dub_video, params={"target_language": target})
            Dub.objects.create(
                job=job,
                owner=owner,
                title=name[:120],
                source=media,
                source_is_own=upload is not None,
                source_url=url.strip() if url else "",
                source_language=source,
                target_language=target,
                options=options,
                stage="",
                duration=media.duration if media else found.get("duration"),
            )
    except BaseException:
        if media is not None and upload is not None:
            media_delete(media=media)
        raise
    return job
