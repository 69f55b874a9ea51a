"""Jobs through the API and a Dramatiq worker: progress events, results, cancel, failure."""

from __future__ import annotations

import asyncio

import pytest
from channels.layers import get_channel_layer

from clonyvoice.errors import ServiceError
from clonyvoice.events import user_group
from clonyvoice.jobs import ProgressReporter, job_begin, job_create
from clonyvoice.models import Job
from systemstats import services
from systemstats.tasks import run_diagnostics

pytestmark = pytest.mark.django_db(transaction=True)


class EventRecorder:
    """Listens on the owner's channel-layer group, as the /ws consumer does, on one event loop of its own."""

    def __init__(self, user) -> None:
        self.loop = asyncio.new_event_loop()
        self.layer = get_channel_layer()
        self.channel = self.loop.run_until_complete(self.layer.new_channel())
        self.loop.run_until_complete(self.layer.group_add(user_group(user.pk), self.channel))

    def drain(self) -> list[dict]:
        events = []
        while True:
            try:
                events.append(self.loop.run_until_complete(asyncio.wait_for(self.layer.receive(self.channel), 0.3)))
            except TimeoutError:
                return events


def test_diagnostics_job_runs_in_the_worker_with_progress(api, owner, broker, worker):
    events = EventRecorder(owner)
    response = api.post("/api/system/diagnostics")
    assert response.status_code == 202
    task_id = response.json()["task_id"]
    assert response.json()["status"] == "pending"

    broker.join("gpu")
    worker.join()

    job = api.get(f"/api/jobs/{task_id}").json()
    assert job["status"] == "succeeded"
    checks = {c["name"]: c for c in job["result"]["checks"]}
    assert checks["database"]["ok"] and checks["redis"]["ok"] and checks["storage"]["ok"]
    assert job["progress"] == job["total"] == len(services.CHECKS)

    received = events.drain()
    types = [e["type"] for e in received]
    assert types[0] == "job.queued"
    assert "job.progress" in types
    assert types[-1] == "job.finished"
    assert {e["task_id"] for e in received} == {task_id}
    assert received[-1]["result"]["checks"]


def test_pending_job_cancelled_never_runs(api, owner, broker, worker):
    worker.pause()
    task_id = api.post("/api/system/diagnostics").json()["task_id"]
    cancelled = api.post("/api/job/cancel", {"task_id": task_id}, format="json")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    worker.resume()
    broker.join("gpu")
    worker.join()
    job = Job.objects.get(pk=task_id)
    assert job.status == Job.Status.CANCELLED
    assert job.started_at is None


def test_running_job_stops_at_its_next_checkpoint(owner, monkeypatch):
    job = job_create(owner=owner, kind="system.diagnostics", actor=run_diagnostics)
    job = job_begin(job_id=str(job.id))
    ran: list[str] = []

    def cancel_during_check() -> str:
        Job.objects.filter(pk=job.pk).update(cancel_requested=True)
        ran.append("database")
        return "ok"

    monkeypatch.setattr(services, "CHECKS", [("database", cancel_during_check), ("never", lambda: ran.append("x"))])
    with ProgressReporter(job) as progress:
        services.diagnostics_run(progress=progress)
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert ran == ["database"]


def test_a_failing_job_is_marked_failed_with_the_reason(owner):
    job = job_begin(job_id=str(job_create(owner=owner, kind="test", actor=run_diagnostics).id))
    with pytest.raises(RuntimeError), ProgressReporter(job):
        raise RuntimeError("disk on fire")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "disk on fire"
    assert job.finished_at is not None


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ServiceError("No installed voice speaks 'xx'.", code="no_voice_for_language"), "no_voice_for_language"),
        (RuntimeError("disk on fire"), "job_failed"),
        (OSError(28, "No space left on device"), "disk_full"),
    ],
)
def test_a_failed_job_names_its_failure_with_a_code_for_the_ui(api, owner, error, code):
    recorder = EventRecorder(owner)
    job = job_begin(job_id=str(job_create(owner=owner, kind="test", actor=run_diagnostics).id))
    with pytest.raises(type(error)), ProgressReporter(job):
        raise error
    failed = [event for event in recorder.drain() if event["type"] == "job.failed"]
    assert [event["error_code"] for event in failed] == [code]
    answer = api.get(f"/api/jobs/{job.id}").json()
    assert answer["status"] == "failed" and answer["error_code"] == code and answer["error"]


def test_a_redelivered_finished_job_is_a_no_op(api, owner, broker, worker):
    task_id = api.post("/api/system/diagnostics").json()["task_id"]
    broker.join("gpu")
    worker.join()
    finished = Job.objects.get(pk=task_id)
    run_diagnostics.send(task_id)
    broker.join("gpu")
    worker.join()
    again = Job.objects.get(pk=task_id)
    assert again.attempts == finished.attempts == 1
    assert again.finished_at == finished.finished_at


def test_cancel_of_another_owners_job_or_unknown_id_is_404(api, outsider):
    theirs = job_create(owner=outsider, kind="system.diagnostics", actor=run_diagnostics)
    for task_id in (str(theirs.id), "00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        response = api.post("/api/job/cancel", {"task_id": task_id}, format="json")
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
        assert api.get(f"/api/jobs/{task_id}").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Job.Status.PENDING


def test_queue_status_counts_jobs_and_shows_mine(api, owner, outsider, broker):
    mine = job_create(owner=owner, kind="system.diagnostics", actor=run_diagnostics)
    job_create(owner=outsider, kind="system.diagnostics", actor=run_diagnostics)
    body = api.get("/api/queue/status").json()
    assert body["queues"]["gpu"]["pending"] == 2
    assert [j["task_id"] for j in body["pending"]] == [str(mine.id)]
    assert body["workers_alive"] == {"gpu": 0, "cpu": 0}
