"""Speech speed, side by side in one run: raw Piper in this process vs ClonyVoice end to end.

1. Real-time factor on a 200-word English text: raw `PiperVoice.synthesize` (model loaded, warm)
   vs `POST /api/generate/preset` on the real product (request → job.finished on /ws → audio ready).
   Target: ours ≤ 1.15x raw.
2. Time from `POST /api/generate/clone-chunked` (10 sentences) to the first chunk's job.progress
   event. Target ≤ 0.5 s.

3. Intelligibility: word error rate of both outputs against the text, transcribed by the same offline
   Whisper model. Target: ours <= 5% and never more than 1 point above raw.

    .venv/bin/python bench/tts.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.texts import LIGHTHOUSE  # noqa: E402
from tests.live.product import Product  # noqa: E402

WORDS = LIGHTHOUSE
TEN_SENTENCES = " ".join(f"This is sentence number {n}, spoken on its own." for n in range(1, 11))


class RawPiper:
    """Piper called directly in this process, model loaded and warm: the baseline."""

    def __init__(self) -> None:
        import django
        from piper import PiperVoice

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clonyvoice.settings")
        os.environ.setdefault("CLONYVOICE_DATA_DIR", tempfile.mkdtemp(prefix="cv-bench-raw-"))
        django.setup()
        from synthesis.engines import piper as piper_engine

        model = piper_engine.engine.models()[piper_engine.PACKAGED_STEM]
        self.voice = PiperVoice.load(model.model_path, config_path=model.config_path)
        list(self.voice.synthesize("Warm up."))

    def run(self, text: str) -> tuple[float, float, np.ndarray]:
        """Seconds to synthesize `text`, the audio's duration, and the samples."""
        start = time.perf_counter()
        samples = np.concatenate([c.audio_float_array for c in self.voice.synthesize(text)])
        return time.perf_counter() - start, len(samples) / self.voice.config.sample_rate, samples


async def _timed_job(product: Product, key: str, path: str, body: dict, *, until_first_chunk: bool) -> dict:
    async with websockets.connect(product.ws_url, additional_headers={"X-API-Key": key}) as ws:
        await ws.recv()
        start = time.perf_counter()
        with product.client(key) as client:
            response = client.post(path, json=body)
        response.raise_for_status()
        answered = time.perf_counter() - start
        task_id = response.json()["task_id"]
        first_chunk = None
        while True:
            event = json.loads(await asyncio.wait_for(ws.recv(), 300))
            if event.get("task_id") != task_id:
                continue
            if first_chunk is None and event["type"] == "job.progress" and "chunk_index" in event:
                first_chunk = time.perf_counter() - start
            if event["type"] == "job.failed":
                raise SystemExit(f"job failed: {event.get('error')}")
            if event["type"] == "job.finished":
                # Wait for the end even when only the first chunk is timed, so the next run starts on an idle worker.
                seconds = first_chunk if until_first_chunk else time.perf_counter() - start
                return {"seconds": seconds, "answered": answered, "task_id": task_id, "result": event["result"]}


