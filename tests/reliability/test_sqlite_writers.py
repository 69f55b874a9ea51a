"""8 processes writing at once to one SQLite file: WAL + IMMEDIATE transactions + a busy timeout mean
no "database is locked" reaches a caller."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
WRITERS, ROUNDS = 8, 25


@pytest.mark.live
def test_eight_concurrent_writers_on_a_sqlite_file(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")},
        "CLONYVOICE_DATA_DIR": str(tmp_path / "data"),
        # Events go to the test session's Redis; the database is a file of its own.
        "REDIS_URL": settings.REDIS_URL,
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.sqlite_writer", f"w{i}", str(ROUNDS)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(WRITERS)
    ]
    outputs = [proc.communicate(timeout=600) for proc in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-3000:]
        assert "database is locked" not in err
        assert out.startswith("ok")
    db = sqlite3.connect(tmp_path / "data" / "clonyvoice.sqlite3")
    jobs = db.execute("select status, count(*) from clonyvoice_job where kind = 'writer' group by status").fetchall()
    assert jobs == [("succeeded", WRITERS * ROUNDS)]
    assert db.execute("select count(*) from voices_category").fetchone()[0] == WRITERS * ROUNDS
