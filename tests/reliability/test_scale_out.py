"""Scale-out on one machine: a web-only node and separate worker processes on PostgreSQL + Redis.

`serve --no-workers` runs the web part; two `manage.py worker --queues gpu` processes and one
`--queues cpu` process run beside it, as they would on other hosts, all with the same DATABASE_URL,
REDIS_URL and data dir (the shared storage). Jobs spread over both gpu workers and none runs twice.
The same again with the job queue on this machine's RabbitMQ (BROKER_URL).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import psutil
import pytest
import redis

from tests.live.product import ROOT, Product
from tests.reliability.live import espeak_voice, sentences, start_generation, wait_jobs, wait_until

pytestmark = pytest.mark.live

ADMIN_URL = os.environ.get("CLONYVOICE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 12
JOBS, SENTENCES = 10, 2


def _reachable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def database():
    """A fresh PostgreSQL database, dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    if not (_reachable(5432) and _reachable(REDIS_PORT)):
        pytest.skip("no PostgreSQL and Redis on 127.0.0.1")
    name = f"cv_scale_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_db():
    """A spare database number of this machine's Redis, empty before and after."""
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    client.flushdb()
    yield f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
    client.flushdb()


@pytest.fixture(params=["redis", "rabbitmq"])
def broker_env(request) -> dict[str, str]:
    """No BROKER_URL (the queue is on Redis), or a fresh virtual host of this machine's RabbitMQ."""
    if request.param == "redis":
        yield {}
        return
    if not (_reachable(5672) and shutil.which("rabbitmqctl")):
        pytest.skip("no RabbitMQ on 127.0.0.1")
    vhost = f"cv_scale_{uuid.uuid4().hex[:8]}"
    subprocess.run(["rabbitmqctl", "add_vhost", vhost], check=True, capture_output=True)
    subprocess.run(
        ["rabbitmqctl", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], check=True, capture_output=True
    )
    yield {"BROKER_URL": f"amqp://guest:guest@127.0.0.1:5672/{vhost}"}
    subprocess.run(["rabbitmqctl", "delete_vhost", vhost], check=False, capture_output=True)


def _worker(product: Product, queue: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--queues", queue],
        cwd=ROOT,
        env=product.env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _alive(product: Product, key: str) -> dict:
    with product.client(key) as client:
        return client.get("/api/queue/status").json()["workers_alive"]


def test_jobs_spread_over_two_gpu_workers_and_none_runs_twice(tmp_path, database, redis_db, broker_env):
    import psycopg

    product = Product(
        tmp_path / "data", env={"DATABASE_URL": database, "REDIS_URL": redis_db, **broker_env}, args=["--no-workers"]
    ).start()
    workers: list[subprocess.Popen] = []
    try:
        workers = [_worker(product, q, tmp_path / f"worker-{i}.log") for i, q in enumerate(("gpu", "gpu", "cpu"))]
        key = product.create_key("--limit", "tts:generate=100", "--limit", "system:read=1000")
        wait_until(lambda: _alive(product, key) == {"gpu": 2, "cpu": 1}, 90, "two gpu workers and a cpu worker")
        # The process that runs actors is the one each Dramatiq master forks.
        runners = {
            f"{socket.gethostname()}:{child.pid}": i
            for i, proc in enumerate(workers[:2])
            for child in psutil.Process(proc.pid).children()
        }
        voice = espeak_voice(product, key)
        task_ids = [start_generation(product, key, voice, sentences(SENTENCES)) for _ in range(JOBS)]
        jobs = wait_jobs(product, key, task_ids, timeout=120)

        assert {j["status"] for j in jobs.values()} == {"succeeded"}
        ran_on = [jobs[t]["result"]["worker"] for t in task_ids]
        assert set(ran_on) <= set(runners), (ran_on, runners)
        assert {runners[w] for w in ran_on} == {0, 1}, f"every job ran on one worker: {ran_on}"
        with psycopg.connect(database) as conn:
            attempts = conn.execute("select attempts from clonyvoice_job where kind like 'generation.%'").fetchall()
            takes = conn.execute(
                "select c.generation_id, c.index, count(t.id) from synthesis_chunk c "
                "left join synthesis_take t on t.chunk_id = c.id group by 1, 2"
            ).fetchall()
        assert sorted(a for (a,) in attempts) == [1] * JOBS
        assert len(takes) == JOBS * SENTENCES and {n for *_, n in takes} == {1}
        # One storage for all: each take a worker wrote is in the shared media folder.
        files = list((product.data_dir / "media" / "generations").rglob("*.wav"))
        assert len(files) == JOBS * SENTENCES
        assert not (product.data_dir / "redis.sock").exists()
    finally:
        for proc in workers:
            proc.send_signal(signal.SIGTERM)
        for proc in workers:
            try:
                proc.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        product.stop()
    assert all(proc.returncode == 0 for proc in workers)
