"""Encoding a stream of sentences on the fly: WAV and 24 kHz PCM directly, everything else through one
ffmpeg process per stream fed sentence by sentence (its encoder and resampler keep their state across
sentence seams, so the stream carries the same audio as the whole file)."""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections.abc import AsyncIterator

import numpy as np

from clonyvoice.audio import FFMPEG, FORMATS, to_pcm16
from synthesis.streaming.relay import Sentence

PCM_RATE = 24_000
READ_BYTES = 64 * 1024
# A WAV header cannot know the length of a stream: both sizes say "as long as it goes", as OpenAI's do.
UNKNOWN_SIZE = 0xFFFFFFFF


def wav_header(sample_rate: int) -> bytes:
    """A 16-bit mono WAV header for a stream of unknown length."""
    fmt = struct.pack("<HHIIHH", 1, 1, sample_rate, sample_rate * 2, 2, 16)
    return (
        b"RIFF"
        + struct.pack("<I", UNKNOWN_SIZE)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", UNKNOWN_SIZE)
    )


def pcm_s16(samples: np.ndarray) -> bytes:
    """Float to 16-bit the way ffmpeg's converter rounds, so a stream equals the file ffmpeg writes."""
    return np.clip(np.rint(samples * 32768.0), -32768, 32767).astype("<i2").tobytes()


async def encoded(sentences: AsyncIterator[Sentence], fmt: str) -> AsyncIterator[bytes]:
    """The bytes of `fmt` as the sentences come; nothing before the first sentence is ready."""
    first = await anext(sentences, None)
    if first is None:
        return
    if fmt == "wav":
        yield wav_header(first.sample_rate) + to_pcm16(first.samples)
        async for sentence in sentences:
            yield to_pcm16(sentence.samples)
    elif fmt == "pcm" and first.sample_rate == PCM_RATE:
        yield pcm_s16(first.samples)
        async for sentence in sentences:
            yield pcm_s16(sentence.samples)
    else:
        async for data in _ffmpeg(first, sentences, fmt):
            yield data


async def _ffmpeg(first: Sentence, rest: AsyncIterator[Sentence], fmt: str) -> AsyncIterator[bytes]:
    args = [*FFMPEG, "-f", "f32le", "-ar", str(first.sample_rate), "-ac", "1", "-i", "pipe:0"]
    args += [*FORMATS[fmt]["args"], "-flush_packets", "1", "pipe:1"]
    process = await asyncio.create_subprocess_exec(
        *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None

    async def feed() -> None:
        stdin = process.stdin
        try:
            stdin.write(first.samples.astype("<f4").tobytes())
            await stdin.drain()
            async for sentence in rest:
                stdin.write(sentence.samples.astype("<f4").tobytes())
                await stdin.drain()
        finally:
            # Also when the job ends early: ffmpeg then finishes what it has, and the reason is raised below.
            stdin.close()

    feeder = asyncio.create_task(feed())
    errors = asyncio.create_task(process.stderr.read())
    try:
        while data := await process.stdout.read(READ_BYTES):
            yield data
        await feeder  # a failed or cancelled job ends the stream here, with its reason
        if await process.wait() != 0:
            raise RuntimeError(f"ffmpeg failed: {(await errors).decode(errors='replace')[-500:]}")
    finally:
        for task in (feeder, errors):
            task.cancel()
        if process.returncode is None:
            process.kill()
        with contextlib.suppress(ProcessLookupError, asyncio.CancelledError):
            await process.wait()
        for task in (feeder, errors):
            with contextlib.suppress(BaseException):
                await task
