"""Dramatiq actor for downloads: a thin wrapper that takes a job id and runs the worker half.

Imported by `cloning.tasks` so that workers, which autodiscover `tasks` modules, register it.
"""

from __future__ import annotations

import dramatiq

from cloning.download import worker
from clonyvoice.jobs import job_run


@dramatiq.actor(queue_name="cpu", max_retries=0, time_limit=2 * 60 * 60 * 1000)
def download_video(job_id: str) -> None:
    job_run(job_id, lambda job, progress: worker.download_run(job=job, progress=progress))
