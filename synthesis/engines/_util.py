"""Small helpers shared by the engine modules: subprocesses and WAV parsing.

Nothing here imports numpy at module level: the web process imports engine modules to list voices.
Model-store helpers (sizes on disk, the hub cache, one row per model) are in clonyvoice.downloads.
"""

from __future__ import annotations

import struct
import subprocess
from typing import TYPE_CHECKING

from synthesis.engines.base import EngineError

if TYPE_CHECKING:
    import numpy as np

DEFAULT_TIMEOUT = 120.0


def run(
    argv: list[str], *, input_bytes: bytes | None = None, timeout: float = DEFAULT_TIMEOUT
) -> subprocess.CompletedProcess[bytes]:
    """Run a binary (never through a shell), capturing its output; any failure becomes an EngineError."""
    try:
        done = subprocess.run(argv, input=input_bytes, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError as exc:
        raise EngineError(f"{argv[0]} is not installed.") from exc
    except subprocess.TimeoutExpired as exc:
        raise EngineError(f"{argv[0]} did not finish within {timeout:.0f} s.") from exc
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace").strip()
        raise EngineError(f"{argv[0]} failed (exit {done.returncode}): {stderr or 'no error output'}")
    return done


def parse_wav(data: bytes) -> tuple[np.ndarray, int]:
    """Decode a PCM WAV into mono float32 samples in [-1, 1].

    Parsed by hand because programs that write to a pipe (espeak-ng --stdout) cannot seek back to fill in the
    chunk sizes, and the stdlib `wave` module trusts them.
    """

    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise EngineError("The engine did not produce a WAV file.")
    pos = 12
    channels = sample_rate = bits = fmt_tag = 0
    while pos + 8 <= len(data):
        chunk_id, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = pos + 8
        if chunk_id == b"fmt ":
            fmt_tag, channels, sample_rate = struct.unpack("<HHI", data[body : body + 8])
            bits = struct.unpack("<H", data[body + 14 : body + 16])[0]
        elif chunk_id == b"data":
            if not sample_rate:
                raise EngineError("WAV data before its format chunk.")
            payload = data[body : min(len(data), body + size)]
            return _pcm_to_float(payload, fmt_tag, channels, bits), sample_rate
        pos = body + size + (size & 1)
    raise EngineError("The engine's WAV output has no audio data.")


def _pcm_to_float(payload: bytes, fmt_tag: int, channels: int, bits: int) -> np.ndarray:
    import numpy as np

    if fmt_tag == 3 and bits == 32:
        samples = np.frombuffer(payload[: len(payload) // 4 * 4], dtype="<f4").astype(np.float32)
    elif bits == 16:
        samples = np.frombuffer(payload[: len(payload) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
    elif bits == 8:
        samples = (np.frombuffer(payload, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif bits == 32:
        samples = np.frombuffer(payload[: len(payload) // 4 * 4], dtype="<i4").astype(np.float32) / 2147483648.0
    else:
        raise EngineError(f"Unsupported WAV sample format ({bits} bits, format {fmt_tag}).")
    if channels > 1:
        samples = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1)
    return np.clip(samples, -1.0, 1.0).astype(np.float32)
