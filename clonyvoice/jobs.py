"""Job services: create and enqueue, begin in a worker, cancel, and the progress reporter."""

from __future__ import annotations

import errno
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Any

import dramatiq
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from clonyvoice.errors import NotFound
from clonyvoice.events import publish_job
from clonyvoice.models import Job
from clonyvoice.process_thread import sender

logger = logging.getLogger(__name__)


class JobCancelled(Exception):
    """Raised at a checkpoint when the owner asked to cancel the running job."""


ENQUEUE_TIMEOUT = 30.0


def job_create(
    *, owner: AbstractBaseUser, kind: str, actor: dramatiq.Actor, params: dict[str, Any] | None = None
) -> Job:
    """Create a pending job and enqueue `actor(job_id)` once the row is committed."""
    job_id = uuid.uuid4()
    message = actor.message(str(job_id))
    job = Job.objects.create(
        id=job_id,
        owner=owner,
        kind=kind,
        queue=actor.queue_name,
        params=params or {},
        message_id=message.message_id,
    )

    def announce_and_enqueue() -> None:
        # Announce first: a fast worker's first progress event must not overtake the queued one.
        publish_job(job, "job.queued")
        # From the one sending thread: RabbitMQ's broker would open a connection per request thread.
        sender.call(actor.broker.enqueue, message, timeout=ENQUEUE_TIMEOUT)

    transaction.on_commit(announce_and_enqueue)
    return job


def job_get(*, owner: AbstractBaseUser, job_id: str | uuid.UUID) -> Job:
    """The owner's job; anyone else's (or an unknown id) is a 404."""
    try:
        job_uuid = uuid.UUID(str(job_id))
    except ValueError:
        raise NotFound("No such job.") from None
    job = Job.objects.filter(pk=job_uuid, owner=owner).first()
    if job is None:
        raise NotFound("No such job.")
    return job


def _finish(
    job: Job, status: str, *, error: str = "", error_code: str = "", result: dict[str, Any] | None = None
) -> None:
    job.status = status
    job.error = error[:10_000]
    job.error_code = error_code[:64]
    job.finished_at = timezone.now()
    if result is not None:
        job.result = result
    if status == Job.Status.SUCCEEDED and job.total:
        job.progress = job.total
    # update(), not save(): the owner may have deleted the job meanwhile, and that is fine.
    Job.objects.filter(pk=job.pk).update(
        status=job.status,
        error=job.error,
        error_code=job.error_code,
        finished_at=job.finished_at,
        result=job.result,
        progress=job.progress,
    )


def job_cancel(*, owner: AbstractBaseUser, job_id: str | uuid.UUID) -> Job:
    """A pending job is cancelled at once; a running one stops at its next checkpoint."""
    job = job_get(owner=owner, job_id=job_id)
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.is_finished:
            return job
        job.cancel_requested = True
        job.save(update_fields=["cancel_requested"])
        if job.status == Job.Status.PENDING:
            _finish(job, Job.Status.CANCELLED, error="Cancelled before it started.")
    if job.status == Job.Status.CANCELLED:
        publish_job(job, "job.cancelled")
    return job


def job_begin(*, job_id: str) -> Job | None:
    """Mark the job running in a worker. None means there is nothing to do (finished or cancelled).

    Dramatiq delivers at least once, so a redelivered message for a finished job is a no-op and one
    for a job left `running` by a killed worker starts it again.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        if job.cancel_requested:
            _finish(job, Job.Status.CANCELLED, error="Cancelled before it started.")
            cancelled = True
        else:
            job.status = Job.Status.RUNNING
            job.started_at = timezone.now()
            job.attempts += 1
            job.save(update_fields=["status", "started_at", "attempts"])
            cancelled = False
    publish_job(job, "job.cancelled" if cancelled else "job.progress")
    return None if cancelled else job


def _is_disk_full(exc: BaseException) -> bool:
    # ffmpeg reports it on stderr, which reaches us as the text of an AudioError.
    return (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "No space left on device" in str(exc)


def failure_message(exc: BaseException) -> str:
    """What the owner reads about a failed job: the error's own text, or a plain sentence for the known faults."""
    if type(exc).__name__ == "TimeLimitExceeded":
        return "The job ran past its time limit."
    if _is_disk_full(exc):
        return (
            "The disk is full: there was no space left to write the audio. "
            "Free some space in the data folder, then try again."
        )
    return str(exc) or type(exc).__name__


