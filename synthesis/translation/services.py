"""Translating text for the API and for multi-language generation.

Apertium is a subprocess the web process runs at once. A transformers model must not load in the web
process: it runs as a job on the gpu queue, and the request waits for it up to `wait` seconds — a
short text comes back in the same answer (200); a longer wait, or a busy worker, answers 202 with the
job's task id, whose `result` holds the translation.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from clonyvoice.errors import ServiceError
from clonyvoice.jobs import job_create
from clonyvoice.models import Job
from synthesis.translation import registry
from synthesis.translation.plan import translate_now, translation_plan
from synthesis.translation.tasks import translate_text

KIND = "translate"
MAX_WAIT_SECONDS = 60.0


def translation_request(
    *,
    owner: AbstractBaseUser,
    text: str,
    source: str | None,
    target: str,
    engine: str | None = None,
    wait: float = 30.0,
) -> tuple[dict[str, Any] | None, Job | None]:
    """(result, None) when the translation is done within the request, else (None, job) still running."""
    plan = translation_plan(text=text, source=source, target=target, engine=engine)
    if not plan["engine"] or not registry()[plan["engine"]].in_worker:
        return translate_now(text=text, plan=plan), None
    job = job_create(owner=owner, kind=KIND, actor=translate_text, params={"text": text, "plan": plan})
    finished = _wait_for(job, min(max(wait, 0.0), MAX_WAIT_SECONDS))
    if finished is None:
        return None, job
    if finished.status == Job.Status.SUCCEEDED:
        return finished.result, None
    raise ServiceError(
        finished.error or f"The translation was {finished.status}.", code="translation_failed", status=503
    )


def _wait_for(job: Job, seconds: float) -> Job | None:
    deadline = time.monotonic() + seconds
    pause = 0.02
    while time.monotonic() < deadline:
        current = Job.objects.filter(pk=job.pk).first()
        if current is None:
            raise ServiceError("The translation job was deleted.", code="translation_failed", status=503)
        if current.is_finished:
            return current
        time.sleep(pause)
        pause = min(pause * 1.5, 0.25)
    return None
