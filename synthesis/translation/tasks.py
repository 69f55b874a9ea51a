"""Dramatiq actor for translation with a model: a thin wrapper that takes a job id and runs the worker half.

Imported by `synthesis.tasks` so that workers, which autodiscover `tasks` modules, register it.
"""

from __future__ import annotations

import dramatiq

from clonyvoice.jobs import job_run
from synthesis.translation import worker


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=10 * 60 * 1000)
def translate_text(job_id: str) -> None:
    job_run(job_id, lambda job, progress: worker.translation_run(job=job, progress=progress))
