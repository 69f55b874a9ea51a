"""Speech speed, side by side in one run: each engine raw in this process vs ClonyVoice end to end.

For each engine (Piper, Kokoro) on one English preset voice of the library (Piper's packaged `en_US-joe-medium`,
Kokoro's `jm_kumo`, else the first one speaking English), at speed 1.0:

1. Real-time factor on a 200-word English text: the engine called raw in this process (model loaded from the
   file the product uses, warm; Kokoro phonemized by the engine's own `phonemes` module and spoken from the same
   style table) vs `POST /api/generate/preset` on the real product (request → job.finished on /ws). Raw and ours
   alternate. Targets: ours ≤ 1.15x raw for Piper, ≤ 1.10x for Kokoro. Each run of ours is broken down (queue,
   engine, rest of the job, after finish) from its job row.
2. Time from `POST /api/generate/clone-chunked` (10 sentences, same voice) to the first chunk's job.progress
   event, next to the raw engine speaking that first sentence alone (the floor). Target ≤ 0.5 s.
3. Intelligibility: word error rate of both outputs against the text, transcribed by the same offline Whisper
   model. Target: ours ≤ 5% and never more than 1 point above raw.
4. Memory: RSS of the gpu worker process when idle and after each engine has spoken, next to the RSS this
   process gained by loading the engine raw (and after its runs).

A table of all of it per engine ends the output.

    .venv/bin/python bench/tts.py [--runs 3] [--engine piper|kokoro|all] [--whisper tiny.en]
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
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import psutil
import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.texts import LIGHTHOUSE  # noqa: E402
from tests.live.product import Product  # noqa: E402

WORDS = LIGHTHOUSE
TEN_SENTENCES = " ".join(f"This is sentence number {n}, spoken on its own." for n in range(1, 11))
ENGINES = ("piper", "kokoro")
RATIO_TARGETS = {"piper": 1.15, "kokoro": 1.10}
FIRST_CHUNK_TARGET = 0.5
WER_TARGET, WER_MARGIN = 0.05, 0.01
SPEED = 1.0
MB = 2**20


@dataclass
class Take:
    seconds: float
    audio_seconds: float
    samples: np.ndarray
    sample_rate: int


class RawEngine(Protocol):
    def run(self, text: str) -> Take: ...


@dataclass
class Result:
    engine: str
    voice: str
    raw_seconds: float
    raw_audio: float
    ours_seconds: float
    ours_audio: float
    first_chunk: float
    raw_first: float
    raw_wer: float
    ours_wer: float
    raw_load_mb: float
    raw_after_runs_mb: float
    worker_mb: float

    @property
    def raw_rtf(self) -> float:
        return self.raw_seconds / self.raw_audio

    @property
    def ours_rtf(self) -> float:
        return self.ours_seconds / self.ours_audio

    @property
    def ratio(self) -> float:
        return self.ours_rtf / self.raw_rtf


class RawPiper:
    """Piper called directly in this process, model loaded and warm: the baseline."""

    def __init__(self) -> None:
        from piper import PiperVoice

        from synthesis.engines import piper as piper_engine

        model = piper_engine.engine.models()[piper_engine.PACKAGED_STEM]
        self.voice = PiperVoice.load(model.model_path, config_path=model.config_path)
        self.run("Warm up.")

    def run(self, text: str) -> Take:
        start = time.perf_counter()
        # The voice's own length scale: speed 1.0 (SPEED), as the product asks for.
        samples = np.concatenate([c.audio_float_array for c in self.voice.synthesize(text)])
        seconds = time.perf_counter() - start
        rate = self.voice.config.sample_rate
        return Take(seconds, len(samples) / rate, samples, rate)


class RawKokoro:
    """kokoro-onnx called directly in this process on the product's model file, as the engine calls it, warm."""

    def __init__(self, engine_voice_id: str, language: str) -> None:
        from kokoro_onnx import Kokoro

        from synthesis.engines.kokoro import VOCAB_FILE, VOICES_FILE, install, mixing, phonemes

        data = install.data_dir()
        if data is None or not install.is_assembled():
            raise SystemExit(f"Kokoro is not installed at {install.model_path()}: {install.INSTALL_HINT}")
        self.phonemes = phonemes
        self.language = phonemes.resolve(language) or language
        self.kokoro = Kokoro(str(install.model_path()), str(data / VOICES_FILE), vocab_config=str(data / VOCAB_FILE))
        tables = {name: np.asarray(self.kokoro.voices[name], dtype=np.float32) for name in self.kokoro.get_voices()}
        self.style = mixing.blend(tables, mixing.parse(engine_voice_id))
        self.run("Warm up.")

    def run(self, text: str) -> Take:
        start = time.perf_counter()
        ipa = self.phonemes.phonemize(text, self.language)
        samples, rate = self.kokoro.create(ipa, voice=self.style, speed=SPEED, is_phonemes=True)
        samples = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
        seconds = time.perf_counter() - start
        return Take(seconds, len(samples) / rate, samples, rate)


