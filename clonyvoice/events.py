"""Typed events sent to a user's channel-layer group, which the /ws consumer forwards."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from typing import Any

from channels.layers import get_channel_layer

from clonyvoice.models import Job

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def job_payload(job: Job) -> dict[str, Any]:
    return {
        "job_id": str(job.id),
        "task_id": str(job.id),
        "kind": job.kind,
        "queue": job.queue,
        "status": job.status,
        "progress": job.progress,
        "total": job.total,
        "fraction": round(job.fraction, 4),
        "message": job.message,
    }


PUBLISH_TIMEOUT = 5.0


class _Publisher:
    """One event loop per process, in a thread of its own, that sends every event.

    Sync callers would otherwise publish through `async_to_sync`: in a worker that is a new event
    loop (and Redis connection) per event, and in daphne it is the server's own loop, which queues
    the event behind every HTTP request in flight.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0

    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            # A forked child inherits the object but not the thread.
            if self._loop is None or self._pid != os.getpid():
                self._loop = asyncio.new_event_loop()
                self._pid = os.getpid()
                threading.Thread(target=self._loop.run_forever, name="clonyvoice-events", daemon=True).start()
            return self._loop

    def send(self, group: str, message: dict[str, Any]) -> None:
        """Waits until Redis has the event, so events from one thread arrive in the order they were sent."""
        layer = get_channel_layer()
        if layer is None:
            return
        future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), self.loop())
        try:
            future.result(timeout=PUBLISH_TIMEOUT)
        except TimeoutError:
            future.cancel()
            raise


_publisher = _Publisher()


def send_to_user(user_id: int, event: dict[str, Any]) -> None:
    """Best effort: a lost progress event must never fail the job (clients resync by GET).

    `sent_at` (Unix time, seconds) lets a client measure how long the event took to reach it.
    """
    try:
        _publisher.send(user_group(user_id), {**event, "sent_at": round(time.time(), 6)})
    # CancelledError is a BaseException: a layer connection whose event loop has gone raises it,
    # and it must not escape into (and end) a worker thread.
    except (Exception, asyncio.CancelledError):
        logger.warning("could not publish %s for user %s", event.get("type"), user_id, exc_info=True)


def publish_job(job: Job, event_type: str, **extra: Any) -> None:
    send_to_user(job.owner_id, {"type": event_type, **job_payload(job), **extra})
