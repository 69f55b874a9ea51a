"""Streamed speech vs the whole file, through `POST /v1/audio/speech` on the real product.

For Piper and Kokoro (one English preset voice each, as bench/tts.py picks them), a 10-sentence text:

1. One request at a time, streamed and whole-file (`"stream": false`) alternating, in `pcm` and `mp3`: time to
   the first audio byte and to the last byte, from the moment the request is sent. Targets on 2 cores: first
   audio ≤ 250 ms with Piper and ≤ 500 ms with Kokoro; the streamed last byte ≤ 1.05x the whole file's.
2. Four requests at once, streamed and then whole-file: first and last byte of each. The gpu worker speaks one
   generation at a time, so the later streams wait for the earlier ones; this shows what that costs.

Each engine is warmed up first (its model loads once in the gpu worker). Medians over `--runs`; ratios at the end.

    .venv/bin/python bench/stream.py [--runs 3] [--engine piper|kokoro|all] [--concurrent 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.tts import _pick_voice  # noqa: E402
from tests.live.product import Product  # noqa: E402

TEN_SENTENCES = " ".join(
    [
        "The lighthouse keeper climbed the stairs at dusk.",
        "He trimmed the wick and wound the clockwork.",
        "Out at sea, a fishing boat was heading home.",
        "The wind had turned, and the waves grew taller.",
        "He lit the lamp and watched the beam sweep the water.",
        "The boat changed course towards the harbour light.",
        "An hour later, it was safe behind the breakwater.",
        "The keeper wrote the time in his logbook.",
        "Then he made tea and listened to the storm.",
        "By morning the sky was clear again.",
    ]
)
TARGET_FIRST = {"piper": 0.25, "kokoro": 0.5}
TARGET_TOTAL_RATIO = 1.05
FORMATS = ("pcm", "mp3")
TIMEOUT = 600


@dataclass
class Timing:
    first: float
    last: float
    size: int


async def _request(client: httpx.AsyncClient, body: dict) -> Timing:
    start = time.perf_counter()
    first = None
    size = 0
    async with client.stream("POST", "/v1/audio/speech", json=body) as response:
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code}: {(await response.aread())[:300]!r}")
        async for data in response.aiter_raw():
            if data and first is None:
                first = time.perf_counter() - start
            size += len(data)
    return Timing(first=first or 0.0, last=time.perf_counter() - start, size=size)


def _body(voice: dict, fmt: str, *, stream: bool) -> dict:
    return {"model": "tts-1", "voice": voice["id"], "input": TEN_SENTENCES, "response_format": fmt, "stream": stream}


async def _sequential(product: Product, key: str, voice: dict, runs: int) -> dict:
    out: dict = {}
    async with httpx.AsyncClient(base_url=product.url, headers={"X-API-Key": key}, timeout=TIMEOUT) as client:
        await _request(client, _body(voice, "pcm", stream=True))  # loads the model in the gpu worker
        for fmt in FORMATS:
            timings: dict[str, list[Timing]] = {"streamed": [], "whole": []}
            for _ in range(runs):
                for mode in ("streamed", "whole"):
                    timings[mode].append(await _request(client, _body(voice, fmt, stream=mode == "streamed")))
            out[fmt] = {
                mode: {
                    "first_s": statistics.median(t.first for t in ts),
                    "last_s": statistics.median(t.last for t in ts),
                    "bytes": ts[0].size,
                }
                for mode, ts in timings.items()
            }
    return out


async def _concurrent(product: Product, key: str, voice: dict, n: int) -> dict:
    out: dict = {}
    async with httpx.AsyncClient(base_url=product.url, headers={"X-API-Key": key}, timeout=TIMEOUT) as client:
        for mode in ("streamed", "whole"):
            started = time.perf_counter()
            timings = await asyncio.gather(
                *(_request(client, _body(voice, "pcm", stream=mode == "streamed")) for _ in range(n))
            )
            out[mode] = {
                "first_s": sorted(round(t.first, 3) for t in timings),
                "last_s": sorted(round(t.last, 3) for t in timings),
                "all_done_s": round(time.perf_counter() - started, 3),
            }
    return out


def _report(engine: str, seq: dict, conc: dict, n: int) -> list[str]:
    lines = [f"\n== {engine} ({seq['voice']})"]
    for fmt in FORMATS:
        s, w = seq[fmt]["streamed"], seq[fmt]["whole"]
        lines.append(
            f"  {fmt:4} streamed: first {s['first_s'] * 1000:7.0f} ms, last {s['last_s']:6.2f} s | "
            f"whole: first {w['first_s'] * 1000:7.0f} ms, last {w['last_s']:6.2f} s | "
            f"streamed/whole: first {s['first_s'] / w['first_s']:.3f}, last {s['last_s'] / w['last_s']:.3f}"
        )
    pcm = seq["pcm"]["streamed"]
    lines.append(
        f"  target first audio ≤ {TARGET_FIRST[engine] * 1000:.0f} ms: {pcm['first_s'] * 1000:.0f} ms (pcm), "
        f"{seq['mp3']['streamed']['first_s'] * 1000:.0f} ms (mp3) -> "
        f"{'met' if pcm['first_s'] <= TARGET_FIRST[engine] else 'missed'}"
    )
    worst = max(seq[f]["streamed"]["last_s"] / seq[f]["whole"]["last_s"] for f in FORMATS)
    lines.append(
        f"  target total ≤ {TARGET_TOTAL_RATIO:.2f}x whole: {worst:.3f}x -> "
        f"{'met' if worst <= TARGET_TOTAL_RATIO else 'missed'}"
    )
    for mode in ("streamed", "whole"):
        c = conc[mode]
        lines.append(
            f"  {n} at once, {mode:8}: first {c['first_s']} s, last {c['last_s']} s, all done {c['all_done_s']} s"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engine", choices=["piper", "kokoro", "all"], default="all")
    parser.add_argument("--concurrent", type=int, default=4)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    engines = ["piper", "kokoro"] if args.engine == "all" else [args.engine]
    args.out.mkdir(parents=True, exist_ok=True)

    product = Product(Path(tempfile.mkdtemp(prefix="cv-stream-")) / "data", env={"CLONYVOICE_LOG_LEVEL": "WARNING"})
    product.start()
    results: dict = {}
    try:
        key = product.create_key("--name", "stream bench", "--limit", "tts:generate=100000")
        product.wait_for_workers(key)
        for engine in engines:
            voice = _pick_voice(product, key, engine)
            seq = asyncio.run(_sequential(product, key, voice, args.runs))
            conc = asyncio.run(_concurrent(product, key, voice, args.concurrent))
            results[engine] = {"voice": voice["engine_voice_id"], **seq, "concurrent": conc}
    finally:
        product.stop()

    report = {
        "text": {"sentences": 10, "chars": len(TEN_SENTENCES)},
        "runs": args.runs,
        "machine": {"cpus": psutil.cpu_count(), "load_avg": [round(x, 2) for x in psutil.getloadavg()]},
        "engines": results,
    }
    (args.out / "stream.json").write_text(json.dumps(report, indent=2))
    for engine, result in results.items():
        print("\n".join(_report(engine, result, result["concurrent"], args.concurrent)))
    print(f"\nmachine: {report['machine']}; wrote {args.out / 'stream.json'}")


if __name__ == "__main__":
    main()
