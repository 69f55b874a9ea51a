"""A long schemathesis run against the real product (daphne, workers, embedded Redis) over HTTP.

Starts `manage.py serve` in a fresh data dir, loads its /api/schema/, and sends `--examples`
generated requests to every operation with an all-scopes key whose limits are raised (a 429 would
hide what the input does). Fails on a 5xx (except the documented 503 model_not_installed) and on a
documented response that differs from the schema. The test suite runs the same checks in-process
with a few examples (tests/reliability/test_schema_fuzz.py).

    .venv/bin/python bench/fuzz.py [--examples 50] [--seed N] [--out bench/out]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import schemathesis  # noqa: E402

from clonyvoice.scopes import ALL_SCOPES  # noqa: E402
from tests.live.product import Product  # noqa: E402
from tests.reliability.fuzzing import fuzz  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=50, help="generated requests per operation")
    parser.add_argument("--random", action="store_true", help="a new random run instead of the fixed sequence")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    product = Product(Path(tempfile.mkdtemp(prefix="cv-fuzz-")) / "data", env={"CLONYVOICE_LOG_LEVEL": "WARNING"})
    product.start()
    try:
        key = product.create_key(*[f"--limit={scope}=100000" for scope in ALL_SCOPES])
        product.wait_for_workers(key)
        schema = schemathesis.openapi.from_url(f"{product.url}/api/schema/?format=json")
        report = fuzz(
            schema,
            headers={"X-API-Key": key},
            max_examples=args.examples,
            call_kwargs={"base_url": product.url, "timeout": 120},
            derandomize=not args.random,
            progress=lambda label: print(f"  {label}", file=sys.stderr, flush=True),
        )
    finally:
        product.stop()
    summary = report.as_dict()
    (args.out / "fuzz.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps({k: v for k, v in summary.items() if k != "failures"}, indent=2))
    for operation, failure in summary["failures"].items():
        print(f"\n=== {operation}\n{failure}")
    print(
        f"\n{len(summary['failures'])} failing operation(s) of {summary['operations']}; wrote {args.out / 'fuzz.json'}"
    )
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
