"""Speech engines behind one Protocol (see base.py), and the registry the rest of the code asks."""

from __future__ import annotations

from typing import Any

from synthesis.engines.base import (
    Audio,
    Capabilities,
    EngineError,
    ModelNotInstalled,
    PresetVoice,
    SpeechEngine,
    SynthesisRequest,
)

__all__ = [
    "Audio",
    "Capabilities",
    "EngineError",
    "ModelNotInstalled",
    "PresetVoice",
    "SpeechEngine",
    "SynthesisRequest",
    "engine_status",
    "get_engine",
    "registry",
]

_REGISTRY: dict[str, SpeechEngine] = {}


def register(engine: SpeechEngine) -> SpeechEngine:
    _REGISTRY[engine.name] = engine
    return engine


def registry() -> dict[str, SpeechEngine]:
    """Every known engine, installed or not. Engine modules register themselves on import."""
    from synthesis.engines import discover

    discover.load_all()
    return dict(_REGISTRY)


def get_engine(name: str) -> SpeechEngine:
    engines = registry()
    if name not in engines:
        raise EngineError(f"Unknown speech engine {name!r}.")
    return engines[name]


def engine_status() -> list[dict[str, Any]]:
    return [
        {
            "name": engine.name,
            "label": engine.label,
            "license": engine.license,
            "installed": engine.is_installed(),
            "capabilities": vars(engine.capabilities),
            **engine.status(),
        }
        for engine in registry().values()
    ]
