from __future__ import annotations

import time
from types import SimpleNamespace

import django_ratelimit.core
import dramatiq
import pytest
from channels.layers import channel_layers
from django.core.cache import cache
from dramatiq import Worker
from rest_framework.test import APIClient

from synthesis.engines import prepare_packaged_models
from tests.factories import UserFactory, issue_key
from tests.live.product import Product


def pytest_sessionstart(session):
    """The test data dir is new: join the packaged Kokoro model into it before the test database (and its
    preset voices) is made, as `serve` does for a new data dir."""
    prepare_packaged_models(log=lambda _message: None)


@pytest.fixture(autouse=True)
def _fresh_limits_and_layer():
    """Rate-limit counters live in the shared Redis cache; each test starts from zero.

    Each test also gets a new channel layer: one whose connections belong to a finished test's
    event loop must not be reused from a worker thread.
    """
    cache.clear()
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _steady_rate_windows(monkeypatch):
    """django-ratelimit counts in fixed one-minute windows: a test whose requests straddle a window's end
    would see its count start again. Its clock stands still for the length of a test."""
    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", is_superuser=True, is_staff=True)


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def owner_key(owner):
    return issue_key(owner, name="owner key")


@pytest.fixture
def api(owner_key):
    """An API client that sends the owner's all-scopes key."""
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=owner_key.token)
    return client


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def broker():
    broker = dramatiq.get_broker()
    broker.flush_all()
    return broker


@pytest.fixture
def worker(broker):
    worker = Worker(broker, worker_timeout=100, worker_threads=1)
    worker.start()
    yield worker
    worker.stop()
    # Dramatiq leaves a stopped worker's middleware on the broker; a queue declared later (an actor
    # module imported mid-session) would get a consumer on that dead worker, which takes messages
    # that nobody then processes.
    broker.middleware[:] = [m for m in broker.middleware if getattr(m, "worker", None) is not worker]


@pytest.fixture(scope="module")
def product(tmp_path_factory):
    """The product as the README starts it: embedded Redis, SQLite file, real workers (a clone's search capped at
    a few seconds: its full budget is measured by bench/clone.py)."""
    env = {"CLONYVOICE_CLONE_MAX_SECONDS": "3"}
    running = Product(tmp_path_factory.mktemp("product") / "data", env=env).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def product_key(product):
    return product.create_key()
