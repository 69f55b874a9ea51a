"""Voice matching: a preset voice moved towards a reference speaker with the WORLD vocoder (pyworld).

A matched voice is a base preset (any installed engine) plus a transform stored in the voice's profile:
log-F0 mean and spread mapped onto the reference's, the spectral envelope warped along the frequency axis
(formants up or down), optional breathiness and pace. It moves pitch and formants, not timbre; the user-facing
name is "voice matching". world.py: the WORLD vocoder; fit.py: fitting a transform to a reference (cloning);
design.py: a transform from a description (voice design).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from clonyvoice import audio
from clonyvoice.downloads import model_row, modules_present
from synthesis.engines import get_engine, register, registry
from synthesis.engines.base import (
    Audio,
    Capabilities,
    CloneOptions,
    DesignedVoice,
    DesignParams,
    EngineError,
    ModelNotInstalled,
    PresetVoice,
    SynthesisRequest,
)
from synthesis.engines.matching import design, fit
from synthesis.engines.matching.world import WorldAnalysis, apply_transform, f0_stats, warp_frequency

__all__ = ["VoiceMatchingEngine", "WorldAnalysis", "apply_transform", "engine", "f0_stats", "warp_frequency"]

INSTALL_HINT = "pip install -r requirements.txt (pyworld)"


class VoiceMatchingEngine:
    """Speaks cloned and designed voices with a base preset plus a WORLD transform; always available."""

    name = "matching"
    label = "Voice matching (preset + WORLD)"
    license = "MIT (WORLD, pyworld); the base voice's own license applies"
    capabilities = Capabilities(preset_voices=False, cloning=True)
    clone_priority = 10  # used when no neural cloning model is installed
    design_priority = 10  # the only design engine so far
    clone_languages: tuple[str, ...] = ()  # every language an installed preset speaks
    description = (
        "Voice matching picks the installed preset voice closest to the reference and moves its pitch and "
        "formants towards it with the WORLD vocoder. It matches pitch and formants, not timbre."
    )

    def _bases(self) -> list[Any]:
        return [
            engine
            for engine in registry().values()
            if engine.capabilities.preset_voices and engine.name != self.name and engine.is_installed()
        ]

    def is_installed(self) -> bool:
        return modules_present("pyworld", "numpy") and bool(self._bases())

    def status(self) -> dict[str, Any]:
        return {
            "voices": 0,
            "install_hint": INSTALL_HINT,
            "description": self.description,
            "models": [
                model_row(
                    self.name,
                    "world-vocoder",
                    installed=modules_present("pyworld"),
                    license="MIT",
                    source="pip package pyworld",
                )
            ],
        }

    def voices(self) -> list[PresetVoice]:
        return []

    def can_clone(self, language: str) -> bool:
        return self.is_installed()

    def clone(self, *, reference: Audio, language: str, voice_dir: Path, options: CloneOptions | None = None) -> dict:
        """Fit a profile (base preset + transform) to the reference speaker."""
        exclude = options.exclude if options else ()
        return fit.fit_profile(reference=reference, language=language, exclude=exclude)

    def can_design(self, language: str) -> bool:
        return self.is_installed()

    def design(
        self,
        *,
        params: DesignParams,
        language: str,
        text: str,
        seed: int,
        on_step: Callable[[int, str], None] = lambda _step, _message: None,
    ) -> DesignedVoice:
        """A base preset plus a WORLD transform made from the description (see design.py)."""
        return design.design(params=params, language=language, text=text, seed=seed, on_step=on_step)

    def synthesize(self, request: SynthesisRequest) -> Audio:
        if not modules_present("pyworld"):
            raise ModelNotInstalled("pyworld is not installed.", install_hint=INSTALL_HINT)
        profile = request.options.get("profile") or {}
        base = profile.get("base") or {}
        if not base.get("engine") or base.get("engine") == self.name:
            raise EngineError("This voice has no base preset voice; clone or design it again.")
        engine = get_engine(base["engine"])
        if not engine.is_installed():
            raise ModelNotInstalled(
                f"The base voice's engine {engine.label} is not installed.",
                install_hint=engine.status().get("install_hint", ""),
            )
        transform = profile.get("transform") or {}
        pace = min(max(float(transform.get("pace", 1.0)), 0.5), 2.0)
        spoken = engine.synthesize(
            SynthesisRequest(
                text=request.text,
                voice_id=str(base.get("voice_id", "")),
                language=request.language,
                speed=pace if engine.capabilities.speed else 1.0,
                seed=request.seed,
            )
        )
        if not engine.capabilities.speed and abs(pace - 1.0) > 1e-3:
            spoken = audio.change_speed_and_pitch(spoken, speed=pace)
        return apply_transform(spoken, transform)


engine = register(VoiceMatchingEngine())
