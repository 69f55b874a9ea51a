"""Transcription jobs: validate and enqueue in the web process, transcribe in the gpu worker, export subtitles."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile

from cloning.services import audio_source_open
from cloning.transcription.catalog import resolve_model
from cloning.transcription.transcript import Segment, Transcript, to_srt, to_vtt
from clonyvoice.errors import Conflict, NotFound
from clonyvoice.jobs import ProgressReporter, job_create, job_get
from clonyvoice.models import Job

KIND = "transcribe"
DEFAULT_MAX_SECONDS = 4 * 60 * 60
EXPORT_FORMATS = {
    "srt": "application/x-subrip; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "json": "application/json",
}


def max_seconds() -> float:
    return float(getattr(settings, "CLONYVOICE_TRANSCRIBE_MAX_SECONDS", DEFAULT_MAX_SECONDS))


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
    from cloning.tasks import transcribe_audio

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


def _merge(parts: list[tuple[float, Transcript]], *, model: str) -> Transcript:
    """One transcript from pieces transcribed apart (a generation's chunks), times shifted by each piece's offset."""
    segments: list[Segment] = []
    for offset, part in parts:
        for s in part.segments:
            words = [
                type(w)(round(w.start + offset, 3), round(w.end + offset, 3), w.word, w.probability) for w in s.words
            ]
            segments.append(Segment(len(segments), round(s.start + offset, 3), round(s.end + offset, 3), s.text, words))
    first = parts[0][1]
    return Transcript(
        text=" ".join(s.text for s in segments if s.text),
        segments=segments,
        language=first.language,
        language_probability=first.language_probability,
        duration=round(sum(p.duration for _, p in parts), 3),
        model=model,
    )


def transcription_run(*, job: Job, progress: ProgressReporter) -> None:
    """Transcribe each piece, reporting progress in seconds of audio after every segment."""
    from cloning.transcription import engine

    params = job.params
    total = float(params.get("duration") or 0.0)
    language = params.get("language")
    progress.update(0, total, message=f"transcribing with whisper {params['model']}", force=True)
    parts: list[tuple[float, Transcript]] = []
    offset = 0.0
    started = time.monotonic()
    for piece in params["pieces"]:
        path = Path(piece["path"])
        if not path.is_file():
            raise NotFound("The audio file was removed before it could be transcribed.")
        progress.checkpoint()
        done_before = offset

        def report(done: float, _duration: float, done_before: float = done_before) -> None:
            progress.update(min(total, done_before + done), total, message=f"{done_before + done:.0f} of {total:.0f} s")
            progress.checkpoint()

        part = engine.transcribe(
            path,
            model=params["model"],
            language=language,
            word_timestamps=params.get("word_timestamps", True),
            on_progress=report,
        )
        # Later pieces keep the language heard in the first, so a generation is not split across languages.
        language = language or part.language
        parts.append((offset, part))
        offset += part.duration
    transcript = _merge(parts, model=params["model"])
    progress.result = {**transcript_result(job, transcript), "processing_seconds": round(time.monotonic() - started, 3)}


def transcript_result(job: Job, transcript: Transcript) -> dict[str, Any]:
    return {
        **transcript.as_dict(),
        "srt": to_srt(transcript.segments),
        "vtt": to_vtt(transcript.segments),
        "srt_url": f"/api/transcribe/{job.pk}.srt",
        "vtt_url": f"/api/transcribe/{job.pk}.vtt",
        "source": job.params.get("source", {}),
    }


def transcription_cleanup(*, job_id: str) -> None:
    """Delete the job's temp copies of uploads, whatever became of the job. Only files under DATA_DIR/tmp."""
    job = Job.objects.filter(pk=job_id).only("params").first()
    if job is None:
        return
    incoming = (Path(settings.DATA_DIR) / "tmp").resolve()
    for piece in job.params.get("pieces") or []:
        path = Path(piece.get("path", ""))
        if piece.get("temporary") and path.resolve().parent == incoming:
            path.unlink(missing_ok=True)


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
