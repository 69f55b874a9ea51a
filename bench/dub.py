"""Dubbing benchmark (not a test): a talking-head clip made here, English → Spanish, end to end through the API.

The clip: one speaker's Asterisk prompts (Allison Smith, `apt-get install asterisk-core-sounds-en-wav`, CC-BY-SA-3.0;
8 kHz telephone recordings; never committed), each trimmed of its silence and joined with pauses of 0.3-1.0 s into
`--seconds` of speech, with the text of each prompt from the package's own transcript file; muxed with a drawn
picture (ffmpeg lavfi) into an MP4 (H.264 + AAC). Other prompts of the same speaker, not in the clip, are held out
for the judge.

The run, on the real product in its own data dir: `POST /api/dub` (upload, `--source` → `--target`, the default
voice = a clone of the speaker, `--quality`), the job followed on /ws with a websockets client (each stage's wall
time from its first event to the next stage's), then `GET /api/dub/{id}` and the rendered MP4.

Measured from the output:
- offsets: each line's take (the block's audio_url) is found in the MP4's audio by normalized cross-correlation
  near its source segment; its onset = where it sits + where sound (the first 5 ms step whose 20 ms RMS stays above
  the 95th-percentile level - 30 dB for 30 ms, after 120 ms without) starts in the take. The source onset is the
  same detector on the clip inside the prompt placed there. Targets: median |offset| ≤ 100 ms, max ≤ 300 ms.
- WER: Whisper base (multilingual) on the MP4's audio, on the speech alone (the dub's timeline rendered again with
  every other track muted), and on the clone saying the same lines at speed 1 (`POST /api/generate/clone`), each
  against the dub's translated text (cloning/transcription/wer.py). Target ≤ 10 % on the MP4.
- similarity: the judge (resemblyzer, cloning/judge.py) between the held-out prompts and the speech alone.
- total wall time (POST → job.finished) over the clip length.

    .venv/bin/python bench/dub.py [--seconds 60] [--target es] [--source en] [--quality fast] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import logging
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")

from bench.tools import follow_job, product_with_models  # noqa: E402
from clonyvoice.audio import Audio, read_wav, resample, write_wav  # noqa: E402
from tests.live.product import Product  # noqa: E402

PROMPTS = Path("/usr/share/asterisk/sounds/en_US_f_Allison")
TRANSCRIPTS = Path("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz")
LICENSE = "CC-BY-SA-3.0, Allison Smith (debian/copyright of asterisk-core-sounds-en-wav)"
HOP, WINDOW = 0.005, 0.020
TARGET_MEDIAN_MS, TARGET_MAX_MS, TARGET_WER = 100.0, 300.0, 0.10
PICTURE = "drawbox=250:70:140:190:0xe0c097:fill,drawbox=285:130:18:10:black:fill,drawbox=337:130:18:10:black:fill"


@dataclass
class Piece:
    name: str
    text: str
    start: float  # where the trimmed prompt was placed in the clip
    end: float


@dataclass
class Clip:
    audio: Audio  # the whole clip, 8 kHz
    held: Audio  # other prompts of the same speaker
    pieces: list[Piece]
    mp4: Path


def levels_db(samples: np.ndarray, rate: int) -> np.ndarray:
    """RMS in dB of WINDOW-long frames every HOP seconds."""
    hop, win = int(rate * HOP), int(rate * WINDOW)
    padded = np.concatenate([np.asarray(samples, dtype=np.float64), np.zeros(win)])
    power = np.convolve(padded**2, np.ones(win) / win, mode="valid")[: len(samples) : hop]
    return 10 * np.log10(power + 1e-12)


def speech_threshold(levels: np.ndarray) -> float:
    return float(np.percentile(levels, 95)) - 30.0


def onset(levels: np.ndarray, threshold: float, t0: float, t1: float) -> float | None:
    """The first step in [t0, t1) where sound (30 ms above threshold) begins after 120 ms without (or the start)."""
    loud = np.append(levels > threshold, np.zeros(6, dtype=bool))
    runs = np.array([loud[i : i + 6].all() for i in range(len(levels))])
    sounding = np.convolve(runs, np.ones(6), mode="full")[: len(levels)] > 0
    for i in range(max(0, int(t0 / HOP)), min(len(levels), int(t1 / HOP))):
        if runs[i] and not sounding[max(0, i - 24) : i].any():
            return i * HOP
    return None


def build_clip(folder: Path, seconds: float, seed: int) -> Clip:
    with gzip.open(TRANSCRIPTS, "rt") as handle:
        texts = dict(line.split(": ", 1) for line in handle.read().splitlines() if ": " in line and line[0] != ";")
    usable = []
    for path in sorted(PROMPTS.glob("*.wav")):
        text = texts.get(path.stem, "")
        words = text.split()
        if not re.fullmatch(r"[A-Za-z ,.'?!-]+", text) or "..." in text or len(words) < 3:
            continue  # digits, tones, fragments of a sentence
        if sum(len(w.strip(",.")) == 1 for w in words) > 1:
            continue  # spelled letters (M I S D N)
        if (audio := read_wav(path)).sample_rate != 8000:
            continue
        levels = levels_db(audio.samples, audio.sample_rate)
        loud = np.flatnonzero(levels > levels.max() - 40)
        samples = audio.samples[
            int(loud[0] * HOP * audio.sample_rate) : int((loud[-1] * HOP + WINDOW) * audio.sample_rate)
        ]
        if 1.2 <= len(samples) / audio.sample_rate <= 7.0:
            usable.append((path.stem, text, samples))
    rng = random.Random(seed)
    rng.shuffle(usable)
    rate, at, pieces, chunks, held = 8000, 0.5, [], [], []
    for name, text, samples in usable:
        duration = len(samples) / rate
        if at + duration <= seconds - 0.5:
            pieces.append(Piece(name, text, at, at + duration))
            chunks.append((at, samples))
            at += duration + rng.uniform(0.3, 1.0)
        elif sum(len(s) for s in held) < 15 * rate:
            held.append(samples)
    clip = np.random.default_rng(seed).normal(0, 10 ** (-60 / 20), int(seconds * rate)).astype(np.float32)
    for start, samples in chunks:
        clip[int(start * rate) : int(start * rate) + len(samples)] += samples
    audio = Audio(clip, rate)
    wav, mp4 = folder / "talking-head.wav", folder / "talking-head.mp4"
    write_wav(wav, audio)
    (folder / "talking-head.json").write_text(json.dumps([vars(p) for p in pieces], indent=1))  # what is said when
    picture = f"color=c=0x30475e:s=640x360:r=25:d={seconds}"
    subprocess.run(
        [
            *("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", picture, "-i", str(wav)),
            *("-vf", PICTURE, "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-pix_fmt", "yuv420p"),
            *("-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-shortest", str(mp4)),
        ],
        check=True,
    )
    gap = np.zeros(int(0.3 * rate), dtype=np.float32)
    held_audio = Audio(np.concatenate([np.concatenate([s, gap]) for s in held]), rate)
    return Clip(audio, held_audio, pieces, mp4)


def _speech_only(layout: dict) -> dict:
    """The layout with every track muted but those holding takes (the dubbed speech)."""
    fields = ("id", "source", "start", "in_point", "out_point", "gain_db", "fade_in", "fade_out", "mute", "label")
    tracks = [
        {k: track[k] for k in ("id", "kind", "name", "gain_db")}
        | {"solo": False, "mute": track["mute"] or all(b["source"]["kind"] != "take" for b in track["blocks"])}
        | {"blocks": [{k: block[k] for k in fields} for block in track["blocks"]]}
        for track in layout["tracks"]
    ]
    return {"version": layout["version"], "tracks": tracks}


async def _finished(ws: websockets.ClientConnection, answer: httpx.Response, what: str) -> list[tuple[float, dict]]:
    if answer.status_code != 202:
        raise SystemExit(f"{what}: {answer.status_code} {answer.text[:500]}")
    events = await follow_job(ws, answer.json().get("job_id") or answer.json()["task_id"])
    if events[-1][1]["type"] != "job.finished":
        raise SystemExit(f"{what}: {events[-1][1]}")
    return events


async def run_dub(product: Product, key: str, clip: Clip, args: argparse.Namespace, folder: Path) -> dict:
    """The dub through the API, then its MP4, takes, a speech-only render and the clone saying the lines unfitted."""
    fields = {"target_language": args.target, "source_language": args.source, "quality": args.quality}
    with product.client(key) as client, open(clip.mp4, "rb") as handle:
        client.timeout = 900
        async with websockets.connect(product.ws_url, additional_headers={"X-API-Key": key}) as ws:
            await ws.recv()
            posted = time.perf_counter()
            answer = client.post("/api/dub", files={"file": (clip.mp4.name, handle, "video/mp4")}, data=fields)
            events = await _finished(ws, answer, "POST /api/dub")
            dub = client.get(f"/api/dub/{answer.json()['job_id']}").json()
            (folder / "dub.mp4").write_bytes(client.get(dub["render"]["url"]).raise_for_status().content)
            timeline = f"/api/timeline/{dub['timeline_id']}"
            layout = client.get(timeline, params={"peaks": 0}).json()
            for block in (b for t in layout["tracks"] for b in t["blocks"] if b["source"]["kind"] == "take"):
                audio = client.get(block["audio_url"]).raise_for_status().content
                (folder / f"take-{block['source']['id']}.wav").write_bytes(audio)
            client.post(f"{timeline}/layout", json=_speech_only(layout)).raise_for_status()
            render = client.post("/api/generate/merge-timeline", json={"task_id": dub["timeline_id"], "format": "wav"})
            rendered = await _finished(ws, render, "the speech-only render")
        (folder / "speech.wav").write_bytes(client.get(rendered[-1][1]["result"]["url"]).raise_for_status().content)
        lines = {"text": " ".join(seg["text"] for seg in dub["segments"]), "language": args.target, "format": "pcm"}
        voice, started = dub["speakers"][0]["voice_id"], time.perf_counter()
        spoken = client.post("/api/generate/clone", json={**lines, "voice_id": voice, "stream": True})
        (folder / "unfitted.pcm").write_bytes(spoken.raise_for_status().content)
    (folder / "dub.json").write_text(json.dumps(dub, indent=1))
    return {"posted": posted, "events": events, "dub": dub, "unfitted_s": time.perf_counter() - started}


def stage_times(posted: float, events: list[tuple[float, dict]]) -> list[tuple[str, float, float]]:
    """(stage, start after the POST, seconds) from the first event of each stage to the next stage's."""
    starts: dict[str, float] = {}
    for at, event in events:
        if event.get("stage") and event["stage"] not in starts:
            starts[event["stage"]] = at
    names = list(starts)
    ends = [*(starts[n] for n in names[1:]), events[-1][0]][: len(names)]
    return [(n, starts[n] - posted, end - starts[n]) for n, end in zip(names, ends, strict=True)]


