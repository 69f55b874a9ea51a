"""Dramatiq actor for transcription: a thin wrapper that takes a job id and runs the worker half.

Imported by `cloning.tasks` so that workers, which autodiscover `tasks` modules, register it.
"""

from __future__ import annotations

import dramatiq

from cloning.transcription import worker
from clonyvoice.jobs import job_run

# Whisper base on two CPU cores runs at ~0.2x real time; the longest accepted file is 4 hours.
TRANSCRIBE_TIME_LIMIT_MS = 4 * 60 * 60 * 1000


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=TRANSCRIBE_TIME_LIMIT_MS)
def transcribe_audio(job_id: str) -> None:
    try:
        job_run(job_id, lambda job, progress: worker.transcription_run(job=job, progress=progress))
    finally:
        worker.transcription_cleanup(job_id=job_id)
