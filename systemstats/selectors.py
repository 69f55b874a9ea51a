"""Reads of the machine, the services and the job queues. Never imports torch: the worker reports it."""

from __future__ import annotations

import os
import platform
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import redis
from django.conf import settings
from django.db import connection
from django.db.models import Count

from cloning.transcription.catalog import engine_status as whisper_status
from clonyvoice.models import Job
from clonyvoice.workers import redis_client, workers_alive
from synthesis.engines import engine_status
from synthesis.translation import translation_status

_STARTED = time.time()
_cpu_lock = threading.Lock()
_cpu_sample: tuple[float, float, list[float]] = (0.0, 0.0, [])
MIN_CPU_INTERVAL = 0.5


def _cpu_percent() -> tuple[float, list[float]]:
    """psutil measures since its previous call; share one sample between concurrent readers."""
    global _cpu_sample
    with _cpu_lock:
        taken, total, per_core = _cpu_sample
        now = time.monotonic()
        if now - taken >= MIN_CPU_INTERVAL or not per_core:
            if not per_core:
                psutil.cpu_percent(percpu=True)
                time.sleep(0.1)
            per_core = psutil.cpu_percent(percpu=True)
            total = round(sum(per_core) / len(per_core), 1) if per_core else 0.0
            _cpu_sample = (now, total, per_core)
        return total, per_core


NO_GPU_WORKER = "no_gpu_worker"
"""What `ml.reason` of /api/system/info says until a `gpu` worker has reported its torch and CUDA."""
GPU_NO_NVIDIA = "no_nvidia_gpu"
"""No NVIDIA driver or card answers on this machine (NVML's library is missing, or it sees no device)."""
GPU_NO_NVML = "nvml_not_installed"
"""The Python binding that reads NVIDIA cards (nvidia-ml-py) is not installed."""
GPU_NVML_ERROR = "nvml_error"
"""NVML is there but failed; `detail` has its message."""


def gpu_info() -> dict[str, Any]:
    """NVIDIA GPUs through NVML, or why there are none: `reason` is a code for clients to word, `detail` is the
    underlying message for a log."""
    try:
        import pynvml
    except ImportError:
        return _no_gpu(GPU_NO_NVML, "nvidia-ml-py is not installed")
    try:
        pynvml.nvmlInit()
    except pynvml.NVMLError as exc:
        missing = (pynvml.NVMLError_LibraryNotFound, pynvml.NVMLError_DriverNotLoaded, pynvml.NVMLError_NoPermission)
        return _no_gpu(GPU_NO_NVIDIA if isinstance(exc, missing) else GPU_NVML_ERROR, str(exc))
    try:
        gpus = []
        for index in range(pynvml.nvmlDeviceGetCount()):
            handle = pynvml.nvmlDeviceGetHandleByIndex(index)
            memory = pynvml.nvmlDeviceGetMemoryInfo(handle)
            gpus.append(
                {
                    "index": index,
                    "name": _nvml(pynvml.nvmlDeviceGetName, handle),
                    "memory_total": memory.total,
                    "memory_used": memory.used,
                    "memory_free": memory.free,
                    "utilization_percent": getattr(_nvml(pynvml.nvmlDeviceGetUtilizationRates, handle), "gpu", None),
                    "temperature_c": _nvml(pynvml.nvmlDeviceGetTemperature, handle, pynvml.NVML_TEMPERATURE_GPU),
                    "power_watts": _milli(_nvml(pynvml.nvmlDeviceGetPowerUsage, handle)),
                    "power_limit_watts": _milli(_nvml(pynvml.nvmlDeviceGetEnforcedPowerLimit, handle)),
                    "processes": [
                        {"pid": p.pid, "memory_used": p.usedGpuMemory}
                        for p in _nvml(pynvml.nvmlDeviceGetComputeRunningProcesses, handle) or []
                    ],
                }
            )
        if not gpus:
            return _no_gpu(GPU_NO_NVIDIA, "NVML sees no device")
        return {"available": True, "driver": _nvml(pynvml.nvmlSystemGetDriverVersion), "gpus": gpus}
    finally:
        pynvml.nvmlShutdown()


def _no_gpu(reason: str, detail: str) -> dict[str, Any]:
    return {"available": False, "reason": reason, "detail": detail, "gpus": []}


def _nvml(function: Any, *args: Any) -> Any:
    # Consumer cards leave some fields unsupported; report them as null instead of failing.
    import pynvml

    try:
        value = function(*args)
    except pynvml.NVMLError:
        return None
    return value.decode() if isinstance(value, bytes) else value


