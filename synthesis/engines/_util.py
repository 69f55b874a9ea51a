"""Small helpers shared by the engine modules: subprocesses, WAV parsing, sizes on disk.

Nothing here imports numpy at module level: the web process imports engine modules to list voices.
"""

from __future__ import annotations

import importlib.util
import os
import struct
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def disk_size(path: Path) -> int:
    """Bytes used by a file or a folder tree (symlinks not followed)."""
    try:
        if path.is_file():
            return path.stat().st_size
    except OSError:
        return 0
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def hub_cache_dir() -> Path:
    """The Hugging Face hub cache, resolved the way huggingface_hub does, without importing it."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "huggingface" / "hub"


def hub_snapshot(repo_id: str) -> Path | None:
    """The folder of a cached hub model's current snapshot (refs/main, else the newest), if any."""
    repo_dir = hub_cache_dir() / ("models--" + repo_id.replace("/", "--"))
    snapshots = repo_dir / "snapshots"
    if not snapshots.is_dir():
        return None
    try:
        ref = (repo_dir / "refs" / "main").read_text().strip()
    except OSError:
        ref = ""
    if ref and (snapshots / ref).is_dir():
        return snapshots / ref
    candidates = sorted((p for p in snapshots.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
    return candidates[-1] if candidates else None


def modules_present(*names: str) -> bool:
    """Whether every module can be imported, without importing any of them."""
    return all(importlib.util.find_spec(name) is not None for name in names)


def model_row(
    engine: str,
    name: str,
    *,
    installed: bool,
    source: str,
    size_bytes: int = 0,
    license: str = "",
    path: str = "",
) -> dict[str, Any]:
    """One row of `models list` and of an engine's status."""
    return {
        "name": name,
        "engine": engine,
        "installed": installed,
        "size_bytes": size_bytes,
        "license": license,
        "path": path,
        "source": source,
    }
