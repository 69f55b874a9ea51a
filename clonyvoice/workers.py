"""Worker liveness: each Dramatiq worker process keeps a heartbeat record in Redis.

The record says which queues the process consumes, what it is running, and what the process can
see of the machine's ML runtime (torch, CUDA). The web process reads these records instead of
importing torch itself.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import platform
import socket
import threading
import time
from typing import Any

import redis
from django.conf import settings
from dramatiq import Broker, Middleware, Worker
from dramatiq.broker import MessageProxy

from clonyvoice.redis_shared import shared_client

logger = logging.getLogger(__name__)

KEY_PREFIX = "clonyvoice:worker:"


def redis_client() -> redis.Redis:
    return shared_client(settings.REDIS_URL)


def ml_runtime() -> dict[str, Any]:
    """What torch sees in this process. Only ever called inside a worker."""
    if importlib.util.find_spec("torch") is None:
        return {"torch": None, "cuda_available": False, "cuda_devices": [], "reason": "torch is not installed"}
    import torch

    devices = []
    cuda = bool(torch.cuda.is_available())
    if cuda:
        devices = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return {
        "torch": torch.__version__,
        "cuda_available": cuda,
        "cuda_version": torch.version.cuda,
        "cuda_devices": devices,
        "threads": torch.get_num_threads(),
    }


class WorkerHeartbeat(Middleware):
    """Writes `clonyvoice:worker:<host>:<pid>` every few seconds with a short expiry."""

    def __init__(self) -> None:
        self.running: dict[str, str] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.record: dict[str, Any] = {}
        self.thread: threading.Thread | None = None

    @property
    def key(self) -> str:
        return f"{KEY_PREFIX}{socket.gethostname()}:{os.getpid()}"

    def after_worker_boot(self, broker: Broker, worker: Worker) -> None:
        self.record = {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "queues": sorted(worker.consumer_whitelist or broker.get_declared_queues()),
            "threads": worker.worker_threads,
            "started_at": time.time(),
            "python": platform.python_version(),
            "runtime": None,
        }
        self.stop.clear()
        self.thread = threading.Thread(target=self._beat, name="clonyvoice-heartbeat", daemon=True)
        self.thread.start()

    def before_worker_shutdown(self, broker: Broker, worker: Worker) -> None:
        self.stop.set()
        with contextlib.suppress(redis.RedisError):
            redis_client().delete(self.key)

    def before_process_message(self, broker: Broker, message: MessageProxy) -> None:
        with self.lock:
            self.running[message.message_id] = message.args[0] if message.args else ""

    def after_process_message(self, broker: Broker, message: MessageProxy, *, result=None, exception=None) -> None:
        with self.lock:
            self.running.pop(message.message_id, None)

    after_skip_message = after_process_message

    def _beat(self) -> None:
        interval = settings.CLONYVOICE_WORKER_HEARTBEAT_SECONDS
        client = redis_client()
        while not self.stop.is_set():
            if self.record["runtime"] is None and "gpu" in self.record["queues"]:
                try:
                    self.record["runtime"] = ml_runtime()
                except Exception as exc:  # noqa: BLE001 - a broken torch install is reported, not fatal
                    self.record["runtime"] = {"torch": None, "cuda_available": False, "reason": str(exc)}
            with self.lock:
                record = {**self.record, "running_jobs": list(self.running.values()), "seen_at": time.time()}
            try:
                client.set(self.key, json.dumps(record), ex=max(5, interval * 3))
            except redis.RedisError:
                logger.warning("heartbeat: Redis is unreachable; retrying", exc_info=True)
            self.stop.wait(interval)


def workers_alive() -> list[dict[str, Any]]:
    """Heartbeat records of the worker processes seen in the last few seconds."""
    client = redis_client()
    keys = sorted(client.scan_iter(match=f"{KEY_PREFIX}*", count=100))
    if not keys:
        return []
    return [json.loads(raw) for raw in client.mget(keys) if raw]
