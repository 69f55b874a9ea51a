"""Clone and preview services, the request half: check and store the samples, create the voice, start the job.

A clone request stores its samples and a Voice that is not yet available (hidden from the library), then enqueues
a job; the worker half (`cloning.clone.worker`) builds the voice. When the job fails or is cancelled, the voice,
its samples and their files are removed (`cloning.clone.voicefiles`).
"""

from __future__ import annotations

import logging
import shutil
import uuid
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from cloning import intake
from cloning.clone.tasks import clone_voice, preview_voice
from cloning.clone.voicefiles import CLONE_KIND, PREVIEW_KIND, voice_dir, voice_discard
from clonyvoice.errors import Conflict, NotFound, ServiceError
from clonyvoice.jobs import job_cancel, job_create, job_get
from clonyvoice.media import move_into
from clonyvoice.models import Job
from clonyvoice.paths import media_path
from voices.models import Category, Voice, VoiceSample
from voices.selectors import voice_get

logger = logging.getLogger(__name__)

MAX_PREVIEW_CHARS = 500


# --- clone -------------------------------------------------------------------------------------------------------


def _category(owner: AbstractBaseUser, category: Any) -> Category | None:
    if category in (None, ""):
        return None
    found = Category.objects.filter(owner=owner, pk=category).first() if str(category).isdigit() else None
    if found is None:
        found = Category.objects.filter(owner=owner, name=str(category)).first()
    if found is None:
        raise ServiceError("No such category.", code="unknown_category")
    return found


def language_tag(language: str | None) -> str:
    tag = (language or "en").strip().lower()
    if not tag or len(tag) > 16 or not all(part.isalnum() for part in tag.split("-")):
        raise ServiceError(f"{language!r} is not a language tag such as en or en-us.", code="invalid_language")
    return tag


def clone_start(
    *,
    owner: AbstractBaseUser,
    files: list[UploadedFile],
    regions: Any = None,
    name: str = "",
    language: str | None = None,
    description: str = "",
    category: Any = None,
    transcript: str = "",
    quality: str = "fast",
    seed: int = 0,
) -> Job:
    """Check and store the samples (regions: only those parts are used), create the hidden voice, start the job."""
    language = language_tag(language)
    chosen_category = _category(owner, category)
    staged = intake.stage_uploads(files, min_seconds=0.0 if regions is not None else intake.MIN_SAMPLE_SECONDS)
    voice_id = uuid.uuid4()
    try:
        parts = (
            [(r.file, r.start, r.end) for r in intake.parse_regions(regions, staged)]
            if regions is not None
            else [(index, None, None) for index in range(len(staged))]
        )
        intake.require_speech(staged, parts)
        with transaction.atomic():
            voice = Voice.objects.create(
                id=voice_id,
                owner=owner,
                name=(name or Path(staged[0].name).stem or "Cloned voice")[:120],
                description=description,
                languages=[language],
                kind=Voice.Kind.CLONED,
                engine="matching",
                category=chosen_category,
                is_available=False,
                tags=["cloned"],
            )
            stored: dict[int, str] = {}
            for index in sorted({file for file, _, _ in parts}):
                item = staged[index]
                relative = f"voices/{voice.pk}/samples/{uuid.uuid4()}{item.path.suffix.lower()[:10]}"
                move_into(item.path, media_path(relative))
                stored[index] = relative
            VoiceSample.objects.bulk_create(
                VoiceSample(
                    voice=voice,
                    position=position,
                    name=staged[file].name,
                    original=stored[file],
                    start=start,
                    end=end,
                    transcript=transcript if position == 0 else "",
                    transcript_language=language if transcript and position == 0 else "",
                )
                for position, (file, start, end) in enumerate(parts)
            )
            job = job_create(
                owner=owner,
                kind=CLONE_KIND,
                actor=clone_voice,
                params={
                    "voice_id": str(voice.pk),
                    "language": language,
                    "transcribe": not transcript,
                    "quality": quality,
                    "seed": seed,
                },
            )
    except BaseException:
        intake.discard_all(staged)
        shutil.rmtree(voice_dir(voice_id), ignore_errors=True)
        raise
    intake.discard_all(staged)  # files not named by any region
    return job


# --- design ------------------------------------------------------------------------------------------------------


# --- preview and cancel ------------------------------------------------------------------------------------------


def preview_start(*, owner: AbstractBaseUser, voice_id: Any, text: str | None = None) -> Job:
    """Speak a preview (default: a sentence in the voice's language) in the worker and store it on the voice."""
    voice = voice_get(user=owner, voice_id=voice_id)
    text = (text or "").strip()
    if voice.is_preset and text:
        # Everyone shares a preset's preview, so it always speaks the standard sentence of its language.
        raise Conflict(
            "A preset voice's preview is shared and always speaks the standard sentence; leave out text.",
            code="preset_read_only",
        )
    if not voice.is_available:
        raise Conflict(
            "This voice is not ready (still being made, or its engine is missing).", code="voice_unavailable"
        )
    if len(text) > MAX_PREVIEW_CHARS:
        raise ServiceError(f"A preview text has at most {MAX_PREVIEW_CHARS} characters.", code="text_too_long")
    return job_create(
        owner=owner, kind=PREVIEW_KIND, actor=preview_voice, params={"voice_id": str(voice.pk), "text": text}
    )


def making_cancel(*, owner: AbstractBaseUser, job_id: Any, kind: str) -> Job:
    """Cancel a clone or design job; a pending one's voice is removed now, a running one's when it stops."""
    job = job_get(owner=owner, job_id=job_id)
    if job.kind != kind:
        raise NotFound(f"No such {kind.split('.')[0]} job.")
    job = job_cancel(owner=owner, job_id=job.pk)
    if job.status == Job.Status.CANCELLED:
        voice_discard(voice_id=job.params.get("voice_id"))
    return job