def _breakdown(product: Product, key: str, task_id: str, *, first_chunk_only: bool = False) -> dict[str, float]:
    """Where a job's time went, from its row: waiting in the queue, the engine, the rest of the job."""
    from datetime import datetime

    with product.client(key) as client:
        job = client.get(f"/api/jobs/{task_id}").json()
        generation = client.get(f"/api/generations/{task_id}").json()
    created, started, finished = (datetime.fromisoformat(job[k]) for k in ("created_at", "started_at", "finished_at"))
    chunks = generation["chunks"][:1] if first_chunk_only else generation["chunks"]
    engine = sum(t["synthesis_seconds"] for c in chunks for t in c["takes"])
    return {
        "queued": (started - created).total_seconds(),
        "running": (finished - started).total_seconds(),
        "total": (finished - created).total_seconds(),
        "engine": engine,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--whisper", default="tiny.en", help="installed Whisper model for the word error rate")
    args = parser.parse_args()
    print(f"text: {len(WORDS.split())} words; {args.runs} runs each, medians")

    raw = RawPiper()
    product = Product(Path(tempfile.mkdtemp(prefix="cv-bench-tts-")) / "data").start()
    try:
        key = product.create_key("--limit", "tts:generate=1000", "--limit", "ws:connect=1000")
        product.wait_for_workers(key)
        with product.client(key) as client:
            voices = client.get("/api/voices", params={"engine": "piper"}).json()["results"]
        voice_id = voices[0]["id"]
        body = {"text": WORDS, "voice_id": voice_id, "format": "wav"}
        warm_up = {**body, "text": "Warm up."}
        asyncio.run(_timed_job(product, key, "/api/generate/preset", warm_up, until_first_chunk=False))
        # Raw and ours alternate, so whatever else the machine does weighs on both alike.
        raws, ours = [], []
        for _ in range(args.runs):
            raws.append(raw.run(WORDS))
            ours.append(asyncio.run(_timed_job(product, key, "/api/generate/preset", body, until_first_chunk=False)))
        for run in ours:
            run["breakdown"] = _breakdown(product, key, run["task_id"])
        first_runs = [
            asyncio.run(
                _timed_job(
                    product,
                    key,
                    "/api/generate/clone-chunked",
                    {"text": TEN_SENTENCES, "voice_id": voice_id},
                    until_first_chunk=True,
                )
            )
            for _ in range(args.runs)
        ]
        for run in first_runs:
            b = _breakdown(product, key, run["task_id"], first_chunk_only=True)
            print(
                f"  first chunk {run['seconds']:.3f} s: 202 after {run['answered']:.3f}, queue {b['queued']:.3f},"
                f" engine {b['engine']:.3f}"
            )
        first_chunk = [run["seconds"] for run in first_runs]
        with product.client(key) as client:
            ours_wav = client.get(f"/api/generations/{ours[-1]['task_id']}/audio").content
    finally:
        product.stop()

    raw_seconds = statistics.median(r[0] for r in raws)
    raw_audio = raws[-1][1]
    ours_seconds = statistics.median(r["seconds"] for r in ours)
    for run in ours:
        b = run["breakdown"]
        print(
            f"  run: e2e {run['seconds']:.3f} s = queue {b['queued']:.3f} + engine {b['engine']:.3f}"
            f" + rest of job {b['running'] - b['engine']:.3f} + after finish {run['seconds'] - b['total']:.3f}"
        )
    ours_audio = ours[-1]["result"]["duration"]
    raw_rtf, ours_rtf = raw_seconds / raw_audio, ours_seconds / ours_audio
    print(f"{'':34}{'seconds':>10}{'audio s':>10}{'RTF':>10}")
    print(f"{'raw Piper (in process, warm)':34}{raw_seconds:>10.3f}{raw_audio:>10.2f}{raw_rtf:>10.4f}")
    print(f"{'POST /api/generate/preset (e2e)':34}{ours_seconds:>10.3f}{ours_audio:>10.2f}{ours_rtf:>10.4f}")
    print(f"ours / raw: {ours_rtf / raw_rtf:.3f}x (target <= 1.15x)")
    print(f"first chunk of 10-sentence clone-chunked: {statistics.median(first_chunk):.3f} s (target <= 0.5 s)")
    intelligibility(raw, raws[-1][2], ours_wav, args.whisper)


def intelligibility(raw: RawPiper, raw_samples: np.ndarray, ours_wav: bytes, whisper: str) -> None:
    """Word error rate of both outputs, transcribed by the same offline Whisper model."""
    from cloning.transcription import transcribe, word_error_rate
    from clonyvoice.audio import Audio, from_wav_bytes, resample

    raw_audio = resample(Audio(samples=raw_samples.astype(np.float32), sample_rate=raw.voice.config.sample_rate), 16000)
    ours_audio = resample(from_wav_bytes(ours_wav), 16000)
    raw_wer = word_error_rate(WORDS, transcribe(raw_audio, model=whisper, language="en").text)
    ours_wer = word_error_rate(WORDS, transcribe(ours_audio, model=whisper, language="en").text)
    print(f"WER (Whisper {whisper}): raw Piper {raw_wer:.2%}, ours {ours_wer:.2%}")
    print(f"  target: ours <= 5% and at most 1 point above raw ({(ours_wer - raw_wer) * 100:+.1f} points)")


if __name__ == "__main__":
    main()
