"""Dramatiq actors of the systemstats app. Thin: they take ids and call services."""

from __future__ import annotations

import dramatiq

from clonyvoice.jobs import ProgressReporter, job_begin
from systemstats.services import diagnostics_run


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=120_000)
def run_diagnostics(job_id: str) -> None:
    job = job_begin(job_id=job_id)
    if job is None:
        return
    with ProgressReporter(job) as progress:
        progress.result = diagnostics_run(progress=progress)
