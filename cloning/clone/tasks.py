"""Dramatiq actors for cloning and previews: thin wrappers that take job ids and run the worker half.

Imported by `cloning.tasks` so that workers, which autodiscover `tasks` modules, register them.
"""

from __future__ import annotations

import dramatiq

from cloning.clone import worker
from cloning.clone.voicefiles import discard_unfinished
from clonyvoice.jobs import job_run

# Cleaning 30 min of samples, a Whisper transcript and the matching search fit well within this on a CPU.
MAKE_TIME_LIMIT_MS = 60 * 60 * 1000


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=MAKE_TIME_LIMIT_MS)
def clone_voice(job_id: str) -> None:
    try:
        job_run(job_id, lambda job, progress: worker.clone_run(job=job, progress=progress))
    finally:
        discard_unfinished(job_id=job_id)


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=10 * 60 * 1000)
def preview_voice(job_id: str) -> None:
    job_run(job_id, lambda job, progress: worker.preview_run(job=job, progress=progress))
