"""Timeline render speed and memory, side by side in one run: our streaming mixer vs ffmpeg.

1. 1,000 blocks (takes of 2.6-4.6 s, 16-bit 24 kHz mono WAVs) laid end to end into one hour:
   our render (timeline.mixer.render_audio, the code the merge-timeline job runs, in a child
   process) vs ffmpeg's concat demuxer doing the same join. Both write 16-bit WAV.
   Target: ours <= 1.0x ffmpeg's time.
2. Scaling: 2,000 blocks / two hours. Target: <= 2.2x the one-hour time.
3. Peak memory: the child's peak RSS (Python) plus its ffmpeg encoder's, vs the raw size of the
   output (frames x channels x 2 bytes). Target <= 3x. Peaks are VmHWM from /proc, read per
   process: ru_maxrss of an exec'd child would include its parent's high-water mark.
4. Overlaps (with --amix): 100 overlapping blocks (~4.5 minutes of mix), ours vs ffmpeg adelay + amix,
   and ours checked against the exact integer sum of the sources.

Every figure is the best of --runs rounds (each round runs every case once, interleaved); each run
is a fresh process. Wall and CPU time (user + system of the process and its children) both show.
Files live on /dev/shm when it has room, so disk writeback does not blur the comparison (both sides
write the same bytes).

    .venv/bin/python bench/merge.py [--runs 3] [--amix]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timeline.mixer import MixBlock, MixSource, mix_frames, render_audio  # noqa: E402

RATE = 24_000
FFMPEG = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]


def make_sources(folder: Path, count: int, hours: float, seed: int) -> list[tuple[Path, int]]:
    """`count` WAVs whose lengths (2.6-4.6 s, varied) add up to exactly `hours` hours."""
    rng = np.random.default_rng(seed)
    total = int(hours * 3600 * RATE)
    weights = rng.uniform(2.6, 4.6, count)
    lengths = np.floor(weights / weights.sum() * total).astype(int)
    lengths[-1] += total - lengths.sum()
    out = []
    for index, frames in enumerate(lengths):
        path = folder / f"take-{seed}-{index:05d}.wav"
        samples = (rng.standard_normal(int(frames)) * 2000).astype("<i2")
        with wave.open(str(path), "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(RATE)
            handle.writeframes(samples.tobytes())
        out.append((path, int(frames)))
    return out


def end_to_end(sources: list[tuple[Path, int]]) -> list[dict]:
    blocks, at = [], 0
    for index, (path, frames) in enumerate(sources):
        blocks.append({"key": f"take:{index}", "path": str(path), "start": at / RATE, "out": frames / RATE})
        at += frames
    return blocks


def overlapping(sources: list[tuple[Path, int]], rng: np.random.Generator) -> list[dict]:
    blocks, at = [], 0.0
    for index, (path, frames) in enumerate(sources):
        blocks.append({"key": f"take:{index}", "path": str(path), "start": round(at, 3), "out": frames / RATE})
        at += frames / RATE * rng.uniform(0.5, 0.9)  # each block starts before the previous one ends
    return blocks


def vm_hwm(pid: int | str = "self") -> int:
    """Peak resident set of a live process since its exec, in bytes (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class PeakWatcher(threading.Thread):
    """Polls VmHWM of the given process (or of this process's children) until stopped."""

    def __init__(self, pid: int | None = None) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peaks: dict[int, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            pids = [self.pid] if self.pid else [c.pid for c in psutil.Process().children()]
            for pid in pids:
                self.peaks[pid] = max(self.peaks.get(pid, 0), vm_hwm(pid))
            time.sleep(0.01)

    @property
    def peak(self) -> int:
        return max(self.peaks.values(), default=0)


def child_ours(layout: Path, out: Path) -> None:
    """Runs in a fresh process: render the layout, print seconds and peak RSS (self, encoder)."""
    watcher = PeakWatcher()
    watcher.start()
    spec = json.loads(layout.read_text())
    blocks = [
        MixBlock(MixSource(key=b["key"], path=Path(b["path"])), start=b["start"], in_point=0.0, out_point=b["out"])
        for b in spec
    ]
    scratch = Path(tempfile.mkdtemp(prefix="merge-bench-"))
    started = time.perf_counter()
    frames = render_audio(blocks, path=out, fmt="wav", rate=RATE, channels=1, scratch=scratch)
    seconds = time.perf_counter() - started
    shutil.rmtree(scratch, ignore_errors=True)
    watcher.stop.set()
    watcher.join()
    print(json.dumps({"seconds": seconds, "frames": frames, "rss": vm_hwm(), "encoder_rss": watcher.peak}))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_ours(layout: Path, out: Path) -> dict:
    before = _cpu()
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(layout), str(out)], capture_output=True, text=True, check=True
    )
    # CPU of the child and its encoder (both waited for); steadier than wall time on a busy machine.
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "cpu": _cpu() - before}


