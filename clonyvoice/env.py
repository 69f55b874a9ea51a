"""Small helpers for reading settings from the environment."""

from __future__ import annotations

import os
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    """The folder that holds the database, media and the embedded Redis socket."""
    base = Path(__file__).resolve().parent.parent
    path = Path(env_str("CLONYVOICE_DATA_DIR", str(base / "data"))).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def embedded_redis_url(directory: Path) -> str:
    return f"unix://{directory / 'redis.sock'}"
