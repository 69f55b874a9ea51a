"""Speech engines behind one Protocol, and the registry the rest of the code asks.

Concrete engines register here as they land (Piper, espeak-ng, Festival, VITS, Pocket TTS).
"""

from __future__ import annotations

from typing import Any, Protocol


class SpeechEngine(Protocol):
    """What every speech engine offers to the rest of ClonyVoice."""

    name: str
    label: str

    def is_installed(self) -> bool: ...

    def status(self) -> dict[str, Any]: ...


REGISTRY: dict[str, SpeechEngine] = {}


def register(engine: SpeechEngine) -> SpeechEngine:
    REGISTRY[engine.name] = engine
    return engine


def engine_status() -> list[dict[str, Any]]:
    return [{"name": e.name, "label": e.label, "installed": e.is_installed(), **e.status()} for e in REGISTRY.values()]
