"""Running queued jobs in a Dramatiq worker from a test."""

from __future__ import annotations

from dramatiq import Worker


def run_all_jobs(broker) -> None:
    """Run every queued job in a worker started only now: a worker running while the test thread writes could
    meet SQLite's shared-cache table locks (the test database), which fail at once instead of waiting."""
    worker = Worker(broker, worker_timeout=100, worker_threads=1)
    worker.start()
    try:
        for queue in ("gpu", "cpu"):
            if queue in broker.get_declared_queues():
                broker.join(queue, fail_fast=False, timeout=300_000)
        worker.join()
    finally:
        worker.stop()
        broker.middleware[:] = [m for m in broker.middleware if getattr(m, "worker", None) is not worker]
