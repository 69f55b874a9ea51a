"""Load on the real product over loopback: readers, speakers and WebSocket listeners at once.

Starts `manage.py serve` (embedded Redis, SQLite, front door + HTTP and /ws daphnes, gpu + cpu workers) in
a fresh data dir, then
for `--duration` seconds runs at the same time:
  --readers   clients in a loop on GET /api/voices, /api/generations, /api/system/stats, /api/queue/status
              (their key's limits are raised: this measures the server, not the limiter)
  --speakers  clients that each generate a two-sentence text (espeak voice) and wait for it to finish,
              on a key limited to --tts-limit generations a minute (default 300: more than five speakers
              finish, so speech and its events go on for the whole run; a lower limit gives 429s, which
              are by design and counted apart)
  --listeners WebSocket clients on /ws; every job event carries `sent_at`, so each client measures the
              delay from the sending process (the worker, for progress) to itself
and reports requests/s, p50/p95/p99 latency per endpoint, errors (429 apart), the /ws event delay
(target p95 <= 50 ms) and each process's RSS at the end vs the start. Writes load.json and load.png
(latency over time) to --out.

    .venv/bin/python bench/load.py [--duration 60] [--out bench/out]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx
import psutil
import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live.product import Product  # noqa: E402

READ_ENDPOINTS = ["/api/voices", "/api/generations", "/api/system/stats", "/api/queue/status"]
TEXT = "The load test speaks this first sentence. Then it speaks a second one."
WS_TARGET_P95_MS = 50.0


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


class Recorder:
    """Every request's (start offset, endpoint, latency, status), and every /ws event's delay."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.requests: list[tuple[float, str, float, int]] = []
        self.ws_delays: list[tuple[float, str, float]] = []
        self.jobs: list[float] = []

    def request(self, endpoint: str, began: float, status: int) -> None:
        now = time.monotonic()
        self.requests.append((began - self.started, endpoint, (now - began) * 1000, status))


async def reader(client: httpx.AsyncClient, rec: Recorder, offset: int, until: float) -> None:
    n = offset
    while time.monotonic() < until:
        endpoint = READ_ENDPOINTS[n % len(READ_ENDPOINTS)]
        n += 1
        began = time.monotonic()
        try:
            response = await client.get(endpoint)
            rec.request(endpoint, began, response.status_code)
        except httpx.HTTPError:
            rec.request(endpoint, began, 0)


async def speaker(client: httpx.AsyncClient, rec: Recorder, voice_id: str, until: float) -> None:
    while time.monotonic() < until:
        began = time.monotonic()
        try:
            response = await client.post("/api/generate/clone-chunked", json={"text": TEXT, "voice_id": voice_id})
        except httpx.HTTPError:
            rec.request("POST /api/generate/clone-chunked", began, 0)
            continue
        rec.request("POST /api/generate/clone-chunked", began, response.status_code)
        if response.status_code == 429:
            await asyncio.sleep(min(float(response.headers.get("Retry-After", 1)), max(0.0, until - time.monotonic())))
            continue
        if response.status_code != 202:
            await asyncio.sleep(0.5)
            continue
        task_id = response.json()["task_id"]
        while time.monotonic() < until + 30:
            await asyncio.sleep(0.25)
            job = await client.get(f"/api/jobs/{task_id}")
            if job.status_code == 200 and job.json()["status"] in ("succeeded", "failed", "cancelled"):
                if job.json()["status"] == "succeeded":
                    rec.jobs.append(time.monotonic() - began)
                break


async def _listen(url: str, key: str, started: float, until: float, delays: list) -> None:
    async with websockets.connect(url, additional_headers={"X-API-Key": key}, max_queue=None) as ws:
        await ws.recv()  # hello
        while time.time() < until:
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=max(0.1, until - time.time()))
            except TimeoutError:
                break
            now = time.time()
            event = json.loads(raw)
            if "sent_at" in event:
                delays.append((now - started, event["type"], (now - event["sent_at"]) * 1000))


