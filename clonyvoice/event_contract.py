"""The shape of every event the /ws consumer sends: one definition for both sides.

Declarations only. `clonyvoice.events.publish_job` sends the `job.*` events (`job_payload` plus the
extras below), `clonyvoice.consumers` sends `system.stats`. The frontend's union in
`frontend/src/events.ts` is checked against these by `tests/frontend/test_event_contract.py`.
"""

# No `from __future__ import annotations`: TypedDict reads NotRequired from evaluated annotations.
from typing import Any, Literal, NotRequired, TypedDict

JobStatus = Literal["pending", "running", "succeeded", "failed", "cancelled"]
"""Every status a job row can hold (`Job.Status`)."""

TERMINAL_STATUSES: tuple[JobStatus, ...] = ("succeeded", "failed", "cancelled")
"""The statuses after which a job changes no more (`Job.FINISHED`)."""


class JobEventBase(TypedDict):
    job_id: str
    task_id: str
    kind: str
    queue: str
    status: JobStatus
    progress: float
    total: float
    fraction: float
    message: str
    sent_at: float


class JobQueuedEvent(JobEventBase):
    type: Literal["job.queued"]


class JobProgressEvent(JobEventBase):
    type: Literal["job.progress"]
    chunk_index: NotRequired[int]
    chunk_url: NotRequired[str]
    fit: NotRequired[float]  # a clone being fitted: the fitting objective so far (not a similarity)
    stage: NotRequired[str]  # a job of named stages (a dub: extract, transcribe, ...): the one running now


class JobFinishedEvent(JobEventBase):
    type: Literal["job.finished"]
    result: dict[str, Any]


class JobFailedEvent(JobEventBase):
    type: Literal["job.failed"]
    error: str
    error_code: str  # the UI words the failure from this; `error` is the worker's English


class JobCancelledEvent(JobEventBase):
    type: Literal["job.cancelled"]


JobEvent = JobQueuedEvent | JobProgressEvent | JobFinishedEvent | JobFailedEvent | JobCancelledEvent

TERMINAL_EVENTS: dict[str, JobStatus] = {
    "job.finished": "succeeded",
    "job.failed": "failed",
    "job.cancelled": "cancelled",
}
"""The status each terminal event ends its job with."""


class GpuDevice(TypedDict):
    index: int
    name: str
    memory_total: int | None
    memory_used: int | None
    memory_free: int | None
    utilization_percent: float | None
    temperature_c: float | None
    power_watts: float | None


class CpuStats(TypedDict):
    percent: float
    per_core: list[float]
    cores: int


class MemoryStats(TypedDict):
    total: int
    used: int
    percent: float


class DiskStats(TypedDict):
    path: str
    total: int
    used: int
    free: int
    percent: float


class ProcessStats(TypedDict):
    pid: int
    rss: int


class GpuStats(TypedDict):
    available: bool
    gpus: list[GpuDevice]
    reason: str | None


class SystemStatsEvent(TypedDict):
    type: Literal["system.stats"]
    timestamp: float
    cpu: CpuStats
    memory: MemoryStats
    swap: MemoryStats
    disk: DiskStats
    process: ProcessStats
    gpu: GpuStats


ServerEvent = JobEvent | SystemStatsEvent
"""Every event the frontend reads from /ws."""


JOB_KINDS: tuple[str, ...] = (
    "generation.single",
    "generation.chunked",
    "generation.multivoice",
    "generation.multilang",
    "generation.regenerate",
    "generation.merge",
    "clone.create",
    "design.create",
    "voice.preview",
    "transcribe",
    "translate",
    "download_video",
    "timeline.render",
    "words.align",
    "dub",
    "system.diagnostics",
)
"""Every `kind` a job is created with (`job_create(kind=...)`): the `kind` field of `job.*` events."""
