"""Cost of authentication + scope + limit on one request, measured side by side in one server.

Starts daphne (bench settings) on a fresh data dir with the embedded Redis, then sends interleaved
requests to three views that return the same payload:
  plain   a plain Django JSON view, unauthenticated
  open    the DRF view with no authentication, scope or limit
  keyed   GET /api/system/info with a valid X-API-Key (authentication + scope + limit in Redis)
and prints requests/s, p50/p99 per view, the per-request overhead and the ratios.

    .venv/bin/python bench/api.py [--requests 3000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clonyvoice import embedded_redis  # noqa: E402
from tests.live.product import free_port  # noqa: E402


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=3000, help="requests per view")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="cv-bench-"))
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")},
        "CLONYVOICE_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "CLONYVOICE_LOG_LEVEL": "WARNING",
    }
    redis = subprocess.Popen(embedded_redis.server_argv(data_dir), stdout=subprocess.DEVNULL)
    port = free_port()
    server = None
    try:
        while not embedded_redis.is_up(data_dir):
            time.sleep(0.05)
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [*manage, "shell", "-c", "from clonyvoice.accounts import owner_ensure; owner_ensure()"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        key = subprocess.run(
            [*manage, "createapikey", "--name", "bench", "--scopes", "system:read", "--limit", "system:read=100000"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        server = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "clonyvoice.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        targets = {
            "plain": ("/bench/plain-info", {}),
            "open": ("/bench/open-info", {}),
            "keyed": ("/api/system/info", {"X-API-Key": key}),
        }
        with httpx.Client(base_url=base, timeout=10) as client:
            while True:
                try:
                    client.get("/bench/plain-info")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            for name, (url, headers) in targets.items():  # warm up every path
                for _ in range(50):
                    assert client.get(url, headers=headers).status_code == 200, name
            latencies: dict[str, list[float]] = {name: [] for name in targets}
            for _ in range(args.requests):
                for name, (url, headers) in targets.items():
                    start = time.perf_counter()
                    response = client.get(url, headers=headers)
                    latencies[name].append(time.perf_counter() - start)
                    if response.status_code != 200:
                        raise SystemExit(f"{name}: HTTP {response.status_code} {response.text}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        redis.terminate()
        redis.wait(10)

    print(f"{args.requests} interleaved sequential requests per view, one keep-alive client, daphne, 1 process")
    print(f"{'view':<8}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    means = {}
    for name, values in latencies.items():
        means[name] = statistics.fmean(values)
        print(
            f"{name:<8}{1 / means[name]:>10.0f}{_percentile(values, 0.5) * 1e3:>10.2f}"
            f"{_percentile(values, 0.99) * 1e3:>10.2f}{means[name] * 1e3:>10.2f}"
        )
    auth = (means["keyed"] - means["open"]) * 1e3
    total = (means["keyed"] - means["plain"]) * 1e3
    p50_auth = (_percentile(latencies["keyed"], 0.5) - _percentile(latencies["open"], 0.5)) * 1e3
    print(f"authentication + scope + limit: {auth:.3f} ms mean, {p50_auth:.3f} ms at p50 (target < 1 ms)")
    print(f"keyed vs plain Django view: +{total:.3f} ms per request, ratio {means['keyed'] / means['plain']:.2f}x")
    print(f"keyed vs open DRF view: ratio {means['keyed'] / means['open']:.2f}x")


if __name__ == "__main__":
    main()
