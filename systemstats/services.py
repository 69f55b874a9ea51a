"""Diagnostics: checks a worker runs against the tools and services ClonyVoice depends on."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from clonyvoice.jobs import ProgressReporter
from clonyvoice.workers import ml_runtime, redis_client

MIN_FREE_BYTES = 1024**3


def _tool_version(binary: str, *args: str) -> Callable[[], str]:
    def check() -> str:
        path = shutil.which(binary)
        if path is None:
            raise RuntimeError(f"{binary} is not installed")
        out = subprocess.run([path, *args], capture_output=True, text=True, timeout=20, check=False)
        text = (out.stdout or out.stderr).strip().splitlines()
        return text[0] if text else path

    return check


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


def _redis() -> str:
    client = redis_client()
    key = f"clonyvoice:diagnostics:{uuid.uuid4()}"
    client.set(key, "1", ex=10)
    if client.get(key) != b"1":
        raise RuntimeError("Redis did not return what was written")
    client.delete(key)
    return client.info("server")["redis_version"]


def _storage() -> str:
    payload = uuid.uuid4().bytes
    name = default_storage.save(f"diagnostics/{uuid.uuid4()}.bin", ContentFile(payload))
    try:
        with default_storage.open(name) as stored:
            if stored.read() != payload:
                raise RuntimeError("stored bytes differ from written bytes")
    finally:
        default_storage.delete(name)
    return str(settings.MEDIA_ROOT)


def _disk() -> str:
    free = shutil.disk_usage(settings.DATA_DIR).free
    if free < MIN_FREE_BYTES:
        raise RuntimeError(f"only {free // 2**20} MiB free in {settings.DATA_DIR}")
    return f"{free // 2**30} GiB free"


def _ml() -> str:
    runtime = ml_runtime()
    if runtime["torch"] is None:
        raise RuntimeError(runtime.get("reason", "torch is not available"))
    return f"torch {runtime['torch']}, CUDA {'yes' if runtime['cuda_available'] else 'no'}"


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("database", _database),
    ("redis", _redis),
    ("storage", _storage),
    ("disk", _disk),
    ("ffmpeg", _tool_version("ffmpeg", "-version")),
    ("ffprobe", _tool_version("ffprobe", "-version")),
    ("espeak-ng", _tool_version("espeak-ng", "--version")),
    ("festival", _tool_version("festival", "--version")),
    ("torch", _ml),
]


def diagnostics_run(*, progress: ProgressReporter) -> dict[str, Any]:
    """Run every check, cancellable between checks; a failed check is reported, not raised."""
    results = []
    for index, (name, check) in enumerate(CHECKS):
        progress.checkpoint()
        try:
            results.append({"name": name, "ok": True, "detail": check()})
        except Exception as exc:  # noqa: BLE001 - each check reports its own failure
            results.append({"name": name, "ok": False, "detail": str(exc) or type(exc).__name__})
        progress.update(index + 1, len(CHECKS), message=f"checked {name}")
    return {"checks": results, "ok": all(r["ok"] for r in results)}
