"""Typed helpers for reading settings from the environment; used by settings.py only.

A value that does not parse stops the start with ImproperlyConfigured naming the variable, instead of being
taken for the default or failing later with a bare ValueError.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    word = value.strip().lower()
    if word not in TRUE | FALSE:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(TRUE | FALSE))}; it is {value!r}.")
    return word in TRUE


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; it is {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; it is {number}.")
    return number


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; it is {value!r}.")
    return value


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
