"""Runs the real product (`manage.py serve`: Redis, daphne, workers) as processes for a test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[2]
OWNER_PASSWORD = "owner-password-for-tests"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Product:
    """One ClonyVoice install in its own data dir, started with the README's serve command."""

    def __init__(self, data_dir: Path, *, env: dict[str, str] | None = None, args: list[str] | None = None) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.args = args or []
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_URL", "BROKER_URL")
            },
            "CLONYVOICE_DATA_DIR": str(data_dir),
            "CLONYVOICE_OWNER_PASSWORD": OWNER_PASSWORD,
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None
        self.log_path = data_dir / "serve.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def start(self, timeout: float = 90) -> Product:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        offset = len(self.log())
        log = open(self.log_path, "a")  # noqa: SIM115 - kept open for the process's life
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(self.port), "--workers", "2", *self.args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited with {self.process.returncode}:\n{self.log()}")
            if "ClonyVoice is running at" in self.log()[offset:]:
                return self
            time.sleep(0.2)
        raise RuntimeError(f"serve did not start in {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def descendants(self) -> list[psutil.Process]:
        assert self.process is not None
        return psutil.Process(self.process.pid).children(recursive=True)

    def stop(self, timeout: float = 60) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            for child in self.descendants():
                child.kill()
            self.process.kill()
            raise

    def manage(self, *args: str) -> str:
        out = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, check=True
        )
        return out.stdout

    def create_key(self, *args: str) -> str:
        return self.manage("createapikey", "--name", "live test", *args).strip().splitlines()[-1]

    def client(self, key: str | None = None, base: str | None = None) -> httpx.Client:
        headers = {"X-API-Key": key} if key else {}
        return httpx.Client(base_url=base or self.url, headers=headers, timeout=30)

    def wait_for_workers(self, key: str, queues: tuple[str, ...] = ("gpu", "cpu"), timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        with self.client(key) as client:
            while time.monotonic() < deadline:
                alive = client.get("/api/queue/status").json()["workers_alive"]
                if all(alive.get(q, 0) >= 1 for q in queues):
                    return alive
                time.sleep(0.5)
        raise RuntimeError(f"workers did not report in {timeout}s:\n{self.log()}")
