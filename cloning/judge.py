"""The independent similarity judge: resemblyzer's GE2E speaker encoder (weights shipped in its wheel).

The Kokoro fit (synthesis/engines/kokoro/fitting.py) is scored by another encoder (the d-vector of
cloning/similarity.py) and never calls this module: the similarity a clone reports comes from here, measured
between the clone speaking a held-out sentence and held-out reference audio.

Both clips are heard through the same channel: when the reference was recorded at a lower rate than the
encoder's 16 kHz (telephone audio at 8 kHz), the candidate is band-limited to it first, so the score compares
voices, not microphones. Worker code only: torch, librosa and webrtcvad are imported on first use.
"""

from __future__ import annotations

import math
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from clonyvoice.audio import Audio

RATE = 16000
NAME = "resemblyzer GE2E"
# Published on this encoder (Seed-VC's evaluation), zero-shot voice conversion: for comparison only.
ANCHORS = {"OpenVoice": 0.755, "CosyVoice-VC": 0.844, "Seed-VC": 0.868}

_lock = threading.Lock()
_encoder: Any = None


class JudgeUnavailable(Exception):
    """resemblyzer (or its webrtcvad) is not installed."""


def _load() -> Any:
    global _encoder
    with _lock:
        if _encoder is None:
            try:
                from resemblyzer import VoiceEncoder
            except ImportError as exc:
                raise JudgeUnavailable("pip install resemblyzer webrtcvad-wheels (the similarity judge)") from exc
            _encoder = VoiceEncoder("cpu", verbose=False)
        return _encoder


def _to_rate(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    import numpy as np
    from scipy.signal import resample_poly

    if rate == target:
        return np.asarray(samples, dtype=np.float32)
    g = math.gcd(rate, target)
    return resample_poly(np.asarray(samples, dtype=np.float64), target // g, rate // g).astype(np.float32)


def _prepared(audio: Audio, band_rate: int) -> np.ndarray:
    from resemblyzer import preprocess_wav

    samples, rate = audio.samples, audio.sample_rate
    if band_rate < rate:
        samples, rate = _to_rate(samples, rate, band_rate), band_rate
    return preprocess_wav(_to_rate(samples, rate, RATE))


def embedding(audio: Audio, *, band_rate: int = RATE) -> np.ndarray:
    """The L2-normalised GE2E embedding (256 floats) of a clip heard through a channel of `band_rate`."""
    encoder = _load()
    wav = _prepared(audio, min(band_rate, RATE))
    with _lock:
        return encoder.embed_utterance(wav)


def partial_embeddings(audio: Audio, *, rate: float = 1.3) -> np.ndarray:
    """The judge's embeddings of the 1.6 s windows it averages (`rate` windows a second), L2-normalised, one a row."""
    import numpy as np

    encoder = _load()
    wav = _prepared(audio, min(audio.sample_rate, RATE))
    with _lock:
        _, partials, _ = encoder.embed_utterance(wav, return_partials=True, rate=rate)
    return partials / np.maximum(np.linalg.norm(partials, axis=1, keepdims=True), 1e-12)


def similarity(reference: Audio, candidate: Audio) -> float:
    """Cosine of the judge's embeddings: the candidate is heard through the reference's channel."""
    import numpy as np

    band = min(reference.sample_rate, RATE)
    a, b = embedding(reference, band_rate=band), embedding(candidate, band_rate=band)
    return float(np.dot(a, b) / ((np.linalg.norm(a) * np.linalg.norm(b)) + 1e-12))