def _django_setup(data_dir: Path) -> None:
    """Settings of the product's data dir in this process, so the raw engines load the product's model files."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "clonyvoice.settings"
    os.environ["CLONYVOICE_DATA_DIR"] = str(data_dir)
    django.setup()
    # Django's logging config shows every request of the bench's HTTP client; the results are what matter here.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def _rss_mb(proc: psutil.Process | None = None) -> float:
    return (proc or psutil.Process()).memory_info().rss / MB


def gpu_worker(product: Product) -> psutil.Process:
    """The Dramatiq worker process of the gpu queue (the child of `manage.py worker --queues gpu`'s process)."""
    for proc in product.descendants():
        try:
            cmd, parent = proc.cmdline(), proc.parent()
            if _queue(cmd) == "gpu" and parent is not None and _queue(parent.cmdline()) == "gpu":
                return proc
        except psutil.Error:
            continue
    raise SystemExit("no gpu worker process found under serve")


def _queue(cmd: list[str]) -> str | None:
    return cmd[cmd.index("--queues") + 1] if "--queues" in cmd[:-1] else None


def _pick_voice(product: Product, key: str, engine: str) -> dict:
    """The library voice the raw side speaks as: the packaged/preferred one, else the first speaking English."""
    preferred = {"piper": "en_US-joe-medium", "kokoro": "jm_kumo"}[engine]
    with product.client(key) as client:
        voices = client.get("/api/voices", params={"engine": engine, "page_size": 500}).json()["results"]
    english = [v for v in voices if any(lang.split("-")[0] == "en" for lang in v["languages"])]
    chosen = next((v for v in english if v["engine_voice_id"] == preferred), english[0] if english else None)
    if chosen is None:
        raise SystemExit(f"no {engine} voice speaking English in the library")
    return chosen


def _english(voice: dict) -> str:
    """The voice's first English tag: given to the product and to the raw engine alike."""
    return next(lang for lang in voice["languages"] if lang.split("-")[0] == "en")


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


def _job(product: Product, key: str, path: str, body: dict, *, until_first_chunk: bool = False) -> dict:
    return asyncio.run(_timed_job(product, key, path, body, until_first_chunk=until_first_chunk))


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
        "chunks": len(generation["chunks"]),
    }


def _load_raw(engine: str, voice: dict) -> RawEngine:
    return RawPiper() if engine == "piper" else RawKokoro(voice["engine_voice_id"], _english(voice))


def _speed_runs(raw: RawEngine, product: Product, key: str, body: dict, runs: int) -> tuple[list[Take], list[dict]]:
    _job(product, key, "/api/generate/preset", {**body, "text": "Warm up."})
    # Raw and ours alternate, so whatever else the machine does weighs on both alike.
    raws, ours = [], []
    for _ in range(runs):
        raws.append(raw.run(WORDS))
        ours.append(_job(product, key, "/api/generate/preset", body))
    for run in ours:
        b = _breakdown(product, key, run["task_id"])
        print(
            f"  ours e2e {run['seconds']:.3f} s = queue {b['queued']:.3f} + engine {b['engine']:.3f}"
            f" ({b['chunks']} chunks) + rest of job {b['running'] - b['engine']:.3f}"
            f" + after finish {run['seconds'] - b['total']:.3f}"
        )
    for take in raws:
        print(f"  raw {take.seconds:.3f} s for {take.audio_seconds:.2f} s of audio")
    return raws, ours


