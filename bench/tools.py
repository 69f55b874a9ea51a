"""Audio tools, side by side in one run.

Transcription: a ~60 s clip of known text (spoken by the installed Piper voice) through
`POST /api/transcribe` on the real product (upload → job.finished on /ws) vs raw faster-whisper in this
process with the same model, device, compute type and threads (model loaded and warm in both).
Prints both real-time factors, their ratio (target ≤ 1.1x) and the word error rate of each.

    .venv/bin/python bench/tools.py [--runs 3] [--model tiny.en]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.texts import LIGHTHOUSE  # noqa: E402
from tests.live.product import Product  # noqa: E402

# ~220 words: about a minute of Piper's joe voice.
KNOWN_TEXT = (
    LIGHTHOUSE + " Last summer a fisherman told how his grandfather rowed through the storm to bring medicine to "
    "the island, guided only by the lamp in the tower."
)


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clonyvoice.settings")
    os.environ.setdefault("CLONYVOICE_DATA_DIR", tempfile.mkdtemp(prefix="cv-bench-tools-"))
    django.setup()


def product_with_models(prefix: str, **kwargs: object) -> Product:
    """A Product in a fresh data dir that reads this checkout's installed models (linked, not copied or pulled)."""
    data = Path(tempfile.mkdtemp(prefix=prefix)) / "data"
    data.mkdir(parents=True)
    installed = ROOT / "data" / "models"
    if installed.is_dir():
        (data / "models").symlink_to(installed, target_is_directory=True)
    return Product(data, **kwargs)  # type: ignore[arg-type]


async def follow_job(
    ws: websockets.ClientConnection, job_id: str, *, timeout: float = 1800
) -> list[tuple[float, dict]]:
    """Every /ws event of one job as (perf_counter when received, event), up to its terminal event."""
    events: list[tuple[float, dict]] = []
    deadline = time.perf_counter() + timeout
    while True:
        event = json.loads(await asyncio.wait_for(ws.recv(), max(1.0, deadline - time.perf_counter())))
        if job_id not in (event.get("job_id"), event.get("task_id")):
            continue
        events.append((time.perf_counter(), event))
        if event.get("type") in ("job.finished", "job.failed", "job.cancelled"):
            return events


def make_clip(folder: Path) -> tuple[Path, float]:
    """The known text spoken by the installed Piper voice, as a WAV file, and its duration."""
    from clonyvoice.audio import write_wav
    from synthesis.engines import SynthesisRequest, get_engine

    piper = get_engine("piper")
    spoken = piper.synthesize(SynthesisRequest(text=KNOWN_TEXT, voice_id=piper.voices()[0].voice_id))
    path = folder / "known-60s.wav"
    write_wav(path, spoken)
    return path, spoken.duration


class RawWhisper:
    """faster-whisper alone in this process, with the worker's model, device, compute type and threads."""

    def __init__(self, model_name: str) -> None:
        from faster_whisper import WhisperModel

        from cloning.transcription.catalog import resolve_model
        from cloning.transcription.engine import runtime

        self.device, self.compute_type, self.threads = runtime()
        self.model = WhisperModel(
            str(resolve_model(model_name).path),
            device=self.device,
            compute_type=self.compute_type,
            cpu_threads=self.threads,
        )

    def run(self, clip: Path) -> dict:
        start = time.perf_counter()
        segments, _info = self.model.transcribe(str(clip), beam_size=5, word_timestamps=True)
        text = " ".join(s.text.strip() for s in segments)
        return {"seconds": time.perf_counter() - start, "text": text}


