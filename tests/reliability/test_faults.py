"""Faults on the real product: a killed worker, a stopped server, a full disk.

Each test runs `manage.py serve` (embedded Redis, daphne, gpu + cpu workers) in its own data dir and
follows the jobs on /ws the way a client does.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time

import psutil
import pytest

from tests.live.product import Product
from tests.reliability.live import (
    FINAL,
    EventLog,
    espeak_voice,
    generation_files,
    gpu_workers,
    job_row,
    media_root,
    sentences,
    start_generation,
    wait_jobs,
    wait_until,
)

pytestmark = pytest.mark.live

SENTENCES = 30
LONG = 150


def _assert_generated_once(product: Product, task_id: str, n: int) -> None:
    """One chunk row per sentence, one take per chunk, one file per take, nothing else in the folder."""
    rows, on_disk = generation_files(product, task_id)
    assert [r[0] for r in rows] == list(range(n))
    assert all(r[1] == 1 for r in rows), rows
    assert on_disk == {r[2] for r in rows}, on_disk ^ {r[2] for r in rows}


def test_a_killed_gpu_worker_is_restarted_and_its_job_finishes_once(tmp_path):
    product = Product(tmp_path / "data").start()
    try:
        key = product.create_key("--limit", "ws:connect=1000")
        product.wait_for_workers(key)
        voice = espeak_voice(product, key)
        with EventLog(product, key) as ws:
            task_id = start_generation(product, key, voice, sentences(SENTENCES))
            ws.wait_for(lambda e: e.get("task_id") == task_id and e.get("chunk_index", -1) >= 1, 60)
            victims = gpu_workers(product)
            assert victims, "no gpu worker process found"
            for proc in victims:
                proc.kill()
            killed_at = time.monotonic()
            psutil.wait_procs(victims, timeout=10)
            done_before = len(ws.of(task_id, "job.progress"))

            # The supervisor starts a new gpu worker; the broker hands it the dead consumer's message
            # once that consumer has missed its heartbeats.
            restarted = wait_until(lambda: gpu_workers(product), 30, "the supervisor restarting the gpu worker")
            assert {p.pid for p in restarted}.isdisjoint({p.pid for p in victims})
            finished = ws.wait_for(lambda e: e.get("task_id") == task_id and e["type"] in FINAL, 90)
            redelivered_after = time.monotonic() - killed_at
            time.sleep(1)  # a duplicate run would announce itself within this
            assert finished["type"] == "job.finished", finished
            assert len(ws.of(task_id, *FINAL)) == 1
            assert ws.drops == 0
        assert done_before < SENTENCES
        assert redelivered_after < 60
        job = job_row(product, task_id)
        assert job["status"] == "succeeded"
        assert job["attempts"] == 2
        _assert_generated_once(product, task_id, SENTENCES)
        assert "restarting" in product.log()
    finally:
        product.stop()


def test_sigterm_stops_everything_and_the_next_start_runs_the_queued_jobs(tmp_path):
    product = Product(tmp_path / "data").start()
    key = product.create_key("--limit", "ws:connect=1000", "--limit", "tts:generate=100")
    product.wait_for_workers(key)
    voice = espeak_voice(product, key)
    with EventLog(product, key) as ws:
        # Long enough that the three behind it are still queued when SIGTERM arrives.
        running = start_generation(product, key, voice, sentences(LONG))
        queued = [start_generation(product, key, voice, sentences(3)) for _ in range(3)]
        ws.wait_for(lambda e: e.get("task_id") == running and e.get("chunk_index", -1) >= 0, 60)
        children = product.descendants()
        assert product.stop() == 0
    _gone, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []
    assert not (product.data_dir / "redis.sock").exists()
    # The worker either finished its current job within its shutdown grace or left it running for
    # redelivery; the jobs behind it were never started and wait in Redis's append-only file.
    assert job_row(product, running)["status"] in ("succeeded", "running")
    assert {job_row(product, t)["status"] for t in queued} <= {"pending", "succeeded"}
    assert any(job_row(product, t)["status"] == "pending" for t in queued)

    product.start()
    try:
        jobs = wait_jobs(product, key, [running, *queued], timeout=90)
        assert {j["status"] for j in jobs.values()} == {"succeeded"}
        assert max(job_row(product, t)["attempts"] for t in queued) == 1
        _assert_generated_once(product, running, LONG)
        for task_id in queued:
            _assert_generated_once(product, task_id, 3)
    finally:
        product.stop()


@contextlib.contextmanager
def _small_filesystem(path, megabytes: int):
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(path)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs for the media folder: {mounted.stderr.strip() or 'not permitted'}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_full_disk_fails_the_job_clearly_and_leaves_no_partial_file(tmp_path):
    data = tmp_path / "data"
    with _small_filesystem(data / "media", 4) as media:
        product = Product(data).start()
        try:
            key = product.create_key("--limit", "ws:connect=1000")
            product.wait_for_workers(key)
            voice = espeak_voice(product, key)
            # Fill the media file system up to the last few kilobytes: room for no take at all.
            filler = media / "filler"
            with open(filler, "wb") as handle, contextlib.suppress(OSError):
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            os.truncate(filler, filler.stat().st_size - 16 * 1024)
            with EventLog(product, key) as ws:
                task_id = start_generation(product, key, voice, sentences(3))
                failed = ws.wait_for(lambda e: e.get("task_id") == task_id and e["type"] in FINAL, 60)
            assert failed["type"] == "job.failed", failed
            assert "disk" in failed["error"].lower() and "full" in failed["error"].lower(), failed["error"]
            assert "Errno" not in failed["error"]
            rows, on_disk = generation_files(product, task_id)
            assert on_disk == set()  # no partial take, no temp file
            assert all(r[1] == 0 for r in rows)
            with product.client(key) as client:
                assert client.get("/api/voices").status_code == 200
                job = client.get(f"/api/jobs/{task_id}").json()
                assert job["status"] == "failed" and job["error"] == failed["error"]
            # Room again: the same server generates as before.
            filler.unlink()
            again = start_generation(product, key, voice, sentences(2))
            assert wait_jobs(product, key, [again], 60)[again]["status"] == "succeeded"
            assert not list(media_root(product).rglob("*.part"))
        finally:
            product.stop()
        assert product.process is not None and product.process.returncode == 0