def listeners(url: str, key: str, count: int, started: float, until: float, conn: Connection) -> None:
    """The WebSocket clients, in a process of their own so the HTTP clients' work never delays a receive."""

    async def run() -> list:
        delays: list = []
        results = await asyncio.gather(
            *[_listen(url, key, started, until, delays) for _ in range(count)], return_exceptions=True
        )
        failed = [repr(r) for r in results if isinstance(r, BaseException)]
        return [delays, failed]

    conn.send(asyncio.run(run()))
    conn.close()


def _label(proc: psutil.Process, root_pid: int) -> str:
    cmd = proc.cmdline()
    if proc.pid == root_pid:
        return "serve"
    if cmd and "redis-server" in cmd[0]:
        return "redis"
    if "clonyvoice.frontdoor" in cmd:
        return "front door"
    if "clonyvoice.web" in cmd:
        handoff = cmd[cmd.index("--handoff") + 1] if "--handoff" in cmd else "-web"
        return f"{handoff.rsplit('-', 1)[-1]} (daphne)"
    if "--queues" in cmd:
        queue = cmd[cmd.index("--queues") + 1]
        role = "worker" if proc.parent() and "--queues" in proc.parent().cmdline() else "master"
        return f"dramatiq {queue} {role}"
    return " ".join(cmd[:3])


def memory(product: Product) -> dict[str, float]:
    assert product.process is not None
    root = psutil.Process(product.process.pid)
    out = {}
    for proc in [root, *root.children(recursive=True)]:
        try:
            out[_label(proc, root.pid)] = round(proc.memory_info().rss / 2**20, 1)
        except psutil.Error:
            continue
    return out


def summarize(rec: Recorder, duration: float) -> dict[str, Any]:
    by_endpoint: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for _at, endpoint, latency, status in rec.requests:
        by_endpoint[endpoint].append((latency, status))
    endpoints = {}
    for endpoint, rows in sorted(by_endpoint.items()):
        ok = [lat for lat, status in rows if 200 <= status < 300]
        endpoints[endpoint] = {
            "requests": len(rows),
            "requests_per_s": round(len(rows) / duration, 1),
            "ok": len(ok),
            "p50_ms": _percentile(ok, 0.50),
            "p95_ms": _percentile(ok, 0.95),
            "p99_ms": _percentile(ok, 0.99),
            "rate_limited_429": sum(1 for _, s in rows if s == 429),
            "errors": sum(1 for _, s in rows if not (200 <= s < 300) and s != 429),
        }
    delays = [d for _, _, d in rec.ws_delays]
    from_worker = [d for _, kind, d in rec.ws_delays if kind != "job.queued"]
    return {
        "requests_per_s": round(len(rec.requests) / duration, 1),
        "endpoints": endpoints,
        "speech_jobs": {
            "finished": len(rec.jobs),
            "p50_s": _percentile(rec.jobs, 0.5),
            "p95_s": _percentile(rec.jobs, 0.95),
        },
        "ws_events": {
            "received": len(delays),
            "p50_ms": _percentile(delays, 0.50),
            "p95_ms": _percentile(delays, 0.95),
            "p99_ms": _percentile(delays, 0.99),
            "max_ms": round(max(delays), 2) if delays else None,
            "from_worker_p95_ms": _percentile(from_worker, 0.95),
            "target_p95_ms": WS_TARGET_P95_MS,
            "target_met": bool(delays) and _percentile(delays, 0.95) <= WS_TARGET_P95_MS,
        },
    }