def locate(output: np.ndarray, take: np.ndarray, rate: int, t0: float, t1: float) -> tuple[float, float]:
    """Where in [t0, t1] the take starts in the output (s), by normalized cross-correlation, and the peak's score."""
    first = max(0, int(t0 * rate))
    part = output[first : int(t1 * rate) + len(take)].astype(np.float64)
    if len(part) < len(take):
        return float("nan"), 0.0
    size = 1 << int(np.ceil(np.log2(len(part) + len(take))))
    corr = np.fft.irfft(np.fft.rfft(part, size) * np.conj(np.fft.rfft(take, size)), size)[: len(part) - len(take) + 1]
    energy = np.convolve(part**2, np.ones(len(take)), mode="valid")
    score = corr / (np.sqrt(energy * np.sum(take.astype(np.float64) ** 2)) + 1e-9)
    best = int(np.argmax(score))
    return (first + best) / rate, float(score[best])


def measure_offsets(clip: Clip, segments: list[dict], output: Audio, folder: Path) -> list[dict]:
    """Each line's dubbed onset: where its take sits in the output plus where speech starts inside the take."""
    src_levels = levels_db(clip.audio.samples, clip.audio.sample_rate)
    src_thr = speech_threshold(src_levels)
    rows = []
    for seg in segments:
        piece = min(clip.pieces, key=lambda p: abs(p.start - seg["start"]))
        inside = abs(piece.start - seg["start"]) > 0.6  # a sentence inside a prompt: the sound after its pause
        source = (
            onset(src_levels, src_thr, seg["start"] - 0.3, seg["start"] + 0.5) or seg["start"]
            if inside
            else onset(src_levels, src_thr, piece.start - 0.15, piece.end)
        )
        take = resample(read_wav(folder / f"take-{seg['take_id']}.wav"), output.sample_rate)
        take_levels = levels_db(take.samples, take.sample_rate)
        in_take = onset(take_levels, speech_threshold(take_levels), 0.0, take.duration) or 0.0
        at, score = locate(output.samples, take.samples, output.sample_rate, source - 1.5, source + 3.0)
        dubbed = at + in_take
        rows.append(
            {**seg, "source_onset": source, "inside": inside, "dub_onset": dubbed, "score": score}
            | {"offset_ms": (dubbed - source) * 1000, "vs_plan_ms": (at - seg["speech_start"]) * 1000}
        )
    return rows


