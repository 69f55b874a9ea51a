"""Redis goes away and comes back while jobs wait in the queue and a client is on /ws.

Both Redis set-ups the product supports: the embedded one that `serve` supervises (killed here with
SIGKILL; its append-only file keeps the queue), and a separate redis-server given by REDIS_URL
(stopped and started again by the test, as an operator would).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import psutil
import pytest
import redis

from tests.live.product import Product, free_port
from tests.reliability.live import (
    EventLog,
    espeak_voice,
    generation_files,
    job_row,
    sentences,
    start_generation,
    wait_jobs,
    wait_until,
)

pytestmark = pytest.mark.live

JOBS, SENTENCES = 4, 6


class ExternalRedis:
    """A redis-server of this machine's on a free port with its own folder (not the shared server on 6379)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        argv = [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        argv += ["--dir", str(self.folder), "--appendonly", "yes", "--save", "", "--loglevel", "warning"]
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_timeout=1)
        wait_until(lambda: self._ping(client), 20, "redis-server starting")

    @staticmethod
    def _ping(client: redis.Redis) -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # Redis writes its append-only file and exits
            self.process.wait(20)


def _redis_child(product: Product) -> psutil.Process | None:
    for proc in product.descendants():
        try:
            if "redis-server" in proc.cmdline()[0]:
                return proc
        except (psutil.Error, IndexError):
            continue
    return None


def _run_outage(product: Product, outage) -> None:
    key = product.create_key("--limit", "ws:connect=1000", "--limit", "tts:generate=100", "--limit", "system:read=1000")
    product.wait_for_workers(key)
    voice = espeak_voice(product, key)
    task_ids: list[str] = []
    resynced: dict[str, str] = {}

    def resync() -> None:
        # What a client does after a reconnect: ask for the state of the jobs it follows.
        with product.client(key) as client:
            for task_id in task_ids:
                response = client.get(f"/api/jobs/{task_id}")
                if response.status_code == 200:
                    resynced[task_id] = response.json()["status"]

    with EventLog(product, key, on_reconnect=resync) as ws:
        task_ids += [start_generation(product, key, voice, sentences(SENTENCES)) for _ in range(JOBS)]
        ws.wait_for(lambda e: e.get("task_id") == task_ids[0] and e.get("chunk_index", -1) >= 0, 60)
        waiting = [t for t in task_ids if job_row(product, t)["status"] == "pending"]
        assert waiting, "every job ran before the outage; nothing was queued"
        outage()
        jobs = wait_jobs(product, key, task_ids, timeout=120)
        wait_until(lambda: ws.connects >= 2, 30, "the /ws client reconnecting")
        # The client learns how the last job ended: live, or from its resync if it finished while the
        # client was reconnecting.
        last = task_ids[-1]
        wait_until(
            lambda: (
                resynced.get(last) == "succeeded"
                or any(e.get("task_id") == last and e["type"] == "job.finished" for e in ws.events)
            ),
            60,
            "the client learning that the last job finished",
        )
    assert {j["status"] for j in jobs.values()} == {"succeeded"}, jobs
    assert resynced, "the client never resynced after reconnecting"
    for task_id in task_ids:
        rows, on_disk = generation_files(product, task_id)
        assert [r[1] for r in rows] == [1] * SENTENCES
        assert on_disk == {r[2] for r in rows}
    # Queued jobs ran once, after the outage.
    assert {job_row(product, t)["attempts"] for t in waiting} == {1}
    with product.client(key) as client:
        assert client.get("/api/queue/status").status_code == 200


def test_the_embedded_redis_is_killed_and_restarted(tmp_path):
    product = Product(tmp_path / "data").start()
    try:

        def outage() -> None:
            victim = _redis_child(product)
            assert victim is not None
            victim.kill()
            victim.wait(10)
            # serve notices and starts it again on the same socket and append-only file
            wait_until(
                lambda: (child := _redis_child(product)) is not None and child.pid != victim.pid,
                30,
                "serve restarting Redis",
            )

        _run_outage(product, outage)
    finally:
        product.stop()


def test_an_external_redis_is_stopped_and_started(tmp_path):
    server = ExternalRedis(tmp_path / "redis")
    server.start()
    product = Product(tmp_path / "data", env={"REDIS_URL": server.url})
    try:
        product.start()

        def outage() -> None:
            server.stop()
            time.sleep(3)
            server.start()

        _run_outage(product, outage)
    finally:
        if product.process is not None:
            product.stop()
        server.stop()
