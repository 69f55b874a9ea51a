"""The dub's Dramatiq actor: a thin wrapper that takes the job id, runs the stages, and cleans up after a failure.

Imported by `timeline.tasks` so that workers, which autodiscover `tasks` modules, register it."""

from __future__ import annotations

import dramatiq

from clonyvoice.jobs import job_run
from timeline.dubbing import worker

# Whisper, a clone fit, speech and an MP4 of a 30-minute source on a CPU.
DUB_TIME_LIMIT_MS = 6 * 60 * 60 * 1000


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=DUB_TIME_LIMIT_MS)
def dub_video(job_id: str) -> None:
    try:
        job_run(job_id, lambda job, progress: worker.dub_run(job=job, progress=progress))
    finally:
        worker.dub_discard(job_id=job_id)