def _milli(value: int | None) -> float | None:
    return None if value is None else round(value / 1000, 1)


def system_stats() -> dict[str, Any]:
    total, per_core = _cpu_percent()
    memory = psutil.virtual_memory()
    swap = psutil.swap_memory()
    disk = disk_usage(settings.DATA_DIR)
    process = psutil.Process()
    gpu = gpu_info()
    return {
        "timestamp": time.time(),
        "cpu": {"percent": total, "per_core": per_core, "cores": len(per_core)},
        "memory": {"total": memory.total, "used": memory.total - memory.available, "percent": memory.percent},
        "swap": {"total": swap.total, "used": swap.used, "percent": swap.percent},
        "disk": disk,
        "process": {"pid": process.pid, "rss": process.memory_info().rss},
        "gpu": {"available": gpu["available"], "gpus": gpu["gpus"], "reason": gpu.get("reason")},
    }


def disk_usage(path: Path) -> dict[str, Any]:
    """The file system holding `path`, as `df` reports it: blocks reserved for root count neither as used nor as
    free, so the share used is used / (used + free), not used / total."""
    usage = shutil.disk_usage(path)
    usable = usage.used + usage.free
    percent = round(usage.used * 100 / usable, 1) if usable else 0.0
    return {"path": str(path), "total": usage.total, "used": usage.used, "free": usage.free, "percent": percent}


def _worker_runtime(workers: list[dict[str, Any]]) -> dict[str, Any] | None:
    for worker in workers:
        if "gpu" in worker.get("queues", []) and worker.get("runtime"):
            return worker["runtime"]
    return None


def hardware_info() -> dict[str, Any]:
    memory = psutil.virtual_memory()
    try:
        workers = workers_alive()
    except redis.RedisError:
        workers = []
    runtime = _worker_runtime(workers)
    return {
        "cpu": {
            "model": _cpu_model(),
            "physical_cores": psutil.cpu_count(logical=False),
            "logical_cores": psutil.cpu_count(logical=True),
            "architecture": platform.machine(),
        },
        "memory": {"total": memory.total},
        "os": {"system": platform.system(), "release": platform.release(), "platform": platform.platform()},
        "python": platform.python_version(),
        "ml": runtime or {"torch": None, "cuda_available": False, "reason": NO_GPU_WORKER},
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _check_redis() -> dict[str, Any]:
    try:
        client = redis_client()
        client.ping()
        return {"ok": True, "embedded": settings.EMBEDDED_REDIS, "version": client.info("server")["redis_version"]}
    except redis.RedisError as exc:
        return {"ok": False, "embedded": settings.EMBEDDED_REDIS, "error": str(exc)}


def _check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - any database failure is reported as such
        return {"ok": False, "vendor": connection.vendor, "error": str(exc)}


def system_status() -> dict[str, Any]:
    redis_state = _check_redis()
    try:
        workers = workers_alive() if redis_state["ok"] else []
    except redis.RedisError:
        workers = []
    return {
        "version": settings.VERSION,
        "uptime_seconds": round(time.time() - _STARTED, 1),
        "pid": os.getpid(),
        "data_dir": str(settings.DATA_DIR),
        "database": _check_database(),
        "redis": redis_state,
        "broker": {"ok": redis_state["ok"], "backend": "dramatiq+redis"},
        "workers": workers,
        "workers_alive": len(workers),
        "engines": engine_status(),
        "transcription": _transcription_status(),
        "translation": _translation_status(),
    }


def _transcription_status() -> dict[str, Any]:
    return whisper_status()


def _translation_status() -> list[dict[str, Any]]:
    return translation_status()


def queue_status(*, owner: Any) -> dict[str, Any]:
    counts = Job.objects.filter(status__in=[Job.Status.PENDING, Job.Status.RUNNING]).values("queue", "status")
    queues: dict[str, dict[str, int]] = {"gpu": {"pending": 0, "running": 0}, "cpu": {"pending": 0, "running": 0}}
    for row in counts.annotate(n=Count("id")):
        queues.setdefault(row["queue"], {"pending": 0, "running": 0})[row["status"]] = row["n"]
    mine = Job.objects.filter(owner=owner, status__in=[Job.Status.PENDING, Job.Status.RUNNING]).order_by("created_at")
    try:
        workers = workers_alive()
    except redis.RedisError:
        workers = []
    return {
        "queues": queues,
        "workers_alive": {q: sum(1 for w in workers if q in w.get("queues", [])) for q in queues},
        "running": [job for job in mine if job.status == Job.Status.RUNNING],
        "pending": [job for job in mine if job.status == Job.Status.PENDING],
    }