def measure(clip: Clip, args: argparse.Namespace, run: dict, folder: Path) -> dict:
    from cloning import judge
    from cloning.transcription import transcribe, word_error_rate
    from clonyvoice.media import decode

    segments = run["dub"]["segments"]
    speech = read_wav(folder / "speech.wav")
    mp4_audio = decode(folder / "dub.mp4", sample_rate=16000)
    speech16 = decode(folder / "speech.wav", sample_rate=16000)
    rows = measure_offsets(clip, segments, decode(folder / "dub.mp4", sample_rate=24000), folder)
    found = [abs(r["offset_ms"]) for r in rows]
    on_time = [abs(r["offset_ms"]) for r in rows if r["speech_start"] - r["start"] < 0.05]
    reference = " ".join(seg["text"] for seg in segments)
    heard = transcribe(mp4_audio, model="base", language=args.target).text
    heard_speech = transcribe(speech16, model="base", language=args.target).text
    unfitted = Audio(np.frombuffer((folder / "unfitted.pcm").read_bytes(), "<i2").astype(np.float32) / 32768, 24000)
    heard_unfitted = transcribe(resample(unfitted, 16000), model="base", language=args.target).text
    built = " ".join(p.text for p in clip.pieces)
    return {
        "rows": rows,
        "weak": sum(r["score"] < 0.5 for r in rows),
        "median": statistics.median(found),
        "max": max(found),
        "max_on_time": (len(on_time), max(on_time) if on_time else float("nan")),
        "unfitted_s": unfitted.duration,
        "heard": heard,
        "wer": word_error_rate(reference, heard),
        "wer_speech": word_error_rate(reference, heard_speech),
        "wer_unfitted": word_error_rate(reference, heard_unfitted),
        "source_wer": word_error_rate(built, " ".join(seg["source_text"] for seg in segments)),
        "judge": judge.similarity(clip.held, speech),
        "ceiling": judge.similarity(clip.held, clip.audio),
        "total": run["events"][-1][0] - run["posted"],
    }