def _first_chunk(raw: RawEngine, product: Product, key: str, voice: dict, runs: int) -> tuple[float, float]:
    """Median seconds to the first chunk of ours, and of the raw engine speaking that first sentence alone."""
    body = {"text": TEN_SENTENCES, "voice_id": voice["id"], "language": _english(voice), "speed": SPEED}
    first_sentence = TEN_SENTENCES.split(". ")[0] + "."
    ours, raws = [], []
    for _ in range(runs):
        raws.append(raw.run(first_sentence).seconds)
        run = _job(product, key, "/api/generate/clone-chunked", body, until_first_chunk=True)
        b = _breakdown(product, key, run["task_id"], first_chunk_only=True)
        print(
            f"  first chunk {run['seconds']:.3f} s: 202 after {run['answered']:.3f}, queue {b['queued']:.3f},"
            f" engine {b['engine']:.3f}; raw engine on that sentence {raws[-1]:.3f}"
        )
        ours.append(run["seconds"])
    return statistics.median(ours), statistics.median(raws)


def bench_engine(engine: str, product: Product, key: str, runs: int, whisper: str) -> Result:
    voice = _pick_voice(product, key, engine)
    print(f"\n== {engine}: voice {voice['name']!r} ({voice['engine_voice_id']}, {_english(voice)}), speed {SPEED}")
    before_load = _rss_mb()
    raw = _load_raw(engine, voice)
    load_mb = _rss_mb() - before_load
    body = {"text": WORDS, "voice_id": voice["id"], "language": _english(voice), "speed": SPEED, "format": "wav"}
    raws, ours = _speed_runs(raw, product, key, body, runs)
    after_runs_mb = _rss_mb() - before_load
    first_chunk, raw_first = _first_chunk(raw, product, key, voice, runs)
    with product.client(key) as client:
        ours_wav = client.get(f"/api/generations/{ours[-1]['task_id']}/audio").content
    raw_wer, ours_wer = intelligibility(raws[-1], ours_wav, whisper)
    return Result(
        engine=engine,
        voice=voice["engine_voice_id"],
        raw_seconds=statistics.median(t.seconds for t in raws),
        raw_audio=raws[-1].audio_seconds,
        ours_seconds=statistics.median(r["seconds"] for r in ours),
        ours_audio=ours[-1]["result"]["duration"],
        first_chunk=first_chunk,
        raw_first=raw_first,
        raw_wer=raw_wer,
        ours_wer=ours_wer,
        raw_load_mb=load_mb,
        raw_after_runs_mb=after_runs_mb,
        worker_mb=_rss_mb(gpu_worker(product)),
    )


def intelligibility(raw: Take, ours_wav: bytes, whisper: str) -> tuple[float, float]:
    """Word error rate of both outputs, transcribed by the same offline Whisper model."""
    from cloning.transcription import transcribe, word_error_rate
    from clonyvoice.audio import Audio, from_wav_bytes, resample

    raw_audio = resample(Audio(samples=raw.samples.astype(np.float32), sample_rate=raw.sample_rate), 16000)
    ours_audio = resample(from_wav_bytes(ours_wav), 16000)
    raw_wer = word_error_rate(WORDS, transcribe(raw_audio, model=whisper, language="en").text)
    ours_wer = word_error_rate(WORDS, transcribe(ours_audio, model=whisper, language="en").text)
    return raw_wer, ours_wer


