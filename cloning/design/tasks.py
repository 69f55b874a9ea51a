"""Dramatiq actor for voice design: a thin wrapper that takes a job id and runs the worker half.

Imported by `cloning.tasks` so that workers, which autodiscover `tasks` modules, register it.
"""

from __future__ import annotations

import dramatiq

from cloning.clone.tasks import MAKE_TIME_LIMIT_MS
from cloning.design import worker
from cloning.design.candidates import discard_unfinished
from clonyvoice.jobs import job_run


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=MAKE_TIME_LIMIT_MS)
def design_voice(job_id: str) -> None:
    try:
        job_run(job_id, lambda job, progress: worker.design_run(job=job, progress=progress))
    finally:
        discard_unfinished(job_id=job_id)
