"""Dramatiq actors of the cloning app: thin wrappers that take ids and call services."""

from __future__ import annotations

import dramatiq

from cloning.clone_tasks import clone_voice, design_voice, preview_voice  # noqa: F401 - registers the actors
from cloning.transcription import services as transcription
from clonyvoice.jobs import job_run

# Whisper base on two CPU cores runs at ~0.2x real time; the longest accepted file is 4 hours.
TRANSCRIBE_TIME_LIMIT_MS = 4 * 60 * 60 * 1000


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=TRANSCRIBE_TIME_LIMIT_MS)
def transcribe_audio(job_id: str) -> None:
    try:
        job_run(job_id, lambda job, progress: transcription.transcription_run(job=job, progress=progress))
    finally:
        transcription.transcription_cleanup(job_id=job_id)


@dramatiq.actor(queue_name="cpu", max_retries=0, time_limit=2 * 60 * 60 * 1000)
def download_video(job_id: str) -> None:
    from cloning import download

    job_run(job_id, lambda job, progress: download.download_run(job=job, progress=progress))