def print_report(clip: Clip, run: dict, m: dict) -> None:
    dub, length = run["dub"], clip.audio.duration
    speech_s = sum(p.end - p.start for p in clip.pieces)
    print(f"\n== clip: {PROMPTS}, {LICENSE}")
    print(f"  {len(clip.pieces)} prompts, {speech_s:.1f} s of speech in {length:.1f} s (pauses 0.3-1.0 s), 8 kHz;")
    print(
        f"  held out for the judge: {clip.held.duration:.1f} s; 640x360 H.264 + AAC, {clip.mp4.stat().st_size >> 10} KB"
    )
    print(f"  the dub's source_text vs the prompts' transcripts: WER {m['source_wer']:.1%}")
    print("\n== stages: wall time from a stage's first /ws event to the next's; the API's stages[].seconds")
    print(f"  {'stage':<12}{'at s':>8}{'/ws s':>8}{'API s':>8}")
    api = {s["name"]: s["seconds"] for s in dub.get("stages") or []}
    times = stage_times(run["posted"], run["events"])
    for name, at, seconds in times:
        print(f"  {name:<12}{at:8.1f}{seconds:8.1f}{api.get(name, float('nan')):8.1f}")
    print(f"  {'total':<12}{'':>8}{m['total']:8.1f}   (POST → job.finished; {m['total'] / length:.2f}x the clip)")
    print("\n== segments (s; offset and placed vs plan in ms; score: the take's correlation with the MP4's audio)")
    print(
        f"  {'#':>3}{'source':>8}{'line':>7}{'dubbed':>8}{'offset':>7}{'vs plan':>8}{'score':>6}{'speed':>6}"
        f"{'stretch':>8}{'moved':>6}  text"
    )
    for r in m["rows"]:
        print(
            f"  {r['index']:>3}{r['source_onset']:7.2f}{'*' if r['inside'] else ' '}{r['start']:7.2f}"
            f"{r['dub_onset']:8.2f}{r['offset_ms']:7.0f}{r['vs_plan_ms']:8.0f}{r['score']:6.2f}"
            f"{r['speed']:6.2f}{r['stretch']:8.2f}{r['moved_by']:6.2f}"
            f"  {r['text'][:52]}"
        )
    print(
        f"  (source: the onset inside the prompt placed there, * after the pause inside a prompt; line: the dub's "
        f"start; {m['weak']} takes correlate below 0.5)"
    )
    print(f"  notes: {'; '.join(n['text'] if isinstance(n, dict) else n for n in dub.get('notes') or [])}")
    print(
        f"  the clone says the lines in {m['unfitted_s']:.1f} s at speed 1 (made in {run['unfitted_s']:.0f} s); "
        f"the source speaks for {speech_s:.1f} s"
    )
    print(f"\n== quality\n  {'measure':<46}{'value':>8}{'target':>8}")
    lines = [
        ("offset, median of |offset| (ms)", f"{m['median']:.0f}", "≤ 100"),
        ("offset, max |offset| (ms)", f"{m['max']:.0f}", "≤ 300"),
        (f"  of the {m['max_on_time'][0]} lines the line before did not push", f"{m['max_on_time'][1]:.0f}", ""),
        ("WER, Whisper base on the MP4's audio", f"{m['wer']:.1%}", "≤ 10%"),
        ("WER, Whisper base on the speech alone", f"{m['wer_speech']:.1%}", ""),
        ("WER, the clone saying the lines unfitted", f"{m['wer_unfitted']:.1%}", ""),
        *(
            (f"similarity in the API, speaker {s.get('label')}", f"{s.get('similarity') or float('nan'):.3f}", "")
            for s in dub.get("speakers") or []
        ),
        ("judge: held-out prompts vs the dubbed speech", f"{m['judge']:.3f}", ""),
        ("judge: held-out prompts vs the source clip", f"{m['ceiling']:.3f}", "(same)"),
        ("total time / clip length", f"{m['total'] / length:.2f}", ""),
    ]
    for name, value, target in lines:
        print(f"  {name:<46}{value:>8}{target:>8}")
    print(f"  heard in the MP4: {m['heard'][:400]}")
    met = {"median offset": m["median"] <= TARGET_MEDIAN_MS, "max offset": m["max"] <= TARGET_MAX_MS}
    met["WER"] = m["wer"] <= TARGET_WER
    print(
        "\nsummary: "
        + ", ".join(f"{k} {'met' if v else 'MISSED'}" for k, v in met.items())
        + f"; judge {m['judge']:.3f} (same speaker {m['ceiling']:.3f}); {m['total']:.0f} s for a {length:.0f} s clip"
        + f" ({m['total'] / length:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="clip length (default 60)")
    parser.add_argument("--source", default="en", help="source_language sent (default en; 'auto' lets Whisper tell)")
    parser.add_argument("--target", default="es", help="target_language (default es)")
    parser.add_argument("--quality", default="fast", choices=["fast", "best"], help="the clone fit (default fast)")
    parser.add_argument("--seed", type=int, default=0, help="which prompts, their order and pauses")
    parser.add_argument("--keep", action="store_true", help="keep the data dir, the clip and the renders")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not PROMPTS.is_dir() or not TRANSCRIPTS.exists():
        raise SystemExit("apt-get install asterisk-core-sounds-en-wav (the human recording the clip is made of)")
    product = product_with_models("cv-bench-dub-", env={"CLONYVOICE_LOG_LEVEL": "WARNING"})
    folder = product.data_dir.parent
    os.environ["CLONYVOICE_DATA_DIR"] = str(product.data_dir)  # Whisper and the judge here read the same models
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clonyvoice.settings")
    import django

    django.setup()
    try:
        clip = build_clip(folder, args.seconds, args.seed)
        product.start()
        try:
            scopes = ("tts:generate", "audio:process", "tts:timeline", "clone:create", "ws:connect")
            key = product.create_key(*(a for scope in scopes for a in ("--limit", f"{scope}=1000")))
            product.wait_for_workers(key)
            run = asyncio.run(run_dub(product, key, clip, args, folder))
        finally:
            product.stop()
        print_report(clip, run, measure(clip, args, run, folder))
    finally:
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
