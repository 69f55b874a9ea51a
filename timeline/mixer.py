"""The streaming mixer: blocks of audio laid out in time, summed window by window into one encoder.

The timeline is cut into windows (10 s by default). For each window only the blocks that overlap
it are read, each with its trim, gain and fades, and added into one float buffer that goes straight
to ffmpeg's stdin; memory is bounded by the window, never by the timeline's length.

Sources are read without decoding when they are 16-bit PCM WAV at the output rate with one or two
channels (every take the engines write): a seek and a read. Anything else (another rate, another
codec, a video's audio) is decoded once per render by ffmpeg to raw float at the output rate and
channel count in a scratch folder, then read the same way.

Nothing here knows Django: the render service turns rows into `MixBlock`s.
"""

from __future__ import annotations

import hashlib
import math
import os
import struct
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from clonyvoice.audio import FFMPEG, FORMATS, AudioError

WINDOW_SECONDS = 10.0
DECODE_TIMEOUT = 60 * 60


def frames_at(seconds: float, rate: int) -> int:
    """Frames needed to hold `seconds` at `rate`, rounding up (3.2 s at 24 kHz is 76,800, not 76,801)."""
    return max(0, math.ceil(round(seconds * rate, 6)))


def mix_frames(blocks: Sequence[MixBlock], rate: int) -> int:
    """The exact length of the mix: ceil(latest block end * rate)."""
    return max((frames_at(b.start + b.out_point - b.in_point, rate) for b in blocks), default=0)


@dataclass(frozen=True)
class MixSource:
    """A file blocks read from. `key` names it once per render (a source used by many blocks decodes once)."""

    key: str
    path: Path
    channels: int = 1
    container: str = ""


@dataclass(frozen=True)
class MixBlock:
    """One audible block: `out_point - in_point` seconds of `source` placed at `start`, gain linear."""

    source: MixSource
    start: float
    in_point: float
    out_point: float
    gain: float = 1.0
    fade_in: float = 0.0
    fade_out: float = 0.0


@dataclass
class _Plan:
    """A block in frames at the output rate: [begin, end) on the timeline, reading from `offset`."""

    block: MixBlock
    begin: int
    end: int
    offset: int
    fade_in: int
    fade_out: int

    @property
    def length(self) -> int:
        return self.end - self.begin


def _plan(block: MixBlock, rate: int) -> _Plan:
    begin = round(block.start * rate)
    end = max(begin, frames_at(block.start + block.out_point - block.in_point, rate))
    length = end - begin
    fade_in, fade_out = round(block.fade_in * rate), round(block.fade_out * rate)
    if fade_in + fade_out > length:  # fades longer than the block share it in proportion
        scale = length / (fade_in + fade_out)
        fade_in, fade_out = int(fade_in * scale), int(fade_out * scale)
    return _Plan(block, begin, end, round(block.in_point * rate), fade_in, fade_out)


class _Reader:
    """Reads frames of one source at the output rate as float32 (n, channels), zero past its end."""

    def __init__(self, handle: BinaryIO, *, data_offset: int, frames: int, channels: int, dtype: str) -> None:
        self.handle = handle
        self.data_offset = data_offset
        self.frames = frames
        self.channels = channels
        self.dtype = np.dtype(dtype)
        self.scale = 1.0 / 32768.0 if self.dtype.kind == "i" else 1.0

    def read(self, offset: int, count: int) -> tuple[np.ndarray, float]:
        """Frames [offset, offset+count) and the scale that turns them into [-1, 1] floats."""
        available = max(0, min(count, self.frames - offset))
        out = np.zeros((count, self.channels), dtype=self.dtype)
        if available:
            self.handle.seek(self.data_offset + offset * self.channels * self.dtype.itemsize)
            got = np.fromfile(self.handle, dtype=self.dtype, count=available * self.channels)
            out[: len(got) // self.channels] = got[: len(got) // self.channels * self.channels].reshape(
                -1, self.channels
            )
        return out, self.scale

    def close(self) -> None:
        self.handle.close()


