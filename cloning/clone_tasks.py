"""Dramatiq actors for making voices (clone, design, preview): thin wrappers that take job ids.

Imported by `cloning.tasks` so that workers, which autodiscover `tasks` modules, register them.
"""

from __future__ import annotations

import dramatiq

from cloning import clone_services
from clonyvoice.jobs import job_run

# Cleaning 30 min of samples, a Whisper transcript and the matching search fit well within this on a CPU.
MAKE_TIME_LIMIT_MS = 60 * 60 * 1000


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=MAKE_TIME_LIMIT_MS)
def clone_voice(job_id: str) -> None:
    try:
        job_run(job_id, lambda job, progress: clone_services.clone_run(job=job, progress=progress))
    finally:
        clone_services.discard_unfinished(job_id=job_id)


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=MAKE_TIME_LIMIT_MS)
def design_voice(job_id: str) -> None:
    try:
        job_run(job_id, lambda job, progress: clone_services.design_run(job=job, progress=progress))
    finally:
        clone_services.discard_unfinished(job_id=job_id)


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=10 * 60 * 1000)
def preview_voice(job_id: str) -> None:
    job_run(job_id, lambda job, progress: clone_services.preview_run(job=job, progress=progress))
