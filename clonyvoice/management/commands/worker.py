"""`python manage.py worker --queues gpu|cpu`: one Dramatiq worker process for a queue."""

from __future__ import annotations

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a Dramatiq worker. The gpu queue always gets 1 process with 1 thread: it owns the models."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--queues", nargs="+", choices=["gpu", "cpu"], default=["gpu", "cpu"])
        parser.add_argument("--threads", type=int, default=4, help="threads for the cpu queue")

    def handle(self, *args, queues: list[str], threads: int, **options) -> None:
        # Speech models are loaded once per process and are not thread-safe: one thread owns them.
        threads = 1 if "gpu" in queues else max(1, threads)
        # An idle Dramatiq consumer backs off up to this long between polls; the default (1 s) would
        # be the latency of every job's start.
        os.environ.setdefault("dramatiq_worker_timeout", "100")
        call_command(
            "rundramatiq",
            processes=1,
            threads=threads,
            queues=queues,
            worker_shutdown_timeout=30_000,
            verbosity=options.get("verbosity", 1),
        )
