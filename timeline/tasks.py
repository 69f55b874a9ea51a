"""Dramatiq actors of the timeline app: thin wrappers that take ids and call services (the dub's actor is
imported here so that workers, which autodiscover `tasks` modules, register it)."""

from __future__ import annotations

import dramatiq

from clonyvoice.jobs import job_run
from timeline import render
from timeline.dubbing.tasks import dub_video

__all__ = ["dub_video", "render_timeline"]

# A two-hour timeline mixes in well under a minute; an MP4 of it encodes video for longer.
RENDER_TIME_LIMIT_MS = 3 * 60 * 60 * 1000


@dramatiq.actor(queue_name="cpu", max_retries=0, time_limit=RENDER_TIME_LIMIT_MS)
def render_timeline(job_id: str) -> None:
    job_run(job_id, lambda job, progress: render.render_run(job=job, progress=progress))
