"""A job that runs past its actor's time limit is marked failed with a clear message and not retried."""

from __future__ import annotations

import time

import dramatiq
import pytest
from dramatiq.middleware import TimeLimit

from clonyvoice.jobs import job_create, job_run
from clonyvoice.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


def _forever(job, progress) -> None:
    # No database work in the loop: the time limit's exception must not land in the middle of a query,
    # which would leave the shared in-memory test database locked for the tests after this one.
    while True:
        time.sleep(0.02)


@dramatiq.actor(queue_name="cpu", max_retries=0, time_limit=500)
def endless_job(job_id: str) -> None:
    job_run(job_id, _forever)


@pytest.fixture
def time_limit(broker):
    """The worker CLI's TimeLimit middleware (the test broker otherwise only accepts the option)."""
    middleware = TimeLimit(interval=50)
    broker.add_middleware(middleware)
    middleware.after_process_boot(broker)
    yield middleware
    broker.middleware.remove(middleware)


def test_a_job_past_its_time_limit_fails_once(owner, broker, time_limit, worker):
    job = job_create(owner=owner, kind="endless", actor=endless_job)
    # Wait on the queue, not on the row: the in-memory test database cannot be read while the worker
    # thread writes to it.
    broker.join("cpu", timeout=20_000, fail_fast=False)
    worker.join()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "The job ran past its time limit."
    assert job.attempts == 1
    time.sleep(1)
    broker.join("cpu", timeout=5_000, fail_fast=False)
    worker.join()
    job.refresh_from_db()
    assert job.attempts == 1  # not delivered again
