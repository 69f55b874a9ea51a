"""The real product end to end: serve, a real worker on a real Redis, a real WebSocket client."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid

import psutil
import pytest
import websockets

from tests.live.product import ROOT, Product, free_port

pytestmark = pytest.mark.live


async def _follow_job(product: Product, key: str, start_job) -> tuple[str, list[dict]]:
    """Connect to /ws, start a job with `start_job()`, and collect its events until it ends."""
    async with websockets.connect(product.ws_url, additional_headers={"X-API-Key": key}) as ws:
        hello = json.loads(await ws.recv())
        assert hello["type"] == "hello"
        task_id = await asyncio.to_thread(start_job)
        events: list[dict] = []
        while True:
            event = json.loads(await asyncio.wait_for(ws.recv(), 60))
            if event.get("task_id") != task_id:
                continue
            events.append(event)
            if event["type"] in ("job.finished", "job.failed", "job.cancelled"):
                return task_id, events


def _start_diagnostics(product: Product, key: str):
    def start() -> str:
        with product.client(key) as client:
            response = client.post("/api/system/diagnostics")
        assert response.status_code == 202, response.text
        assert response.json()["status"] == "pending"
        return response.json()["task_id"]

    return start


def test_a_real_worker_runs_a_job_and_the_client_sees_it_live(product, product_key):
    alive = product.wait_for_workers(product_key)
    assert alive == {"gpu": 1, "cpu": 1}
    task_id, events = asyncio.run(_follow_job(product, product_key, _start_diagnostics(product, product_key)))
    types = [e["type"] for e in events]
    assert types[0] == "job.queued"
    assert types.count("job.progress") >= 2
    assert types[-1] == "job.finished"
    progress = [e["progress"] for e in events if e["type"] == "job.progress"]
    assert progress == sorted(progress)
    with product.client(product_key) as client:
        job = client.get(f"/api/jobs/{task_id}").json()
        status = client.get("/api/system/status").json()
        info = client.get("/api/system/info").json()
    assert job["status"] == "succeeded"
    checks = {c["name"]: c["ok"] for c in job["result"]["checks"]}
    assert checks["database"] and checks["redis"] and checks["storage"] and checks["ffmpeg"]
    assert status["redis"] == {"ok": True, "embedded": True, "version": status["redis"]["version"]}
    assert status["database"]["vendor"] == "sqlite"
    assert status["workers_alive"] == 2
    # torch availability comes from the gpu worker's report, not from the web process
    assert ("torch" in info["ml"] and "reason" in info["ml"]) or info["ml"]["torch"]


def test_websocket_refusals_on_the_real_server(product, product_key):
    async def attempt(**kwargs) -> bool:
        try:
            async with websockets.connect(product.ws_url, **kwargs) as ws:
                await ws.recv()
                return True
        except websockets.InvalidStatus:
            return False

    key = product.create_key("--scopes", "system:read")
    assert not asyncio.run(attempt())
    assert not asyncio.run(attempt(additional_headers={"X-API-Key": key}))
    assert not asyncio.run(attempt(additional_headers={"X-API-Key": product_key}, origin="http://evil.example"))
    assert asyncio.run(attempt(subprotocols=["clonyvoice", product_key]))


def test_the_api_never_answers_html(product, product_key):
    with product.client(product_key) as client:
        evil = client.get("/api/system/info", headers={"Host": "evil.example"})
        missing = client.get("/api/nothing-here")
        bad_json = client.post("/api/api-keys", content=b"{", headers={"Content-Type": "application/json"})
    for response, status in ((evil, 400), (missing, 404), (bad_json, 400)):
        assert response.status_code == status
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["error"]


def test_limits_are_shared_by_two_server_processes(product):
    key = product.create_key("--scopes", "system:read", "--limit", "system:read=4")
    port = free_port()
    second = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "clonyvoice.asgi:application"],
        cwd=ROOT,
        env=product.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with product.client(key) as first, product.client(key, base=f"http://127.0.0.1:{port}") as other:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    other.get("/api/auth/session")
                    break
                except Exception:  # noqa: BLE001 - not listening yet
                    time.sleep(0.2)
            codes = [client.get("/api/system/stats").status_code for client in (first, other, first, other, first)]
            limited = other.get("/api/system/stats")
    finally:
        second.terminate()
        second.wait(10)
    assert codes[:4] == [200, 200, 200, 200]
    assert codes[4] == 429
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1


def test_sigterm_stops_everything_and_a_restart_keeps_the_install(tmp_path):
    product = Product(tmp_path / "data").start()
    key = product.create_key()
    product.wait_for_workers(key)
    children = product.descendants()
    assert len(children) >= 4  # redis, daphne, two dramatiq masters and their worker processes
    assert "Created the owner account" in product.log()
    assert product.stop() == 0
    _gone, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []
    assert not (tmp_path / "data" / "redis.sock").exists()

    product.start()
    try:
        assert product.log().count("Created the owner account") == 1
        with product.client(key) as client:
            assert client.get("/api/system/stats").status_code == 200
    finally:
        product.stop()


def test_a_second_serve_on_the_same_data_dir_is_refused(product):
    out = subprocess.run(
        [sys.executable, "manage.py", "serve", "--port", str(free_port())],
        cwd=ROOT,
        env=product.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0
    assert "already serving" in out.stderr


def test_a_port_in_use_is_named_before_anything_starts(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "manage.py", "serve", "--port", str(port)],
            cwd=ROOT,
            env={**os.environ, "CLONYVOICE_DATA_DIR": str(tmp_path / "data")},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert out.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}: Address already in use." in out.stderr
    assert "Stopping" not in out.stdout


def _postgres_and_redis_available() -> bool:
    import socket

    for port in (5432, 6379):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return False
    return True


@pytest.mark.skipif(not _postgres_and_redis_available(), reason="no PostgreSQL and Redis on 127.0.0.1")
def test_external_postgresql_and_redis(tmp_path):
    import psycopg

    name = f"clonyvoice_test_{uuid.uuid4().hex[:8]}"
    admin_url = os.environ.get("CLONYVOICE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    namespace_db = 7
    product = Product(
        tmp_path / "data",
        env={
            "DATABASE_URL": admin_url.rsplit("/", 1)[0] + f"/{name}",
            "REDIS_URL": f"redis://127.0.0.1:6379/{namespace_db}",
        },
    )
    try:
        product.start()
        key = product.create_key()
        product.wait_for_workers(key)
        _task_id, events = asyncio.run(_follow_job(product, key, _start_diagnostics(product, key)))
        assert events[-1]["type"] == "job.finished"
        with product.client(key) as client:
            status = client.get("/api/system/status").json()
        assert status["database"]["vendor"] == "postgresql"
        assert status["redis"]["embedded"] is False
        assert not (tmp_path / "data" / "redis.sock").exists()
    finally:
        if product.process is not None:
            product.stop()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
