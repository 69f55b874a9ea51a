"""The worker → web path of a streamed generation: a Redis list per job on the product's own Redis.

The gpu worker appends each finished sentence (float32 samples, edges faded exactly as the whole file
joins them) and, when the job ends, an end marker with its status. The web process pops them as they
come. The list is bounded: the worker waits while `MAX_QUEUED` sentences are unread, and stops (the
job is cancelled) once the reader has gone (`stream_abandon`) or has read nothing for `ABANDON_SECONDS`.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import redis.asyncio
from django.conf import settings

from clonyvoice import audio
from clonyvoice.jobs import JobCancelled, job_cancel
from clonyvoice.models import Job
from clonyvoice.redis_shared import shared_client
from synthesis.models import Generation

MAX_QUEUED = 4
ABANDON_SECONDS = 60.0
KEY_TTL_SECONDS = 600
WAIT_STEP_SECONDS = 0.02
POP_SECONDS = 1.0
IDLE_SECONDS = 300.0
STALLED = "stalled"


def _key(job_id: Any) -> str:
    return f"clonyvoice:stream:{job_id}"


def _closed_key(job_id: Any) -> str:
    return f"clonyvoice:stream:{job_id}:closed"


def _pack(header: dict[str, Any], payload: bytes = b"") -> bytes:
    return json.dumps(header, separators=(",", ":")).encode() + b"\n" + payload


def _unpack(item: bytes) -> tuple[dict[str, Any], bytes]:
    header, _, payload = item.partition(b"\n")
    return json.loads(header), payload


class SentenceRelay:
    """The worker half: hands each finished sentence of one streamed generation to its reader."""

    def __init__(self, job_id: Any) -> None:
        self.job_id = job_id
        self.key = _key(job_id)
        self.client = shared_client(settings.REDIS_URL)
        self.sample_rate: int | None = None

    def publish(self, index: int, total: int, spoken: audio.Audio) -> None:
        """Queue sentence `index` of `total`; raises JobCancelled once nobody reads the stream."""
        rate = self.sample_rate = self.sample_rate or spoken.sample_rate
        samples = audio.fade_edges(audio.resample(spoken, rate).samples, rate)
        self._wait_for_room()
        header = {"index": index, "total": total, "sample_rate": rate}
        self._push(_pack(header, samples.astype("<f4").tobytes()))

    def close(self, *, status: str, error: str = "") -> None:
        self._push(_pack({"end": status, "error": error}))

    def _push(self, item: bytes) -> None:
        with self.client.pipeline() as pipe:
            pipe.rpush(self.key, item)
            pipe.expire(self.key, KEY_TTL_SECONDS)
            pipe.execute()

    def abandoned(self) -> bool:
        return bool(self.client.exists(_closed_key(self.job_id)))

    def _wait_for_room(self) -> None:
        deadline = time.monotonic() + ABANDON_SECONDS
        while True:
            if self.abandoned() or time.monotonic() > deadline:
                raise JobCancelled
            if self.client.llen(self.key) < MAX_QUEUED:
                return
            time.sleep(WAIT_STEP_SECONDS)


@contextmanager
def sentence_relay(job_id: str) -> Iterator[SentenceRelay | None]:
    """The relay of a streamed generation (None for any other), closed with the job's final status."""
    streamed = Generation.objects.filter(pk=job_id, settings__stream=True).exists()
    if not streamed:
        yield None
        return
    relay = SentenceRelay(job_id)
    if relay.abandoned():
        # The client left before the job began: cancelled now, it never starts.
        job = Job.objects.select_related("owner").filter(pk=job_id).first()
        if job is not None:
            job_cancel(owner=job.owner, job_id=job_id)
    try:
        yield relay
    finally:
        job = Job.objects.filter(pk=job_id).values("status", "error").first() or {"status": "cancelled", "error": ""}
        relay.close(status=job["status"], error=job["error"])


@dataclass(frozen=True)
class Sentence:
    index: int
    total: int
    samples: np.ndarray
    sample_rate: int


class StreamEnded(Exception):
    """The job ended before every sentence was streamed: failed, cancelled, or silent for too long."""

    def __init__(self, status: str, error: str = "") -> None:
        super().__init__(error or f"The generation was {status}.")
        self.status = status
        self.error = error or f"The generation was {status}."


async def sentences(job_id: Any, *, idle_seconds: float = IDLE_SECONDS) -> AsyncIterator[Sentence]:
    """The web half: each sentence in order, once (a redelivered job says the first ones again)."""
    client = redis.asyncio.Redis.from_url(settings.REDIS_URL, socket_timeout=POP_SECONDS + 10)
    key = _key(job_id)
    expected = 0
    idle_since = time.monotonic()
    try:
        while True:
            popped = await client.blpop([key], timeout=POP_SECONDS)
            if popped is None:
                if time.monotonic() - idle_since > idle_seconds:
                    raise StreamEnded(STALLED, "No audio came in time; is the gpu worker running?")
                continue
            idle_since = time.monotonic()
            header, payload = _unpack(popped[1])
            if "end" in header:
                raise StreamEnded(header["end"], header.get("error", ""))
            if header["index"] < expected:
                continue
            expected = header["index"] + 1
            samples = np.frombuffer(payload, dtype="<f4")
            yield Sentence(header["index"], header["total"], samples, header["sample_rate"])
            if expected >= header["total"]:
                return
    finally:
        await client.aclose()


async def stream_abandon(job_id: Any) -> None:
    """The reader has gone: the worker cancels the job at its next sentence (or before it begins), and what
    is queued is dropped. The worker, not the web process, writes the job's state: it owns it while running."""
    client = redis.asyncio.Redis.from_url(settings.REDIS_URL)
    try:
        async with client.pipeline() as pipe:
            pipe.set(_closed_key(job_id), 1, ex=KEY_TTL_SECONDS)
            pipe.delete(_key(job_id))
            await pipe.execute()
    finally:
        await client.aclose()
