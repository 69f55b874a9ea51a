"""Shared audio I/O: float arrays in, files out. ffmpeg does every format and rate conversion.

ffmpeg always runs with an argument list, a pinned input format, and only the file protocol, so
nothing in a request can reach another protocol or be read as a different container.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import wave
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FORMATS = {
    "wav": {"args": ["-c:a", "pcm_s16le", "-f", "wav"], "content_type": "audio/wav"},
    "mp3": {"args": ["-c:a", "libmp3lame", "-b:a", "192k", "-f", "mp3"], "content_type": "audio/mpeg"},
    "ogg": {"args": ["-c:a", "libvorbis", "-q:a", "5", "-f", "ogg"], "content_type": "audio/ogg"},
    "flac": {"args": ["-c:a", "flac", "-f", "flac"], "content_type": "audio/flac"},
    "opus": {"args": ["-c:a", "libopus", "-b:a", "64k", "-ar", "48000", "-f", "ogg"], "content_type": "audio/ogg"},
    "aac": {"args": ["-c:a", "aac", "-b:a", "160k", "-f", "adts"], "content_type": "audio/aac"},
    # Raw 16-bit little-endian mono at 24 kHz, as OpenAI's speech API returns for "pcm".
    "pcm": {"args": ["-c:a", "pcm_s16le", "-ar", "24000", "-f", "s16le"], "content_type": "audio/pcm"},
}
FFMPEG = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-protocol_whitelist", "file,pipe"]
EDGE_FADE_SECONDS = 0.005
LOUDNESS_TARGET_LUFS = -16.0


@dataclass
class Audio:
    """Mono float32 samples in [-1, 1]."""

    samples: np.ndarray
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate if self.sample_rate else 0.0


class AudioError(Exception):
    """ffmpeg or a file could not do what was asked."""


def _run(args: list[str], *, stdin: bytes | None = None, timeout: float = 600) -> bytes:
    try:
        done = subprocess.run(args, input=stdin, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise AudioError(f"{args[0]} took longer than {timeout:.0f}s") from exc
    if done.returncode != 0:
        raise AudioError(done.stderr.decode(errors="replace").strip()[-2000:] or f"{args[0]} failed")
    return done.stdout


def to_pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def wav_bytes(audio: Audio) -> bytes:
    with tempfile.SpooledTemporaryFile() as buffer:
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(audio.sample_rate)
            out.writeframes(to_pcm16(audio.samples))
        buffer.seek(0)
        return buffer.read()


def write_wav(path: Path, audio: Audio) -> None:
    """Write 16-bit mono WAV atomically: a temp file in the same folder, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(wav_bytes(audio))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_wav(path: Path) -> Audio:
    """Read a WAV written by ClonyVoice (or any PCM WAV) as mono float32."""
    with wave.open(str(path), "rb") as source:
        width, channels, rate = source.getsampwidth(), source.getnchannels(), source.getframerate()
        raw = source.readframes(source.getnframes())
    if width == 2:
        samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 4:
        samples = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
    elif width == 1:
        samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    else:
        raise AudioError(f"Unsupported WAV sample width: {width} bytes")
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    return Audio(samples=samples.astype(np.float32), sample_rate=rate)


def from_wav_bytes(data: bytes) -> Audio:
    with tempfile.NamedTemporaryFile(suffix=".wav") as handle:
        handle.write(data)
        handle.flush()
        return read_wav(Path(handle.name))


def _filter(audio: Audio, filters: str, *, output_rate: int | None = None) -> Audio:
    """Run float samples through an ffmpeg audio filter chain."""
    args = [*FFMPEG, "-f", "f32le", "-ar", str(audio.sample_rate), "-ac", "1", "-i", "pipe:0", "-af", filters]
    args += ["-f", "f32le", "-ac", "1", "-ar", str(output_rate or audio.sample_rate), "pipe:1"]
    out = _run(args, stdin=audio.samples.astype("<f4").tobytes())
    return Audio(samples=np.frombuffer(out, dtype="<f4").copy(), sample_rate=output_rate or audio.sample_rate)


def resample(audio: Audio, rate: int) -> Audio:
    if audio.sample_rate == rate:
        return audio
    return _filter(audio, f"aresample={rate}:resampler=soxr", output_rate=rate)


def change_speed_and_pitch(audio: Audio, *, speed: float = 1.0, pitch: float = 0.0) -> Audio:
    """Time-stretch and pitch-shift (semitones) with Rubber Band, keeping the other one unchanged."""
    if abs(speed - 1.0) < 1e-3 and abs(pitch) < 1e-3:
        return audio
    ratio = 2.0 ** (pitch / 12.0)
    return _filter(audio, f"rubberband=tempo={speed:.4f}:pitch={ratio:.6f}:formant=preserved")


def fade_edges(samples: np.ndarray, sample_rate: int, seconds: float = EDGE_FADE_SECONDS) -> np.ndarray:
    """A few milliseconds of fade so a chunk never starts or ends on a jump (a click)."""
    n = min(len(samples) // 2, int(sample_rate * seconds))
    if n <= 0:
        return samples
    out = samples.astype(np.float32, copy=True)
    ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
    out[:n] *= ramp
    out[-n:] *= ramp[::-1]
    return out


def join(parts: Iterable[Audio], *, gap: float = 0.0, crossfade: float = 0.0, sample_rate: int | None = None) -> Audio:
    """Concatenate chunks at one rate with a silent gap or an equal-power crossfade between them."""
    parts = list(parts)
    if not parts:
        raise AudioError("Nothing to join.")
    rate = sample_rate or max(p.sample_rate for p in parts)
    pieces = [fade_edges(resample(p, rate).samples, rate) for p in parts]
    gap_samples = np.zeros(round(gap * rate), dtype=np.float32)
    fade = round(crossfade * rate)
    out = pieces[0]
    for piece in pieces[1:]:
        n = min(fade, len(out), len(piece))
        if n > 0 and not len(gap_samples):
            t = np.linspace(0.0, np.pi / 2, n, dtype=np.float32)
            mixed = out[-n:] * np.cos(t) + piece[:n] * np.sin(t)
            out = np.concatenate([out[:-n], mixed, piece[n:]])
        else:
            out = np.concatenate([out, gap_samples, piece])
    return Audio(samples=out.astype(np.float32), sample_rate=rate)


def encode(audio: Audio, path: Path, fmt: str, *, normalize: bool = False) -> None:
    """Write `audio` as `fmt` to `path` atomically; optional EBU R128 loudness normalization."""
    if fmt not in FORMATS:
        raise AudioError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    if fmt == "wav" and not normalize:
        # 16-bit PCM WAV is what ffmpeg would write; skipping its start-up matters for short jobs.
        write_wav(path, audio)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=f".{fmt}.part")
    os.close(fd)
    args = [*FFMPEG, "-f", "f32le", "-ar", str(audio.sample_rate), "-ac", "1", "-i", "pipe:0"]
    if normalize:
        args += ["-af", f"loudnorm=I={LOUDNESS_TARGET_LUFS}:TP=-1.5:LRA=11"]
        # loudnorm resamples to 192 kHz internally; come back unless the format pins its own rate.
        if "-ar" not in FORMATS[fmt]["args"]:
            args += ["-ar", str(audio.sample_rate)]
    args += [*FORMATS[fmt]["args"], f"file:{tmp}"]
    try:
        _run(args, stdin=audio.samples.astype("<f4").tobytes())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def content_type(fmt: str) -> str:
    return FORMATS.get(fmt, {"content_type": "application/octet-stream"})["content_type"]
