"""A dub line's take as the worker keeps it: fitting.trim cuts the silence an engine leaves around the speech
(every dubbed and regenerated line is spoken through it), so the line's speech starts where its block starts."""

from __future__ import annotations

import numpy as np
import pytest

from clonyvoice.audio import Audio, resample
from synthesis.engines import SynthesisRequest, get_engine
from timeline.dubbing.fitting import EDGE_PAD, trim

RATE = 24_000
NOISE = np.random.default_rng(0)


def tone(seconds: float, db: float) -> np.ndarray:
    """A 300 Hz tone whose RMS is `db` dBFS."""
    t = np.arange(int(seconds * RATE)) / RATE
    return (np.sqrt(2) * 10 ** (db / 20) * np.sin(2 * np.pi * 300 * t)).astype(np.float32)


def quiet(seconds: float) -> np.ndarray:
    return NOISE.normal(0, 10 ** (-75 / 20), int(seconds * RATE)).astype(np.float32)


@pytest.fixture(scope="module")
def spoken() -> Audio:
    """Real speech (eSpeak NG), at the level an engine gives, without its own leading and trailing silence."""
    said = get_engine("espeak").synthesize(SynthesisRequest(text="Buenos días a todos.", voice_id="es"))
    samples = resample(said, RATE).samples.astype(np.float32) if said.sample_rate != RATE else said.samples
    loud = np.flatnonzero(np.abs(samples) > 0.05 * np.abs(samples).max())
    return Audio(samples=samples[loud[0] : loud[-1] + 1], sample_rate=RATE)


def where(part: Audio, whole: np.ndarray) -> float:
    """Where in `whole` the kept `part` was cut from (s)."""
    (found,) = [
        i for i in np.flatnonzero(whole == part.samples[0]) if np.array_equal(whole[i : i + 256], part.samples[:256])
    ]
    return found / RATE


def fitted(samples: np.ndarray) -> Audio:
    return trim(Audio(samples, RATE))


def test_a_blip_and_a_pause_before_the_speech_are_cut_so_the_line_starts_with_its_speech(spoken):
    """A take that starts with a 25 ms blip at -42 dB, then 75 ms of quiet: the speech starts at once, not 100 ms
    late; a click well after the speech does not make the line longer."""
    take = np.concatenate(
        [quiet(0.2), tone(0.025, -42.0), quiet(0.075), spoken.samples, quiet(0.2), tone(0.02, -42.0), quiet(0.2)]
    )
    kept = fitted(take)
    speech_at = 0.2 + 0.025 + 0.075
    start = where(kept, take)
    assert speech_at - EDGE_PAD - 0.011 <= start <= speech_at, start
    assert kept.duration == pytest.approx(spoken.duration + 2 * EDGE_PAD, abs=0.025)


def test_a_final_consonant_released_after_a_short_closure_is_kept(spoken):
    """A short burst 60 ms after the speech (a final 't' released after its closure) belongs to the line."""
    take = np.concatenate([quiet(0.2), spoken.samples, quiet(0.06), tone(0.015, -30.0), quiet(0.3)])
    kept = fitted(take)
    assert where(kept, take) == pytest.approx(0.2 - EDGE_PAD, abs=0.011)
    assert kept.duration == pytest.approx(spoken.duration + 0.06 + 0.015 + 2 * EDGE_PAD, abs=0.015)


def test_a_take_with_only_short_sounds_is_kept_around_them():
    """Nothing lasts 30 ms: the short sounds themselves are the take (it is not emptied)."""
    take = np.concatenate([quiet(0.3), tone(0.02, -20.0), quiet(0.3)])
    kept = fitted(take)
    assert 0.02 <= kept.duration <= 0.02 + 2 * EDGE_PAD + 0.021
