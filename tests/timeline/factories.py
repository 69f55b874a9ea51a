"""Finished generations (rows + real WAV takes) and small media files for the timeline tests."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
from django.core.files.storage import default_storage

from clonyvoice.audio import Audio, write_wav
from clonyvoice.models import Job
from synthesis.models import Chunk, Generation, Take


def tone(frames: int, rate: int, freq: float, amplitude: float = 0.5) -> np.ndarray:
    return (amplitude * np.sin(2 * np.pi * freq * np.arange(frames) / rate)).astype(np.float32)


def make_generation(
    owner,
    *,
    frames: tuple[int, ...] = (24_000, 12_000, 18_000),
    rate: int = 24_000,
    mode: str = Generation.Mode.CHUNKED,
    title: str = "A finished generation",
    ready: bool = True,
) -> Generation:
    """A generation as the gpu worker leaves it: a succeeded job, chunks, one WAV take each (a tone)."""
    job = Job.objects.create(
        owner=owner, kind=f"generation.{mode}", queue="gpu", status=Job.Status.SUCCEEDED if ready else "running"
    )
    generation = Generation.objects.create(
        job=job, owner=owner, mode=mode, title=title, text=title, settings={"format": "wav"}, output_format="wav"
    )
    for index, count in enumerate(frames):
        chunk = Chunk.objects.create(generation=generation, index=index, text=f"Sentence number {index + 1}.")
        if not ready and index == len(frames) - 1:
            continue
        take = Take(
            chunk=chunk,
            number=1,
            text=chunk.text,
            sample_rate=rate,
            duration=count / rate,
            synthesis_seconds=0.01,
        )
        name = take.audio.field.generate_filename(take, "take.wav")
        write_wav(Path(default_storage.path(name)), Audio(tone(count, rate, 220.0 * (index + 1)), rate))
        take.audio.name = name
        take.save()
        chunk.selected_take = take
        chunk.status = Chunk.Status.DONE
        chunk.save()
    return generation


def ffmpeg_make(path: Path, *args: str) -> Path:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args, str(path)], check=True)
    return path


def stereo_mp3(folder: Path, seconds: float = 2.0) -> Path:
    return ffmpeg_make(
        folder / "music.mp3",
        *["-f", "lavfi", "-i", f"sine=frequency=330:sample_rate=44100:duration={seconds}"],
        *["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=44100:duration={seconds}"],
        *["-filter_complex", "[0:a][1:a]join=inputs=2:channel_layout=stereo", "-c:a", "libmp3lame", "-b:a", "128k"],
    )


def mono_wav_16k(folder: Path, seconds: float = 1.5) -> Path:
    return ffmpeg_make(
        folder / "ambience.wav",
        *["-f", "lavfi", "-i", f"sine=frequency=150:sample_rate=16000:duration={seconds}", "-c:a", "pcm_s16le"],
    )


def png(folder: Path, size: str = "64x48") -> Path:
    return ffmpeg_make(folder / "still.png", "-f", "lavfi", "-i", f"color=c=blue:s={size}", "-frames:v", "1")


def mp4_with_audio(folder: Path, seconds: float = 1.0) -> Path:
    return ffmpeg_make(
        folder / "clip.mp4",
        *["-f", "lavfi", "-i", f"testsrc=s=160x120:r=25:d={seconds}"],
        *["-f", "lavfi", "-i", f"sine=frequency=500:sample_rate=48000:duration={seconds}"],
        *["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"],
    )


def huge_png(folder: Path, side: int = 20_000) -> Path:
    """A real 1-bit PNG of side x side pixels: a few kilobytes compressed, 50 MB of pixels decoded."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path = folder / "huge.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b""))
    return path


def read_wav_frames(path: Path) -> tuple[np.ndarray, int]:
    """(frames x channels float array, rate) of a 16-bit WAV."""
    import wave

    with wave.open(str(path), "rb") as source:
        channels, rate = source.getnchannels(), source.getframerate()
        raw = source.readframes(source.getnframes())
    return np.frombuffer(raw, dtype="<i2").astype(np.float32).reshape(-1, channels) / 32768.0, rate
