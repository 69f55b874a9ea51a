"""The worker half of transcription: transcribe each piece with Whisper in the gpu worker, then clean up."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from cloning.transcription import engine
from cloning.transcription.transcript import Segment, Transcript, to_srt, to_vtt
from clonyvoice.errors import NotFound
from clonyvoice.jobs import ProgressReporter
from clonyvoice.models import Job
from clonyvoice.paths import tmp_dir


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
    incoming = tmp_dir().resolve()
    for piece in job.params.get("pieces") or []:
        path = Path(piece.get("path", ""))
        if piece.get("temporary") and path.resolve().parent == incoming:
            path.unlink(missing_ok=True)