def run_ffmpeg(args: list[str]) -> dict:
    """Time one ffmpeg and watch its peak RSS."""
    before = _cpu()
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watcher = PeakWatcher(process.pid)
    watcher.start()
    _, errors = process.communicate()
    seconds = time.perf_counter() - started
    watcher.stop.set()
    watcher.join()
    if process.returncode != 0:
        raise RuntimeError(errors.decode()[-2000:])
    return {"seconds": seconds, "rss": watcher.peak, "cpu": _cpu() - before}


def exact_sum(blocks: list[dict], ours: Path) -> str:
    """Ours against the integer sum of the sources at their places, clipped as 16-bit is."""
    with wave.open(str(ours)) as handle:
        mixed = np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2").astype(np.int64)
    expected = np.zeros(len(mixed), dtype=np.int64)
    for block in blocks:
        with wave.open(block["path"]) as handle:
            source = np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2")
        begin = round(block["start"] * RATE)
        expected[begin : begin + len(source)] += source
    worst = int(np.abs(mixed - np.clip(expected, -32768, 32767)).max())
    return "ours = exact sum" if worst == 0 else f"ours off the exact sum by {worst} LSB"


def compare(ours: Path, theirs: Path) -> str:
    """Bit-identical samples, or the largest difference, reading both WAVs a window at a time."""
    with wave.open(str(ours)) as a, wave.open(str(theirs)) as b:
        if a.getnframes() != b.getnframes():
            return f"{a.getnframes()} vs {b.getnframes()} frames"
        worst = 0
        while chunk := a.readframes(RATE * 10):
            x = np.frombuffer(chunk, dtype="<i2").astype(np.int32)
            y = np.frombuffer(b.readframes(RATE * 10), dtype="<i2").astype(np.int32)
            worst = max(worst, int(np.abs(x - y).max()))
    return "bit-identical samples" if worst == 0 else f"same length, max diff {worst} LSB"


def ffmpeg_concat(blocks: list[dict], folder: Path, out: Path) -> list[str]:
    listing = folder / f"concat-{len(blocks)}.txt"
    listing.write_text("".join(f"file '{b['path']}'\n" for b in blocks))
    return [*FFMPEG, "-f", "concat", "-safe", "0", "-i", str(listing), "-c:a", "pcm_s16le", str(out)]


def ffmpeg_amix(blocks: list[dict], folder: Path, out: Path) -> list[str]:
    args = [*FFMPEG]
    for block in blocks:
        args += ["-i", block["path"]]
    graph = [f"[{i}:a]adelay={round(b['start'] * 1000)}:all=1[d{i}]" for i, b in enumerate(blocks)]
    graph.append("".join(f"[d{i}]" for i in range(len(blocks))) + f"amix=inputs={len(blocks)}:normalize=0[out]")
    script = folder / f"amix-{len(blocks)}.txt"
    script.write_text(";\n".join(graph))
    return [*args, "-filter_complex_script", str(script), "-map", "[out]", "-c:a", "pcm_s16le", str(out)]


