"""The contract between ClonyVoice and a speech engine.

Everything outside `synthesis/engines/` talks to engines only through these types and the registry;
no other module names a concrete engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from clonyvoice.audio import Audio

__all__ = [
    "Audio",
    "Capabilities",
    "EngineError",
    "MixingEngine",
    "ModelNotInstalled",
    "PresetVoice",
    "SpeechEngine",
    "SynthesisRequest",
]


class EngineError(Exception):
    """The engine could not speak this request (bad voice, crashed binary, ...)."""


class ModelNotInstalled(EngineError):
    """The engine's model is missing; `install_hint` is the command that installs it."""

    def __init__(self, detail: str, *, install_hint: str) -> None:
        super().__init__(detail)
        self.install_hint = install_hint


@dataclass(frozen=True)
class Capabilities:
    preset_voices: bool = True
    cloning: bool = False
    speed: bool = False  # the engine changes speed natively (otherwise ClonyVoice time-stretches)
    pitch: bool = False  # the engine shifts pitch natively (otherwise ClonyVoice pitch-shifts)
    seed: bool = False  # output depends on a seed (neural samplers)
    mixing: bool = False  # voices can be blended into new ones (`PresetVoice.voice_id` formulas)


@dataclass(frozen=True)
class PresetVoice:
    """A voice an engine offers without cloning. `voice_id` is the engine's own name for it."""

    engine: str
    voice_id: str
    name: str
    languages: tuple[str, ...]  # lower-case BCP-47 tags, most specific first: ("en-us", "en")
    gender: str = ""  # "male", "female" or ""
    age: str = ""
    accent: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    technology: str = ""  # how it makes speech: "neural", "parametric" (HMM), "diphone" or "formant"


@dataclass(frozen=True)
class SynthesisRequest:
    text: str
    voice_id: str
    language: str | None = None
    speed: float = 1.0  # 0.5 .. 2.0
    pitch: float = 0.0  # semitones, -12 .. 12
    seed: int | None = None
    options: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class SpeechEngine(Protocol):
    name: str
    label: str
    license: str
    capabilities: Capabilities

    def is_installed(self) -> bool:
        """Whether the engine's binary or model is present; cheap, never loads the model."""
        ...

    def status(self) -> dict[str, Any]:
        """Models, sizes, install hint: what `/api/system/status` and `models list` show."""
        ...

    def voices(self) -> list[PresetVoice]:
        """The preset voices available now (empty when not installed)."""
        ...

    def synthesize(self, request: SynthesisRequest) -> Audio:
        """Speak one chunk. Loads the model on first use and keeps it."""
        ...


@runtime_checkable
class MixingEngine(SpeechEngine, Protocol):
    """An engine whose voices blend: a weighted sum of its voices is a new voice (`capabilities.mixing`)."""

    def mix(self, components: Sequence[tuple[str, float]]) -> PresetVoice:
        """The voice made of `(voice_id, weight)` components: its voice id and the languages it speaks.

        Components may be mixes themselves. Raises EngineError when the mix is impossible.
        """
        ...
