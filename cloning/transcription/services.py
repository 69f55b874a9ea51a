"""Transcription, the request half: validate and enqueue in the web process (the gpu worker transcribes: see
`cloning.transcription.worker`), export finished transcripts as subtitles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile

from cloning.sources.services import audio_source_open
from cloning.transcription.catalog import resolve_model
from cloning.transcription.tasks import transcribe_audio
from cloning.transcription.transcript import Transcript, to_srt, to_vtt
from clonyvoice.errors import Conflict, NotFound
from clonyvoice.jobs import job_create, job_get
from clonyvoice.models import Job

KIND = "transcribe"
EXPORT_FORMATS = {
    "srt": "application/x-subrip; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "json": "application/json",
}


def max_seconds() -> float:
    return float(settings.CLONYVOICE_TRANSCRIBE_MAX_SECONDS)


def _language(language: str | None) -> str | None:
    language = (language or "").strip().lower()
    return None if language in ("", "auto") else language


def transcription_start(
    *,
    owner: AbstractBaseUser,
    upload: UploadedFile | None = None,
    sample_id: Any = None,
    media_id: Any = None,
    generation_id: Any = None,
    language: str | None = None,
    model: str | None = None,
    word_timestamps: bool = True,
) -> Job:
    """Check the model and the audio here (400/404/503 before any work), then hand the job to the gpu worker."""
    language = _language(language)
    info = resolve_model(model, language=language)
    source = audio_source_open(
        owner=owner,
        upload=upload,
        sample_id=sample_id,
        media_id=media_id,
        generation_id=generation_id,
        max_seconds=max_seconds(),
    )
    params = {
        "model": info.name,
        "language": language,
        "word_timestamps": word_timestamps,
        "source": {"kind": source.kind, "name": source.name[:255]},
        "pieces": [piece.as_dict() for piece in source.pieces],
        "duration": source.duration,
    }
    try:
        job = job_create(owner=owner, kind=KIND, actor=transcribe_audio, params=params)
    except BaseException:
        source.discard()
        raise
    return job


def transcript_export(*, owner: AbstractBaseUser, job_id: Any, fmt: str) -> tuple[str, str, str]:
    """(content, file name, content type) of a finished transcription in SRT, WebVTT, plain text or JSON."""
    job = job_get(owner=owner, job_id=job_id)
    if job.kind != KIND:
        raise NotFound("No such transcription.")
    if fmt not in EXPORT_FORMATS:
        raise NotFound(f"Unknown format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}.")
    if job.status != Job.Status.SUCCEEDED:
        raise Conflict(f"The transcription is {job.status}.", code="not_ready", status_of_job=job.status)
    result = job.result
    transcript = Transcript.from_dict(result)
    content = {
        "srt": lambda: to_srt(transcript.segments),
        "vtt": lambda: to_vtt(transcript.segments),
        "txt": lambda: transcript.text + "\n",
        "json": lambda: json.dumps(transcript.as_dict(), ensure_ascii=False, indent=2),
    }[fmt]()
    stem = Path(str((job.params.get("source") or {}).get("name") or "transcript")).stem[:80] or "transcript"
    return content, f"{stem}.{fmt}", EXPORT_FORMATS[fmt]
