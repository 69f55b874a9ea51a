"""Models on disk: sizes, the Hugging Face hub cache, which packages are importable, one row per model.

Shared by the speech engines, Whisper (transcription) and translation, for `models list|pull|check` and
/api/system/status. Nothing here imports numpy or huggingface_hub: the web process uses it to list models.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

JOIN_BLOCK = 8 * 1024 * 1024


def join_parts(parts: Sequence[Path], out: BinaryIO) -> tuple[str, int]:
    """Write the files `parts` one after the other into `out`: a model split across packages. Returns the
    sha256 (hex) and the size of what was written."""
    digest, size = hashlib.sha256(), 0
    for part in parts:
        with open(part, "rb") as handle:
            while block := handle.read(JOIN_BLOCK):
                digest.update(block)
                out.write(block)
                size += len(block)
    return digest.hexdigest(), size


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
