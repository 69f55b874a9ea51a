"""Settings for the in-process tests.

A throwaway data dir, and a real Redis: the embedded one, started here for the test session (or
REDIS_URL when set). Dramatiq uses its StubBroker in-process; the live tests run the real broker.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

_data_dir = Path(tempfile.mkdtemp(prefix="cv-test-"))
os.environ["CLONYVOICE_DATA_DIR"] = str(_data_dir)
atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)

if not os.environ.get("REDIS_URL"):
    from clonyvoice import embedded_redis

    _redis = subprocess.Popen(embedded_redis.server_argv(_data_dir), stdout=subprocess.DEVNULL)
    atexit.register(_redis.terminate)
    for _ in range(100):
        if embedded_redis.is_up(_data_dir):
            break
        time.sleep(0.05)

from clonyvoice.settings import *  # noqa: E402, F403

# No TimeLimit here: its timer injects an exception into whatever thread holds a stale deadline's
# thread id, and in-process test workers come and go (the live tests run the real middleware).
DRAMATIQ_BROKER = {
    "BROKER": "dramatiq.brokers.stub.StubBroker",
    "OPTIONS": {},
    "MIDDLEWARE": [
        "dramatiq.middleware.AgeLimit",
        "tests.middleware.AcceptTimeLimit",
        "dramatiq.middleware.Callbacks",
        "dramatiq.middleware.Retries",
        "dramatiq.middleware.CurrentMessage",
        "django_dramatiq.middleware.DbConnectionsMiddleware",
    ],
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CLONYVOICE_AUTH_FAILURE_RATE = "10/m"
