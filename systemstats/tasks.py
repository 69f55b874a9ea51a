"""Dramatiq actors of the systemstats app. Thin: they take ids and call services."""

from __future__ import annotations

import dramatiq

from clonyvoice.jobs import job_run
from systemstats.services import diagnostics_run


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=120_000)
def run_diagnostics(job_id: str) -> None:
    def work(job, progress) -> None:
        progress.result = diagnostics_run(progress=progress)

    job_run(job_id, work)