def mb(value: float) -> str:
    return f"{value / 1e6:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--amix", action="store_true", help="also the overlapping case vs adelay + amix")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_ours(Path(args.child[0]), Path(args.child[1]))
        return

    shm = Path("/dev/shm")
    room = shutil.disk_usage(shm).free if shm.is_dir() else 0
    folder = Path(tempfile.mkdtemp(prefix="cv-merge-bench-", dir=shm if room > 3 * 1024**3 else None))
    print(f"working in {folder}")
    try:
        cases = []
        print("writing sources…", flush=True)
        one = end_to_end(make_sources(folder, 1000, 1.0, seed=1))
        two = end_to_end(make_sources(folder, 2000, 2.0, seed=2))
        cases += [("1 h, end to end (concat)", one, ffmpeg_concat), ("2 h, end to end (concat)", two, ffmpeg_concat)]
        if args.amix:
            rng = np.random.default_rng(3)
            cases.append(
                ("overlaps (adelay+amix)", overlapping(make_sources(folder, 100, 0.1, seed=3), rng), ffmpeg_amix)
            )
        for _name, blocks, _ in cases:
            (folder / f"layout-{len(blocks)}.json").write_text(json.dumps(blocks))
        # Rounds go through every case, so a busy spell on a shared machine hits 1 h and 2 h alike.
        results: dict[tuple[str, str], list[dict]] = {}
        for round_ in range(args.runs):
            for name, blocks, ffmpeg_args in cases:
                print(f"round {round_ + 1}/{args.runs}: {name}", flush=True)
                layout = folder / f"layout-{len(blocks)}.json"
                ours_out, theirs_out = folder / f"ours-{len(blocks)}.wav", folder / f"ffmpeg-{len(blocks)}.wav"
                results.setdefault((name, "ours"), []).append(run_ours(layout, ours_out))
                results.setdefault((name, "ffmpeg"), []).append(run_ffmpeg(ffmpeg_args(blocks, folder, theirs_out)))
        rows = []
        for name, blocks, _ in cases:
            ours = {**min(results[name, "ours"], key=lambda r: r["seconds"])}
            ours["cpu"] = min(r["cpu"] for r in results[name, "ours"])
            theirs = {**min(results[name, "ffmpeg"], key=lambda r: r["seconds"])}
            theirs["cpu"] = min(r["cpu"] for r in results[name, "ffmpeg"])
            frames = mix_frames([MixBlock(MixSource("x", Path()), b["start"], 0.0, b["out"]) for b in blocks], RATE)
            assert ours["frames"] == frames, (ours["frames"], frames)
            ours_out, theirs_out = folder / f"ours-{len(blocks)}.wav", folder / f"ffmpeg-{len(blocks)}.wav"
            match = compare(ours_out, theirs_out)
            if len(blocks) <= 200:
                match += f"; {exact_sum(blocks, ours_out)}"
            rows.append((name, len(blocks), frames / RATE, ours, theirs, frames * 2, match))

        print()
        header = (
            f"{'case':<26}{'blocks':>7}{'audio':>8}{'ours wall':>11}{'ffmpeg wall':>13}{'ratio':>7}"
            f"{'ours CPU':>10}{'ffmpeg CPU':>12}{'ratio':>7}{'ours peak RSS (py+enc)':>27}{'ffmpeg RSS':>12}"
            f"{'raw out':>11}{'peak/raw':>9}"
        )
        print(header)
        print("-" * len(header))
        for name, count, seconds, ours, theirs, raw, _match in rows:
            peak = ours["rss"] + ours["encoder_rss"]
            split = f"{mb(peak)} ({mb(ours['rss'])}+{mb(ours['encoder_rss'])})"
            print(
                f"{name:<26}{count:>7}{seconds:>7.0f}s{ours['seconds']:>10.2f}s{theirs['seconds']:>12.2f}s"
                f"{ours['seconds'] / theirs['seconds']:>6.2f}x{ours['cpu']:>9.2f}s{theirs['cpu']:>11.2f}s"
                f"{ours['cpu'] / theirs['cpu']:>6.2f}x{split:>27}{mb(theirs['rss']):>12}{mb(raw):>11}"
                f"{peak / raw:>8.2f}x"
            )
        print()
        for name, *_, match in rows:
            print(f"{name}: {match}")
        one, two = rows[0], rows[1]
        print()
        print(
            f"scaling 2 h / 1 h (target <= 2.2x): ours {two[3]['seconds'] / one[3]['seconds']:.2f}x wall, "
            f"{two[3]['cpu'] / one[3]['cpu']:.2f}x CPU; ffmpeg {two[4]['seconds'] / one[4]['seconds']:.2f}x wall, "
            f"{two[4]['cpu'] / one[4]['cpu']:.2f}x CPU"
        )
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"targets: ours <= 1.0x ffmpeg; peak memory <= 3x raw output; best of {args.runs} interleaved rounds")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