def _threads_line(worker: psutil.Process) -> str:
    """Both sides run onnxruntime with its default threads; what the OS sees of each, for a ratio that misses."""
    me = psutil.Process()
    return (
        f"threads: this process {me.num_threads()} on CPUs {me.cpu_affinity()},"
        f" gpu worker (pid {worker.pid}) {worker.num_threads()} on CPUs {worker.cpu_affinity()}"
    )


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in psutil.getloadavg())


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISS"


def _ratio_cell(r: Result) -> str:
    target = RATIO_TARGETS[r.engine]
    return f"{r.ratio:.3f}x <={target:.2f} {_mark(r.ratio <= target)}"


def _wer_cell(r: Result) -> str:
    return f"{r.ours_wer:.2%} {_mark(r.ours_wer <= WER_TARGET and r.ours_wer - r.raw_wer <= WER_MARGIN)}"


def report(results: list[Result], worker_rss: dict[str, float], whisper: str) -> None:
    rows: list[tuple[str, list[str]]] = [
        ("voice", [r.voice for r in results]),
        ("raw s (in process, warm)", [f"{r.raw_seconds:.3f}" for r in results]),
        ("raw audio s", [f"{r.raw_audio:.2f}" for r in results]),
        ("raw RTF", [f"{r.raw_rtf:.4f}" for r in results]),
        ("ours s (preset, e2e)", [f"{r.ours_seconds:.3f}" for r in results]),
        ("ours audio s", [f"{r.ours_audio:.2f}" for r in results]),
        ("ours RTF", [f"{r.ours_rtf:.4f}" for r in results]),
        ("ours / raw RTF (target)", [_ratio_cell(r) for r in results]),
        (
            f"first chunk s (<= {FIRST_CHUNK_TARGET})",
            [f"{r.first_chunk:.3f} {_mark(r.first_chunk <= FIRST_CHUNK_TARGET)}" for r in results],
        ),
        ("raw, first sentence alone s", [f"{r.raw_first:.3f}" for r in results]),
        (f"WER raw ({whisper})", [f"{r.raw_wer:.2%}" for r in results]),
        ("WER ours (<=5%, <=raw+1pt)", [_wer_cell(r) for r in results]),
        ("raw: RSS + load MB", [f"{r.raw_load_mb:.0f}" for r in results]),
        ("raw: RSS + after runs MB", [f"{r.raw_after_runs_mb:.0f}" for r in results]),
        ("gpu worker RSS after MB", [f"{r.worker_mb:.0f}" for r in results]),
    ]
    print("\n" + f"{'':30}" + "".join(f"{r.engine:>24}" for r in results))
    for label, cells in rows:
        print(f"{label:30}" + "".join(f"{cell:>24}" for cell in cells))
    print("gpu worker RSS: " + ", ".join(f"{moment} {mb:.0f} MB" for moment, mb in worker_rss.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engine", choices=[*ENGINES, "all"], default="all")
    parser.add_argument("--whisper", default="tiny.en", help="installed Whisper model for the word error rate")
    args = parser.parse_args()
    engines = ENGINES if args.engine == "all" else (args.engine,)
    print(f"text: {len(WORDS.split())} words; {args.runs} runs each, medians; load average {_load_average()}")

    product = Product(Path(tempfile.mkdtemp(prefix="cv-bench-tts-")) / "data").start()
    worker_rss: dict[str, float] = {}  # MB, by moment: "idle", "after piper", ...
    results = []
    try:
        _django_setup(product.data_dir)
        key = product.create_key("--limit", "tts:generate=1000", "--limit", "ws:connect=1000")
        product.wait_for_workers(key)
        worker_rss["idle"] = _rss_mb(gpu_worker(product))
        for engine in engines:
            results.append(bench_engine(engine, product, key, args.runs, args.whisper))
            worker_rss[f"after {engine}"] = results[-1].worker_mb
        print(_threads_line(gpu_worker(product)))
    finally:
        product.stop()
    print(f"load average at the end {_load_average()}")
    report(results, worker_rss, args.whisper)


if __name__ == "__main__":
    main()