def _wav_layout(path: Path) -> tuple[int, int, int, int, int] | None:
    """(rate, channels, sample width, frames, data offset) of a PCM WAV, or None when it is not one."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            fmt: tuple[int, int, int, int] | None = None
            while True:
                chunk = handle.read(8)
                if len(chunk) < 8:
                    return None
                size = int.from_bytes(chunk[4:], "little")
                if chunk[:4] == b"fmt ":
                    body = handle.read(size + (size & 1))
                    tag, channels, rate = struct.unpack_from("<HHI", body)
                    bits = struct.unpack_from("<H", body, 14)[0]
                    fmt = (tag, channels, rate, bits)
                elif chunk[:4] == b"data":
                    if fmt is None or fmt[0] not in (1, 0xFFFE) or fmt[1] < 1 or fmt[3] % 8:
                        return None
                    tag, channels, rate, bits = fmt
                    offset = handle.tell()
                    available = path.stat().st_size - offset
                    data = available if size in (0, 0xFFFFFFFF) else min(size, available)
                    return rate, channels, bits // 8, data // (channels * bits // 8), offset
                else:
                    handle.seek(size + (size & 1), os.SEEK_CUR)
    except (OSError, struct.error):
        return None


@dataclass
class SourceCache:
    """Opens readers for sources at one rate and channel count; decodes what cannot be read directly."""

    rate: int
    channels: int
    scratch: Path
    decoded: dict[str, tuple[Path, int]] = field(default_factory=dict)
    open_readers: dict[str, _Reader] = field(default_factory=dict)

    def reader(self, source: MixSource) -> _Reader:
        reader = self.open_readers.get(source.key)
        if reader is None:
            reader = self._open(source)
            self.open_readers[source.key] = reader
        return reader

    def release(self, keys: set[str]) -> None:
        for key in keys:
            reader = self.open_readers.pop(key, None)
            if reader:
                reader.close()

    def close(self) -> None:
        self.release(set(self.open_readers))

    def _open(self, source: MixSource) -> _Reader:
        layout = _wav_layout(source.path) if source.path.suffix.lower() == ".wav" else None
        if layout is not None:
            rate, channels, width, frames, offset = layout
            if rate == self.rate and width == 2 and channels in (1, 2):
                return _Reader(
                    open(source.path, "rb"), data_offset=offset, frames=frames, channels=channels, dtype="<i2"
                )
        path, frames = self._decode(source)
        return _Reader(open(path, "rb"), data_offset=0, frames=frames, channels=self.channels, dtype="<f4")

    def _decode(self, source: MixSource) -> tuple[Path, int]:
        """ffmpeg decodes the source's audio once to raw float at the output rate and channel count."""
        if source.key in self.decoded:
            return self.decoded[source.key]
        name = hashlib.sha1(source.key.encode()).hexdigest()[:16] + ".f32"
        target = self.scratch / name
        args = [*FFMPEG]
        if source.container:
            args += ["-f", source.container.split(",")[0]]
        args += ["-i", f"file:{source.path}", "-vn", "-map", "0:a:0"]
        args += ["-ac", str(self.channels), "-ar", str(self.rate), "-c:a", "pcm_f32le", "-f", "f32le", f"file:{target}"]
        try:
            done = subprocess.run(args, capture_output=True, timeout=DECODE_TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise AudioError(f"Decoding {source.path.name} took too long.") from exc
        if done.returncode != 0:
            target.unlink(missing_ok=True)
            raise AudioError(f"{source.path.name} could not be decoded: {done.stderr.decode(errors='replace')[-500:]}")
        frames = target.stat().st_size // (4 * self.channels)
        self.decoded[source.key] = (target, frames)
        return target, frames


def _envelope(plan: _Plan, lo: int, hi: int) -> np.ndarray | None:
    """Fade gains for block-relative frames [lo, hi), or None where both fades are out of reach."""
    if not (plan.fade_in and lo < plan.fade_in) and not (plan.fade_out and hi > plan.length - plan.fade_out):
        return None
    index = np.arange(lo, hi, dtype=np.float32)
    env = np.ones(hi - lo, dtype=np.float32)
    if plan.fade_in:
        env *= np.minimum(1.0, index / plan.fade_in)
    if plan.fade_out:
        env *= np.minimum(1.0, (plan.length - index) / plan.fade_out)
    return env


def mix_windows(
    blocks: Sequence[MixBlock],
    *,
    rate: int,
    channels: int,
    scratch: Path,
    window_seconds: float = WINDOW_SECONDS,
) -> Iterator[np.ndarray]:
    """Yield the mix as consecutive float32 (frames, channels) windows; together exactly mix_frames long."""
    plans = sorted((p for p in (_plan(b, rate) for b in blocks) if p.length > 0), key=lambda p: p.begin)
    total = max((p.end for p in plans), default=0)
    window = max(1, int(window_seconds * rate))
    cache = SourceCache(rate=rate, channels=channels, scratch=scratch)
    active: list[_Plan] = []
    upcoming = 0
    try:
        for w0 in range(0, total, window):
            w1 = min(w0 + window, total)
            buffer = np.zeros((w1 - w0, channels), dtype=np.float32)
            while upcoming < len(plans) and plans[upcoming].begin < w1:
                active.append(plans[upcoming])
                upcoming += 1
            for plan in active:
                lo, hi = max(w0, plan.begin), min(w1, plan.end)
                if hi <= lo:
                    continue
                frames, scale = cache.reader(plan.block.source).read(plan.offset + lo - plan.begin, hi - lo)
                gain = plan.block.gain * scale
                env = _envelope(plan, lo - plan.begin, hi - plan.begin)
                target = buffer[lo - w0 : hi - w0]
                if frames.shape[1] != channels:
                    frames = frames.mean(axis=1, keepdims=True) if channels == 1 else frames  # broadcasts 1 → 2
                if env is None:
                    target += frames * np.float32(gain)
                else:
                    target += frames * (env * np.float32(gain))[:, None]
            still = [p for p in active if p.end > w1]
            done_keys = {p.block.source.key for p in active} - {p.block.source.key for p in still}
            cache.release(done_keys)
            active = still
            yield buffer
    finally:
        cache.close()


def encode_windows(
    windows: Iterator[np.ndarray],
    *,
    path: Path,
    fmt: str,
    rate: int,
    channels: int,
    on_window: Callable[[int], None] | None = None,
) -> int:
    """Pipe float windows into ffmpeg, which writes `fmt` to `path` atomically. Returns frames written.

    `on_window(frames_so_far)` runs after each window and may raise (a cancel) to stop: ffmpeg is
    killed and the partial file removed.
    """
    if fmt not in FORMATS:
        raise AudioError(f"Unknown format {fmt!r}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named after the target: a redelivered job writes over what its killed attempt left.
    tmp = path.with_name(path.name + ".part")
    args = [*FFMPEG, "-f", "f32le", "-ar", str(rate), "-ac", str(channels), "-i", "pipe:0"]
    args += [*FORMATS[fmt]["args"], f"file:{tmp}"]
    written = 0
    with tempfile.TemporaryFile() as errors:
        # stderr to a file: a pipe nobody reads could fill up and stall ffmpeg while we write stdin.
        process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            for buffer in windows:
                try:
                    process.stdin.write(memoryview(np.ascontiguousarray(buffer, dtype="<f4")).cast("B"))
                except BrokenPipeError:
                    break
                written += len(buffer)
                if on_window:
                    on_window(written)
            process.stdin.close()
            code = process.wait(timeout=DECODE_TIMEOUT)
            if code != 0:
                errors.seek(0)
                raise AudioError(errors.read().decode(errors="replace").strip()[-2000:] or "ffmpeg failed")
            os.replace(tmp, path)
        except BaseException:
            process.kill()
            process.wait()
            tmp.unlink(missing_ok=True)
            raise
    return written


def render_audio(
    blocks: Sequence[MixBlock],
    *,
    path: Path,
    fmt: str,
    rate: int,
    channels: int,
    scratch: Path,
    window_seconds: float = WINDOW_SECONDS,
    on_window: Callable[[int, int], None] | None = None,
) -> int:
    """Mix `blocks` into one `fmt` file at `path`; the length is exactly mix_frames(blocks, rate)."""
    total = mix_frames(blocks, rate)
    if total == 0:
        raise AudioError("Nothing to mix.")
    windows = mix_windows(blocks, rate=rate, channels=channels, scratch=scratch, window_seconds=window_seconds)
    return encode_windows(
        windows,
        path=path,
        fmt=fmt,
        rate=rate,
        channels=channels,
        on_window=(lambda done: on_window(done, total)) if on_window else None,
    )
