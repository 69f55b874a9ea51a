"""One of several processes writing to the same file-backed SQLite database (run by test_sqlite_writers)."""

from __future__ import annotations

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clonyvoice.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402

from clonyvoice.jobs import ProgressReporter, job_begin  # noqa: E402
from clonyvoice.models import Job  # noqa: E402
from voices.services import category_create  # noqa: E402


def main(name: str, rounds: int) -> None:
    with transaction.atomic():
        owner, _ = get_user_model().objects.get_or_create(username="writers")
    for n in range(rounds):
        job = Job.objects.create(owner=owner, kind="writer", queue="cpu", params={"writer": name, "n": n})
        begun = job_begin(job_id=str(job.pk))
        with ProgressReporter(begun, min_interval=0) as progress:
            for step in range(3):
                progress.update(step + 1, 3)
            progress.result = {"writer": name}
        category_create(owner=owner, name=f"{name}-{n}")
    print("ok", name, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
