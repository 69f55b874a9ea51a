"""Key-existence oracle, measured on the real product: does a wrong secret for a real key id answer in a
different time than an id that does not exist?

Starts ClonyVoice (web only) in a fresh data dir, makes one key, then sends `GET /api/system/info` with
(a) that key's id and a wrong secret and (b) an unknown id with a secret of the same length, interleaved in
random order over one kept-alive connection, and prints the medians and 10th percentiles of both and their
difference. Target: medians within 0.2 ms over 1,000 tries of each.

    .venv/bin/python bench/oracle.py [--tries 1000]
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live.product import Product  # noqa: E402

TARGET_MS = 0.2


def _unknown_id(known: str) -> str:
    while True:
        candidate = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(8))
        if candidate != known:
            return candidate


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tries", type=int, default=1000)
    args = parser.parse_args()
    product = Product(Path(tempfile.mkdtemp(prefix="cv-bench-oracle-")) / "data", args=["--no-workers"]).start()
    try:
        key = product.create_key()
        key_id, secret = key.split("_")[1], key.split("_", 2)[2]
        timings: dict[str, list[float]] = {"wrong secret": [], "unknown id": []}
        with product.client() as client:
            client.get("/api/system/info", headers={"X-API-Key": key})  # warm: connection, caches
            tries = ["wrong secret", "unknown id"] * args.tries
            random.shuffle(tries)
            statuses = set()
            for kind in tries:
                wrong = secrets.token_urlsafe(len(secret))[: len(secret)]
                token = f"cv_{key_id if kind == 'wrong secret' else _unknown_id(key_id)}_{wrong}"
                start = time.perf_counter()
                response = client.get("/api/system/info", headers={"X-API-Key": token})
                timings[kind].append((time.perf_counter() - start) * 1000)
                statuses.add(response.status_code)
    finally:
        product.stop()
    print(f"{args.tries} tries of each, interleaved; answers seen: {sorted(statuses)}")
    print(f"{'':14} {'median ms':>10} {'p10 ms':>8} {'p90 ms':>8}")
    for kind, values in timings.items():
        print(
            f"{kind:14} {statistics.median(values):10.3f} {_percentile(values, 0.1):8.3f}"
            f" {_percentile(values, 0.9):8.3f}"
        )
    difference = statistics.median(timings["wrong secret"]) - statistics.median(timings["unknown id"])
    p10 = _percentile(timings["wrong secret"], 0.1) - _percentile(timings["unknown id"], 0.1)
    verdict = "ok" if abs(difference) < TARGET_MS else "OVER"
    print(f"median difference {difference:+.3f} ms, p10 difference {p10:+.3f} ms", end=" ")
    print(f"(target |median| < {TARGET_MS} ms): {verdict}")


if __name__ == "__main__":
    main()