def failure_code(exc: BaseException) -> str:
    """The failure as a code: the service error's own, or one for the known faults, else `job_failed`."""
    if type(exc).__name__ == "TimeLimitExceeded":
        return "time_limit"
    if _is_disk_full(exc):
        return "disk_full"
    code = getattr(exc, "code", "")
    return code if isinstance(code, str) and code.replace("_", "").isalnum() and code.islower() else "job_failed"


class ProgressReporter:
    """Reports a running job's progress to its row and to the owner's /ws, throttled.

    Used as a context manager around the work: leaving normally marks the job succeeded with
    `result`; JobCancelled marks it cancelled (and is swallowed); any other exception marks it failed
    and propagates.
    """

    def __init__(self, job: Job, *, min_interval: float = 0.1) -> None:
        self.job = job
        self.result: dict[str, Any] = {}
        self.min_interval = min_interval
        self._last_sent = 0.0
        # A job of named stages (a dub) sets the one running now; every progress event then names it.
        self.stage: str | None = None

    def __enter__(self) -> ProgressReporter:
        return self

    def update(
        self,
        progress: float,
        total: float | None = None,
        message: str | None = None,
        *,
        force: bool = False,
        **extra: Any,
    ) -> None:
        """Record progress; `force` publishes even inside the throttle window, `extra` rides on the event."""
        job = self.job
        job.progress = float(progress)
        if total is not None:
            job.total = float(total)
        if message is not None:
            job.message = message[:255]
        now = time.monotonic()
        done = job.total and job.progress >= job.total
        if now - self._last_sent < self.min_interval and not done and not force:
            return
        self._last_sent = now
        Job.objects.filter(pk=job.pk).update(progress=job.progress, total=job.total, message=job.message)
        if self.stage:
            extra = {"stage": self.stage, **extra}
        publish_job(job, "job.progress", **extra)

    def checkpoint(self) -> None:
        """Stop here if the owner asked to cancel (or deleted the job)."""
        flag = Job.objects.filter(pk=self.job.pk).values_list("cancel_requested", flat=True).first()
        if flag is None or flag:
            raise JobCancelled

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        job = self.job
        if exc_type is None:
            # Which worker process ran it: with several workers on several hosts, the trail to its log.
            _finish(
                job, Job.Status.SUCCEEDED, result={**self.result, "worker": f"{socket.gethostname()}:{os.getpid()}"}
            )
            publish_job(job, "job.finished", result=job.result)
            return False
        if issubclass(exc_type, JobCancelled):
            _finish(job, Job.Status.CANCELLED, error="Cancelled.")
            publish_job(job, "job.cancelled")
            return True
        detail = failure_message(exc) if exc is not None else exc_type.__name__
        code = failure_code(exc) if exc is not None else "job_failed"
        logger.warning("job %s (%s) failed: %s", job.id, job.kind, detail)
        _finish(job, Job.Status.FAILED, error=detail, error_code=code)
        publish_job(job, "job.failed", error=job.error, error_code=code)
        return False


def job_run(job_id: str, work: Callable[[Job, ProgressReporter], None]) -> None:
    """What every actor does: begin the job (or skip a finished one), run `work` under a reporter."""
    job = job_begin(job_id=job_id)
    if job is None:
        return
    with ProgressReporter(job) as progress:
        work(job, progress)
