"""Helpers for the fault tests: a /ws client that survives outages, and checks on a generation's files."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

from tests.live.product import Product

FINAL = ("job.finished", "job.failed", "job.cancelled")


def sentences(n: int) -> str:
    """`n` short sentences: one chunk each for the sentence splitter."""
    words = ["apple", "river", "candle", "morning", "silver", "garden", "window", "thunder", "meadow", "lantern"]
    return " ".join(f"Sentence number {i + 1} talks about the {words[i % len(words)]}." for i in range(n))


class EventLog:
    """A /ws client in a thread: it keeps every event, and reconnects (counting how often) when dropped.

    After each reconnect it calls `on_reconnect()`, where a real client resyncs with GET /api/jobs/{id}.
    """

    def __init__(self, product: Product, key: str, on_reconnect: Callable[[], None] | None = None) -> None:
        self.url = product.ws_url
        self.key = key
        self.on_reconnect = on_reconnect
        self.events: list[dict[str, Any]] = []
        self.connects = 0
        self.drops = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._hello = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ws-client", daemon=True)

    def __enter__(self) -> EventLog:
        self._thread.start()
        if not self._hello.wait(30):
            raise RuntimeError("the /ws client could not connect")
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with connect(self.url, additional_headers={"X-API-Key": self.key}, open_timeout=5) as ws:
                    hello = json.loads(ws.recv(timeout=10))
                    assert hello["type"] == "hello", hello
                    self.connects += 1
                    if self.connects > 1 and self.on_reconnect is not None:
                        self.on_reconnect()
                    self._hello.set()
                    while not self._stop.is_set():
                        try:
                            raw = ws.recv(timeout=0.5)
                        except TimeoutError:
                            continue
                        event = json.loads(raw)
                        event["_received_at"] = time.time()
                        with self._lock:
                            self.events.append(event)
            except (OSError, WebSocketException, TimeoutError, AssertionError):
                if self._stop.is_set():
                    return
                self.drops += 1
                time.sleep(0.5)

    def of(self, task_id: str, *types: str) -> list[dict[str, Any]]:
        with self._lock:
            return [e for e in self.events if e.get("task_id") == task_id and (not types or e["type"] in types)]

    def wait_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < deadline:
            with self._lock:
                fresh = self.events[seen:]
                seen = len(self.events)
            for event in fresh:
                if predicate(event):
                    return event
            time.sleep(0.05)
        raise TimeoutError(f"no matching /ws event in {timeout:.0f}s; saw {[e['type'] for e in self.events][-20:]}")


def wait_jobs(product: Product, key: str, task_ids: list[str], timeout: float) -> dict[str, dict]:
    """Poll GET /api/jobs/{id} (what a client does after a reconnect) until every job has ended."""
    deadline = time.monotonic() + timeout
    jobs: dict[str, dict] = {}
    with product.client(key) as client:
        while time.monotonic() < deadline:
            for task_id in task_ids:
                if jobs.get(task_id, {}).get("status") in ("succeeded", "failed", "cancelled"):
                    continue
                try:
                    response = client.get(f"/api/jobs/{task_id}")
                except OSError:
                    continue
                if response.status_code == 200:
                    jobs[task_id] = response.json()
            if all(jobs.get(t, {}).get("status") in ("succeeded", "failed", "cancelled") for t in task_ids):
                return jobs
            time.sleep(0.5)
    raise TimeoutError(f"jobs did not end in {timeout:.0f}s: {[(t, jobs.get(t, {}).get('status')) for t in task_ids]}")


def espeak_voice(product: Product, key: str) -> str:
    with product.client(key) as client:
        voices = client.get("/api/voices", params={"engine": "espeak", "language": "en"}).json()["results"]
    return voices[0]["id"]


def start_generation(product: Product, key: str, voice_id: str, text: str) -> str:
    with product.client(key) as client:
        response = client.post("/api/generate/clone-chunked", json={"text": text, "voice_id": voice_id})
    assert response.status_code == 202, response.text
    return response.json()["task_id"]


def gpu_workers(product: Product) -> list[psutil.Process]:
    """The gpu worker's processes (the Dramatiq master and the process it forked), children first."""
    found = []
    for proc in product.descendants():
        try:
            cmdline = proc.cmdline()
        except psutil.Error:
            continue
        if "--queues" in cmdline and cmdline[cmdline.index("--queues") + 1 :][:1] == ["gpu"]:
            found.append(proc)
    return sorted(found, key=lambda p: -len(p.parents()))


def database(product: Product) -> sqlite3.Connection:
    return sqlite3.connect(product.data_dir / "clonyvoice.sqlite3", timeout=30)


def generation_files(product: Product, task_id: str) -> tuple[list[tuple[int, int, str]], set[str]]:
    """(chunk index, take count, take file) per chunk from the database, and the files on disk."""
    with database(product) as db:
        rows = db.execute(
            "select c.'index', count(t.id), group_concat(t.audio) from synthesis_chunk c "
            "left join synthesis_take t on t.chunk_id = c.id where c.generation_id = ? group by c.id order by 1",
            (task_id.replace("-", ""),),
        ).fetchall()
    folder = product.data_dir / "media" / "generations" / task_id
    on_disk = {f"generations/{task_id}/{p.name}" for p in folder.iterdir()} if folder.exists() else set()
    return rows, on_disk


def job_row(product: Product, task_id: str) -> dict[str, Any]:
    with database(product) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("select * from clonyvoice_job where id = ?", (task_id.replace("-", ""),)).fetchone()
    return dict(row)


def wait_until(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError(f"{what}: not within {timeout:.0f}s")


def media_root(product: Product) -> Path:
    return product.data_dir / "media"
