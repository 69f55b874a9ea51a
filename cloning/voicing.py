"""Is there speech in a recording? Counted in the request, before anything is stored, so a clone of silence or
noise is a 400 `no_speech` instead of a job that fails later.

Speech is voiced: a frame counts when it is loud enough (within 40 dB of the recording's loudest frame and above
-50 dBFS) and periodic at a human pitch (after pre-emphasis, which whitens rumble and brown noise, the normalized
autocorrelation peaks at ≥ 0.5 somewhere between 60 and
400 Hz). Hiss, hum-free noise and silence have no such frames; a person speaking has them about half the time.
numpy only: the web process may run it.
"""

from __future__ import annotations

import numpy as np

from clonyvoice.audio import Audio

RATE = 16_000
FRAME, HOP = 640, 320  # 40 ms frames every 20 ms
PITCH_HZ = (60.0, 400.0)
PERIODIC = 0.5
MIN_VOICED_SECONDS = 0.75
_BLOCK = 2000  # frames per FFT batch: bounded memory for a 10-minute file


def voiced_seconds(audio: Audio) -> float:
    """Seconds of loud, periodic (voiced) frames in `audio`, which must be at RATE."""
    samples = np.asarray(audio.samples, dtype=np.float32)
    samples = np.append(samples[0], samples[1:] - 0.97 * samples[:-1]) if len(samples) else samples  # whiten rumble
    if len(samples) < FRAME:
        return 0.0
    frames = np.lib.stride_tricks.sliding_window_view(samples, FRAME)[::HOP]
    level = 10 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-12)
    loud = np.nonzero(level > max(level.max() - 40.0, -50.0))[0]
    low, high = int(RATE / PITCH_HZ[1]), int(RATE / PITCH_HZ[0])
    voiced = 0
    window = np.hanning(FRAME)
    for begin in range(0, len(loud), _BLOCK):
        block = frames[loud[begin : begin + _BLOCK]] * window
        block = block - block.mean(axis=1, keepdims=True)
        spectrum = np.fft.rfft(block, n=2 * FRAME, axis=1)
        correlation = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, : high + 1]
        peak = correlation[:, low : high + 1].max(axis=1) / np.maximum(correlation[:, 0], 1e-12)
        voiced += int(np.count_nonzero(peak >= PERIODIC))
    return voiced * HOP / RATE


def has_speech(audio: Audio, *, min_seconds: float = MIN_VOICED_SECONDS) -> bool:
    return voiced_seconds(audio) >= min_seconds