def plot(rec: Recorder, path: Path, duration: float) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 7), sharex=True)
    series: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for at, endpoint, latency, status in rec.requests:
        if 200 <= status < 300:
            series[endpoint][int(at)].append(latency)
    for endpoint, buckets in sorted(series.items()):
        seconds = sorted(buckets)
        top.plot(seconds, [_percentile(buckets[s], 0.95) for s in seconds], label=f"{endpoint} p95")
    top.set_ylabel("latency, ms (p95 per second)")
    top.set_yscale("log")
    top.legend(fontsize=7, loc="upper left")
    top.set_title(f"ClonyVoice under load ({duration:.0f} s on loopback)")
    ws = [(at, d) for at, _kind, d in rec.ws_delays]
    if ws:
        bottom.scatter([a for a, _ in ws], [d for _, d in ws], s=3, alpha=0.4, label="/ws event delay")
    bottom.axhline(WS_TARGET_P95_MS, color="red", linestyle="--", linewidth=1, label="p95 target")
    bottom.set_ylabel("/ws delay, ms")
    bottom.set_xlabel("seconds since start")
    bottom.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


async def run_load(product: Product, args: argparse.Namespace, read_key: str, speak_key: str, voice: str) -> Recorder:
    started_wall = time.time()
    receiver, sender = multiprocessing.Pipe(duplex=False)
    ws_process = multiprocessing.Process(
        target=listeners,
        args=(product.ws_url, read_key, args.listeners, started_wall, started_wall + args.duration + 5, sender),
    )
    ws_process.start()
    started = time.monotonic()
    until = started + args.duration
    rec = Recorder(started)
    limits = httpx.Limits(max_connections=args.readers + args.speakers + 10)
    async with (
        httpx.AsyncClient(base_url=product.url, headers={"X-API-Key": read_key}, limits=limits, timeout=60) as rc,
        httpx.AsyncClient(base_url=product.url, headers={"X-API-Key": speak_key}, limits=limits, timeout=60) as sc,
    ):
        tasks = [reader(rc, rec, i, until) for i in range(args.readers)]
        tasks += [speaker(sc, rec, voice, until) for _ in range(args.speakers)]
        results = await asyncio.gather(*tasks, return_exceptions=True)
    failures = [repr(r) for r in results if isinstance(r, BaseException)]
    rec.ws_delays, ws_failures = await asyncio.to_thread(receiver.recv)
    ws_process.join()
    if failures or ws_failures:
        print(f"client task(s) failed: {(failures + ws_failures)[:3]}", file=sys.stderr)
    return rec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--speakers", type=int, default=5)
    parser.add_argument("--listeners", type=int, default=20)
    parser.add_argument(
        "--tts-limit", type=int, default=300, help="the speakers' tts:generate limit per minute (product default: 10)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    product = Product(Path(tempfile.mkdtemp(prefix="cv-load-")) / "data", env={"CLONYVOICE_LOG_LEVEL": "WARNING"})
    product.start()
    try:
        read_key = product.create_key(
            "--name", "load readers", *[f"--limit={s}=100000" for s in ("voices:read", "system:read", "ws:connect")]
        )
        speak_key = product.create_key(
            "--name", "load speakers", "--limit", "system:read=100000", "--limit", f"tts:generate={args.tts_limit}"
        )
        product.wait_for_workers(read_key)
        with product.client(read_key) as client:
            voices = client.get("/api/voices", params={"engine": "espeak", "language": "en"}).json()["results"]
        before = memory(product)
        rec = asyncio.run(run_load(product, args, read_key, speak_key, voices[0]["id"]))
        after = memory(product)
    finally:
        product.stop()

    report = {
        "duration_s": args.duration,
        "clients": {"readers": args.readers, "speakers": args.speakers, "listeners": args.listeners},
        "tts_limit_per_min": args.tts_limit,
        "machine": {"cpus": psutil.cpu_count(), "load_avg": [round(x, 2) for x in psutil.getloadavg()]},
        **summarize(rec, args.duration),
        "memory_mb": {name: {"start": before.get(name), "end": after.get(name)} for name in sorted({*before, *after})},
    }
    (args.out / "load.json").write_text(json.dumps(report, indent=2))
    plot(rec, args.out / "load.png", args.duration)
    print(json.dumps(report, indent=2))
    print(f"wrote {args.out / 'load.json'} and {args.out / 'load.png'}")
    if rec.ws_delays:
        print(f"/ws delay median {statistics.median(d for _, _, d in rec.ws_delays):.1f} ms")


if __name__ == "__main__":
    main()