async def _timed_transcription(product: Product, key: str, clip: Path, model: str) -> dict:
    async with websockets.connect(product.ws_url, additional_headers={"X-API-Key": key}) as ws:
        await ws.recv()
        start = time.perf_counter()
        with product.client(key) as client, open(clip, "rb") as handle:
            response = client.post(
                "/api/transcribe", files={"file": (clip.name, handle, "audio/wav")}, data={"model": model}
            )
        response.raise_for_status()
        task_id = response.json()["task_id"]
        while True:
            event = json.loads(await asyncio.wait_for(ws.recv(), 600))
            if event.get("task_id") != task_id:
                continue
            if event["type"] == "job.failed":
                raise SystemExit(f"job failed: {event.get('error')}")
            if event["type"] == "job.finished":
                seconds = time.perf_counter() - start
                with product.client(key) as client:
                    job = client.get(f"/api/jobs/{task_id}").json()
                return {"seconds": seconds, "result": event["result"], "job": job}


def bench_transcribe(runs: int, model: str) -> None:
    from cloning.transcription import word_error_rate

    folder = Path(tempfile.mkdtemp(prefix="cv-bench-clip-"))
    clip, duration = make_clip(folder)
    if model == "base":
        from cloning.transcription.install import assemble_base

        assemble_base(log=lambda _: None)
    print(f"transcribe: clip {duration:.1f} s of Piper speech ({len(KNOWN_TEXT.split())} words), model {model}")
    raw = RawWhisper(model)
    print(f"  runtime: {raw.device}, {raw.compute_type}, {raw.threads} threads; {runs} runs each, interleaved, medians")

    product = Product(Path(tempfile.mkdtemp(prefix="cv-bench-tools-")) / "data").start()
    try:
        key = product.create_key("--limit", "audio:process=1000", "--limit", "ws:connect=1000")
        product.wait_for_workers(key)
        if model == "base":
            product.manage("models", "pull", "whisper:base")
        raw.run(clip)  # warm up both: the model is loaded and its first pass done
        asyncio.run(_timed_transcription(product, key, clip, model))
        # Raw and API runs alternate so both see the same load on a shared machine.
        raws, ours = [], []
        for _ in range(runs):
            raws.append(raw.run(clip))
            ours.append(asyncio.run(_timed_transcription(product, key, clip, model)))
    finally:
        product.stop()
    for run in ours:
        job = run["job"]
        created, started, finished = (
            datetime.fromisoformat(job[k]) for k in ("created_at", "started_at", "finished_at")
        )
        engine = run["result"]["processing_seconds"]
        print(
            f"  run: e2e {run['seconds']:.2f} s = queue {(started - created).total_seconds():.2f}"
            f" + decode and whisper {engine:.2f} + rest of the job {(finished - started).total_seconds() - engine:.2f}"
            f" + upload, answer and events {run['seconds'] - (finished - created).total_seconds():.2f}"
        )
    raw_seconds = statistics.median(r["seconds"] for r in raws)
    raw_text = raws[-1]["text"]
    ours_seconds = statistics.median(r["seconds"] for r in ours)
    ours_text = ours[-1]["result"]["text"]
    pairs = [o["seconds"] / r["seconds"] for r, o in zip(raws, ours, strict=True)]
    raw_rtf, ours_rtf = raw_seconds / duration, ours_seconds / duration
    print(f"{'':36}{'seconds':>10}{'RTF':>10}{'WER':>8}")
    print(
        f"{'raw faster-whisper (in process)':36}{raw_seconds:>10.2f}{raw_rtf:>10.4f}"
        f"{word_error_rate(KNOWN_TEXT, raw_text):>8.3f}"
    )
    print(
        f"{'POST /api/transcribe (e2e)':36}{ours_seconds:>10.2f}{ours_rtf:>10.4f}"
        f"{word_error_rate(KNOWN_TEXT, ours_text):>8.3f}"
    )
    print(f"ours / raw: {ours_rtf / raw_rtf:.3f}x (target <= 1.1x); per pair: {', '.join(f'{p:.3f}' for p in pairs)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--model", default="tiny.en", help="an installed Whisper model (default: packaged tiny.en)")
    args = parser.parse_args()
    _django()
    for noisy in ("httpx", "faster_whisper"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    bench_transcribe(args.runs, args.model)


if __name__ == "__main__":
    main()
