"""The contract between ClonyVoice and a speech engine.

Everything outside `synthesis/engines/` talks to engines only through these types and the registry;
no other module names a concrete engine (import-linter checks it, see pyproject.toml).

Roles: every engine is a `SpeechEngine` (speaks preset or made voices). An engine that also makes voices from a
recording is a `CloningEngine`, one that makes them from a description a `DesignEngine`, one whose voices blend
a `MixingEngine`. Ranks: `clone_priority` and `design_priority` (lower first) order the engines of a role;
`preset_rank` (higher first) says how good an engine's preset voices are as the base of a designed voice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from clonyvoice.audio import Audio

__all__ = [
    "Audio",
    "Capabilities",
    "CloningEngine",
    "DesignEngine",
    "DesignParams",
    "DesignedVoice",
    "EngineError",
    "MixingEngine",
    "ModelNotInstalled",
    "PresetVoice",
    "SpeechEngine",
    "SynthesisRequest",
    "TimedSpeechEngine",
    "WordTiming",
]


class EngineError(Exception):
    """The engine could not speak this request (bad voice, crashed binary, ...)."""


class NoVoiceForLanguage(EngineError):
    """No installed voice can serve as the starting point in this language."""


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
    word_timings: bool = False  # it knows when each word it speaks is heard (`TimedSpeechEngine`)


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


@dataclass(frozen=True)
class WordTiming:
    """When a word is heard, in seconds from the start of the audio that speaks it."""

    word: str
    start: float
    end: float


@runtime_checkable
class TimedSpeechEngine(SpeechEngine, Protocol):
    """An engine that knows when each word it speaks is heard (`capabilities.word_timings`)."""

    def synthesize_timed(self, request: SynthesisRequest) -> tuple[Audio, list[WordTiming | None]]:
        """Speak one chunk, with one entry per whitespace-separated word of `request.text`, in order: its
        timing, or None where the engine cannot tell (the caller fills those in between their neighbours)."""
        ...


@runtime_checkable
class MixingEngine(SpeechEngine, Protocol):
    """An engine whose voices blend: a weighted sum of its voices is a new voice (`capabilities.mixing`)."""

    def mix(self, components: Sequence[tuple[str, float]]) -> PresetVoice:
        """The voice made of `(voice_id, weight)` components: its voice id and the languages it speaks.

        Components may be mixes themselves. Raises EngineError when the mix is impossible.
        """
        ...


@dataclass(frozen=True)
class CloneOptions:
    """How to clone: `quality` ("fast" or "best"), a `seed` (same request, same voice), `on_step(step, total,
    score)` after each step of a search, and `should_stop()` asked between steps (it may raise to cancel)."""

    quality: str = "fast"
    seed: int = 0
    on_step: Callable[[int, int, float], None] | None = None
    should_stop: Callable[[], bool] | None = None
    exclude: tuple[str, ...] = ()  # preset voices not to start from (a benchmark cloning a preset)
    max_seconds: float = 0.0  # a cap on the search (0: the quality's own budget)


@runtime_checkable
class CloningEngine(SpeechEngine, Protocol):
    """An engine that makes a voice from a reference recording (`capabilities.cloning`)."""

    clone_priority: int  # lower first, among the cloning engines that can clone a language

    def can_clone(self, language: str) -> bool: ...

    def clone(
        self, *, reference: Audio, language: str, voice_dir: Path, options: CloneOptions | None = None
    ) -> dict[str, Any]:
        """The voice's profile (stored on the Voice and passed back as `options["profile"]`): `method` names how
        it was made, `languages` what it speaks, `start` the preset voice it started from (if any)."""
        ...


@dataclass
class DesignParams:
    """What a voice description asks for. Numbers are signed strengths: 0 is neutral, ±1 a clear request."""

    gender: str = ""
    age: str = ""
    pitch: float = 0.0
    pace: float = 0.0
    warmth: float = 0.0
    breathiness: float = 0.0
    expressiveness: float = 0.0
    accent: str = ""
    recognized: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DesignedVoice:
    """A designed voice: a clip of it speaking the given text, and the designing engine's profile for it.

    `origin` says what it was designed from; it is kept in the profile when another engine clones the clip.
    `keep(voice_dir)`, when the engine has one, writes the voice's own files (a style table) into the voice's
    folder and answers the profile entries that name them; the voice speaks through the designing engine then.
    """

    reference: Audio
    profile: dict[str, Any]
    origin: dict[str, Any]
    keep: Callable[[Path], dict[str, Any]] | None = None


@runtime_checkable
class DesignEngine(SpeechEngine, Protocol):
    """An engine that makes a voice from a description."""

    design_priority: int  # lower first

    def can_design(self, language: str) -> bool: ...

    def design(
        self,
        *,
        params: DesignParams,
        language: str,
        text: str,
        seed: int,
        on_step: Callable[[int, str], None] = ...,
    ) -> DesignedVoice:
        """Make the voice and speak `text` with it; same params and seed, same voice.

        Raises NoVoiceForLanguage when nothing can start a voice in `language`. `on_step(step, message)` reports
        progress (steps 0 and 1 of the design job's four).
        """
        ...
