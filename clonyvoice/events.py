"""Typed events sent to a user's channel-layer group, which the /ws consumer forwards."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from channels.layers import get_channel_layer

from clonyvoice.models import Job
from clonyvoice.process_thread import sender

logger = logging.getLogger(__name__)

PUBLISH_TIMEOUT = 5.0


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def auth_group(user_id: int) -> str:
    """Every socket of a user, told when the user changes (password, deactivation)."""
    return f"auth.user.{user_id}"


def key_group(key_id: str) -> str:
    """The sockets one API key opened."""
    return f"auth.key.{key_id}"


def session_group(session_key: str) -> str:
    """The sockets one browser session opened."""
    return f"auth.session.{session_key}"


def sockets_tell(group: str, event_type: str) -> None:
    """Tell the sockets of `group` that what let them in changed: `auth.recheck` or `auth.revoked`."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        sender.run(layer.group_send(group, {"type": event_type}), timeout=PUBLISH_TIMEOUT)
    except (Exception, asyncio.CancelledError):
        logger.warning("could not tell the sockets of %s (%s)", group, event_type, exc_info=True)


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


def send_to_user(user_id: int, event: dict[str, Any]) -> None:
    """Best effort: a lost progress event must never fail the job (clients resync by GET).

    `sent_at` (Unix time, seconds) lets a client measure how long the event took to reach it.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        message = {**event, "sent_at": round(time.time(), 6)}
        sender.run(layer.group_send(user_group(user_id), message), timeout=PUBLISH_TIMEOUT)
    # CancelledError is a BaseException: a layer connection whose event loop has gone raises it,
    # and it must not escape into (and end) a worker thread.
    except (Exception, asyncio.CancelledError):
        logger.warning("could not publish %s for user %s", event.get("type"), user_id, exc_info=True)


def publish_job(job: Job, event_type: str, **extra: Any) -> None:
    send_to_user(job.owner_id, {"type": event_type, **job_payload(job), **extra})
