"""The WORLD vocoder (pyworld) under voice matching: analyse a clip once, render it with a transform.

A transform maps log-F0 mean and spread onto a target's, warps the spectral envelope along the frequency axis
(formants up or down), and may add breathiness. pyworld and numpy are imported where they are used, so the web
process can list engines without them.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from clonyvoice.audio import Audio

if TYPE_CHECKING:
    import numpy as np

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
