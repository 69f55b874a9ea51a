"""Encoding a stream of sentences on the fly: WAV and 24 kHz PCM directly, everything else through one
ffmpeg process per stream fed sentence by sentence (its encoder and resampler keep their state across
sentence seams, so the stream carries the same audio as the whole file)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
from collections.abc import AsyncIterator, Callable

import numpy as np

from clonyvoice.audio import FFMPEG, FORMATS, to_pcm16
from synthesis.streaming.relay import Sentence

logger = logging.getLogger(__name__)

PCM_RATE = 24_000
REAP_SECONDS = 5.0
READ_BYTES = 64 * 1024
# A WAV header cannot know the length of a stream: both sizes say "as long as it goes", as OpenAI's do.
UNKNOWN_SIZE = 0xFFFFFFFF
PCM_INT, IEEE_FLOAT = 1, 3


def wav_header(sample_rate: int, *, float32: bool = False) -> bytes:
    """A mono WAV header for a stream of unknown length: 16-bit PCM, or 32-bit float."""
    width = 4 if float32 else 2
    fmt = struct.pack(
        "<HHIIHH", IEEE_FLOAT if float32 else PCM_INT, 1, sample_rate, sample_rate * width, width, width * 8
    )
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
    if fmt == "wav":
        async for data in _direct(sentences, to_pcm16, header=True):
            yield data
        return
    # Started now, ffmpeg's start-up (a good part of the first byte's wait on a busy machine) overlaps the
    # engine's first sentence; its input is a WAV stream, whose header brings the rate once it is known. The
    # header says all there is to know: without probing, ffmpeg encodes a short first piece at once instead of
    # waiting for more audio (here, more than 1.5 s) to probe.
    process = await asyncio.create_subprocess_exec(
        *FFMPEG,
        *("-probesize", "32", "-analyzeduration", "0", "-f", "wav", "-i", "pipe:0"),
        *(*FORMATS[fmt]["args"], "-flush_packets", "1", "pipe:1"),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        first = await anext(sentences, None)
        if first is None:
            return
        if fmt == "pcm" and first.sample_rate == PCM_RATE:
            _kill(process)  # already at OpenAI's rate: nothing for ffmpeg to do
            async for data in _direct(_chain(first, sentences), pcm_s16, header=False):
                yield data
        else:
            async for data in _through(process, first, sentences):
                yield data
    finally:
        await _reap(process)


async def _reap(process: asyncio.subprocess.Process) -> None:
    """Kill ffmpeg if it still runs, and wait for it. Bounded, and a cancellation goes on up: this runs while
    the server cancels a response whose client left, and a wait without end would hold the request for ever."""
    _kill(process)
    try:
        await asyncio.wait_for(process.wait(), REAP_SECONDS)
    except TimeoutError:
        logger.warning("ffmpeg (pid %s) did not end within %s s of its kill", process.pid, REAP_SECONDS)


def _kill(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.kill()


async def _chain(first: Sentence, rest: AsyncIterator[Sentence]) -> AsyncIterator[Sentence]:
    yield first
    async for sentence in rest:
        yield sentence


async def _direct(
    sentences: AsyncIterator[Sentence], convert: Callable[[np.ndarray], bytes], *, header: bool
) -> AsyncIterator[bytes]:
    async for sentence in sentences:
        data = convert(sentence.samples)
        if header:
            data, header = wav_header(sentence.sample_rate) + data, False
        yield data


async def _through(
    process: asyncio.subprocess.Process, first: Sentence, rest: AsyncIterator[Sentence]
) -> AsyncIterator[bytes]:
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    stdin = process.stdin

    async def feed() -> None:
        try:
            stdin.write(wav_header(first.sample_rate, float32=True) + first.samples.astype("<f4").tobytes())
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
        await feeder
        if await process.wait() != 0:
            raise RuntimeError(f"ffmpeg failed: {(await errors).decode(errors='replace')[-500:]}")
    finally:
        # A reader that stops early leaves ffmpeg blocked on its full output pipe, and the feeder on its input:
        # ffmpeg goes first, so neither task can wait on it.
        _kill(process)
        for task in (feeder, errors):
            task.cancel()
        done, pending = await asyncio.wait({feeder, errors}, timeout=REAP_SECONDS)
        for task in done:
            if not task.cancelled():
                task.exception()  # retrieved: the reason, if any, was raised above or the stream was cut short
        if pending:
            logger.warning("the stream's ffmpeg tasks did not end within %s s", REAP_SECONDS)
