"""Speech speed, side by side in one run: raw Piper in this process vs ClonyVoice end to end.

1. Real-time factor on a 200-word English text: raw `PiperVoice.synthesize` (model loaded, warm)
   vs `POST /api/generate/preset` on the real product (request → job.finished on /ws → audio ready).
   Target: ours ≤ 1.15x raw.
2. Time from `POST /api/generate/clone-chunked` (10 sentences) to the first chunk's job.progress
   event. Target ≤ 0.5 s.

Intelligibility (WER through the offline Whisper) needs faster-whisper, which arrives with the
transcription feature; until then this script says so instead of printing a number.

    .venv/bin/python bench/tts.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live.product import Product  # noqa: E402

WORDS = (
    "The old lighthouse stood at the edge of the harbor for more than a century. Every evening the keeper climbed "
    "the narrow stairs to light the lamp, and every morning he wrote a short note in the logbook. Ships passed in "
    "calm weather and in storms, and the light never failed them. When the town grew, a new beacon was built on "
    "the breakwater, and the lighthouse became a small museum. Children now climb the same stairs and read the "
    "keeper's notes aloud. They learn about the night the fog came in so thick that the bell rang until dawn, and "
    "about the winter the harbor froze from one side to the other. Visitors say the view from the top is the best "
    "in the region. On clear days you can see the islands to the north and the hills behind the town. The museum "
    "is open every day except Monday, and entry is free for anyone who brings a story about the sea. Volunteers "
    "record these stories and keep them in a growing archive. Some are funny, some are sad, and a few are hard to "
    "believe, but all of them are part of the harbor's long memory."
)
TEN_SENTENCES = " ".join(f"This is sentence number {n}, spoken on its own." for n in range(1, 11))


def raw_piper(text: str, runs: int) -> tuple[float, float]:
    """Median seconds to synthesize `text` with Piper directly, and the audio's duration."""
    import django
    import numpy as np
    from piper import PiperVoice

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clonyvoice.settings")
    os.environ.setdefault("CLONYVOICE_DATA_DIR", tempfile.mkdtemp(prefix="cv-bench-raw-"))
    django.setup()
    from synthesis.engines import piper as piper_engine

    model = piper_engine.engine.models()[piper_engine.PACKAGED_STEM]
    voice = PiperVoice.load(model.model_path, config_path=model.config_path)
    list(voice.synthesize("Warm up."))
    times, duration = [], 0.0
    for _ in range(runs):
        start = time.perf_counter()
        samples = np.concatenate([c.audio_float_array for c in voice.synthesize(text)])
        times.append(time.perf_counter() - start)
        duration = len(samples) / voice.config.sample_rate
    return statistics.median(times), duration


async def _timed_job(product: Product, key: str, path: str, body: dict, *, until_first_chunk: bool) -> dict:
    async with websockets.connect(product.ws_url, additional_headers={"X-API-Key": key}) as ws:
        await ws.recv()
        start = time.perf_counter()
        with product.client(key) as client:
            response = client.post(path, json=body)
        response.raise_for_status()
        task_id = response.json()["task_id"]
        while True:
            event = json.loads(await asyncio.wait_for(ws.recv(), 300))
            if event.get("task_id") != task_id:
                continue
            if until_first_chunk and event["type"] == "job.progress" and "chunk_index" in event:
                return {"seconds": time.perf_counter() - start, "task_id": task_id}
            if event["type"] == "job.failed":
                raise SystemExit(f"job failed: {event.get('error')}")
            if event["type"] == "job.finished":
                return {"seconds": time.perf_counter() - start, "task_id": task_id, "result": event["result"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"text: {len(WORDS.split())} words; {args.runs} runs each, medians")

    raw_seconds, raw_audio = raw_piper(WORDS, args.runs)

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
        ours = [
            asyncio.run(_timed_job(product, key, "/api/generate/preset", body, until_first_chunk=False))
            for _ in range(args.runs)
        ]
        first_chunk = [
            asyncio.run(
                _timed_job(
                    product,
                    key,
                    "/api/generate/clone-chunked",
                    {"text": TEN_SENTENCES, "voice_id": voice_id},
                    until_first_chunk=True,
                )
            )["seconds"]
            for _ in range(args.runs)
        ]
    finally:
        product.stop()

    ours_seconds = statistics.median(r["seconds"] for r in ours)
    ours_audio = ours[-1]["result"]["duration"]
    raw_rtf, ours_rtf = raw_seconds / raw_audio, ours_seconds / ours_audio
    print(f"{'':34}{'seconds':>10}{'audio s':>10}{'RTF':>10}")
    print(f"{'raw Piper (in process, warm)':34}{raw_seconds:>10.3f}{raw_audio:>10.2f}{raw_rtf:>10.4f}")
    print(f"{'POST /api/generate/preset (e2e)':34}{ours_seconds:>10.3f}{ours_audio:>10.2f}{ours_rtf:>10.4f}")
    print(f"ours / raw: {ours_rtf / raw_rtf:.3f}x (target <= 1.15x)")
    print(f"first chunk of 10-sentence clone-chunked: {statistics.median(first_chunk):.3f} s (target <= 0.5 s)")
    if importlib.util.find_spec("faster_whisper") is None:
        print("WER: not measured — faster-whisper is not installed yet (it comes with transcription).")


if __name__ == "__main__":
    main()
