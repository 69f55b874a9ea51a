"""Voice matching: a preset voice moved towards a reference speaker with the WORLD vocoder (pyworld).

A matched voice is a base preset (any installed engine) plus a transform stored in the voice's profile:
log-F0 mean and spread mapped onto the reference's, the spectral envelope warped along the frequency axis
(formants up or down), optional breathiness and pace. It moves pitch and formants, not timbre; the user-facing
name is "voice matching". Fitting a transform to a reference lives in `cloning.matching`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synthesis.engines import get_engine, register, registry
from synthesis.engines._util import model_row, modules_present
from synthesis.engines.base import (
    Audio,
    Capabilities,
    EngineError,
    ModelNotInstalled,
    PresetVoice,
    SynthesisRequest,
)

if TYPE_CHECKING:
    import numpy as np

INSTALL_HINT = "pip install -r requirements.txt (pyworld)"
FRAME_PERIOD_MS = 5.0
F0_FLOOR, F0_CEIL = 50.0, 600.0
# WORLD's noise generator is process-global C state, reset on every synthesis: one synthesis at a time keeps the
# same text and profile giving the same audio.
_world_lock = threading.Lock()


def f0_stats(audio: Audio) -> tuple[float, float] | None:
    """Mean and standard deviation of log-F0 over the voiced frames, or None when nothing is voiced."""
    import numpy as np
    import pyworld

    x = audio.samples.astype(np.float64)
    f0, times = pyworld.dio(x, audio.sample_rate, f0_floor=F0_FLOOR, f0_ceil=F0_CEIL, frame_period=10.0)
    f0 = pyworld.stonemask(x, f0, times, audio.sample_rate)
    voiced = np.log(f0[f0 > 0])
    if len(voiced) < 10:
        return None
    return float(voiced.mean()), float(max(voiced.std(), 0.02))


class WorldAnalysis:
    """F0, spectral envelope and aperiodicity of a clip, analysed once and re-synthesized with many transforms."""

    def __init__(self, audio: Audio) -> None:
        import numpy as np
        import pyworld

        self.sample_rate = audio.sample_rate
        self.peak = float(np.max(np.abs(audio.samples))) or 1.0
        x = audio.samples.astype(np.float64)
        f0, times = pyworld.dio(x, self.sample_rate, f0_floor=F0_FLOOR, f0_ceil=F0_CEIL, frame_period=FRAME_PERIOD_MS)
        self.f0 = pyworld.stonemask(x, f0, times, self.sample_rate)
        self.sp = pyworld.cheaptrick(x, self.f0, times, self.sample_rate)
        self.ap = pyworld.d4c(x, self.f0, times, self.sample_rate)

    def render(self, transform: dict[str, Any]) -> Audio:
        """Apply `transform` (see module docstring) and synthesize."""
        import numpy as np
        import pyworld

        f0 = self.f0.copy()
        stats = transform.get("f0")
        voiced = f0 > 0
        if stats and voiced.any():
            ratio = min(max(stats["target_std"] / stats["source_std"], 0.2), 3.0)
            log_f0 = stats["target_mean"] + (np.log(f0[voiced]) - stats["source_mean"]) * ratio
            f0[voiced] = np.clip(np.exp(log_f0), F0_FLOOR, F0_CEIL)
        warp = float(transform.get("warp", 1.0))
        sp, ap = (
            (warp_frequency(self.sp, warp), warp_frequency(self.ap, warp))
            if abs(warp - 1) > 1e-3
            else (self.sp, self.ap)
        )
        breathiness = min(max(float(transform.get("breathiness", 0.0)), 0.0), 0.9)
        if breathiness:
            ap = np.clip(ap ** (1.0 - breathiness), 0.0, 1.0)
        with _world_lock:
            y = pyworld.synthesize(
                f0, np.ascontiguousarray(sp), np.ascontiguousarray(ap), self.sample_rate, FRAME_PERIOD_MS
            )
        peak = float(np.max(np.abs(y))) or 1.0
        y = y * (self.peak / peak) * 0.98
        return Audio(samples=np.clip(y, -1.0, 1.0).astype(np.float32), sample_rate=self.sample_rate)


def warp_frequency(envelope: np.ndarray, factor: float) -> np.ndarray:
    """Scale the frequency axis of per-frame spectra: out(f) = in(f / factor); factor > 1 raises formants."""
    import numpy as np

    bins = envelope.shape[1]
    source = np.arange(bins) / factor
    low = np.clip(np.floor(source).astype(int), 0, bins - 1)
    high = np.clip(low + 1, 0, bins - 1)
    frac = np.clip(source - low, 0.0, 1.0)
    return envelope[:, low] * (1.0 - frac) + envelope[:, high] * frac


def apply_transform(audio: Audio, transform: dict[str, Any]) -> Audio:
    """Move `audio` with a stored transform (identity when the transform is empty)."""
    if not transform or transform.get("identity"):
        return audio
    return WorldAnalysis(audio).render(transform)


class VoiceMatchingEngine:
    """Speaks cloned and designed voices with a base preset plus a WORLD transform; always available."""

    name = "matching"
    label = "Voice matching (preset + WORLD)"
    license = "MIT (WORLD, pyworld); the base voice's own license applies"
    capabilities = Capabilities(preset_voices=False, cloning=True)
    clone_priority = 10  # used when no neural cloning model is installed
    clone_languages: tuple[str, ...] = ()  # every language an installed preset speaks
    description = (
        "Voice matching picks the installed preset voice closest to the reference and moves its pitch and "
        "formants towards it with the WORLD vocoder. It matches pitch and formants, not timbre."
    )

    def _bases(self) -> list[Any]:
        return [
            engine
            for engine in registry().values()
            if engine.capabilities.preset_voices and not engine.capabilities.cloning and engine.is_installed()
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

    def clone(self, *, reference: Audio, language: str, voice_dir: Path, exclude: tuple[str, ...] = ()) -> dict:
        """Fit a profile (base preset + transform) to the reference speaker."""
        from cloning.matching import fit_profile

        return fit_profile(reference=reference, language=language, exclude=exclude)

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
            from clonyvoice import audio

            spoken = audio.change_speed_and_pitch(spoken, speed=pace)
        return apply_transform(spoken, transform)


engine = register(VoiceMatchingEngine())
