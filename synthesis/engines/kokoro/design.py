"""Voice design in Kokoro's style space: a description's parameters → a style table, along measured directions.

`design_directions.json` (written by `bench/design_directions.py --write`) holds what was measured: the span of the
packaged voices (the principal directions of their 5 x 510 rows, each scaled by the voices' spread along it, as in
`fitting.basis`), a linear map from a move in that span to the change of each speech attribute (ridge regression
over voices that Kokoro spoke from sampled points), each attribute's scale, and the packaged voices' own measured
attributes and gender labels.

A designed table is

    table = start + (z @ span)          (one 256-d offset added to every row, as a fitted clone's)

- start: the packaged voice, or the even mix of two, of the asked gender whose measured attributes are nearest the
  asked ones (the seed draws among the near ones, nearer more often);
- z: the smallest move whose predicted attribute changes are the asked amounts (an amount of 1, "high-pitched",
  is one scale), holding the attributes not asked for where the start has them, plus a seeded random move that
  leaves the asked attributes alone (so one description gives several different voices). An attribute the map
  does not explain (cross-validated R² below MIN_R2: so far the F0 spread, which the style span does not move in
  any consistent way) is served by the choice of the start voice only (`by_start_only`).

Same parameters, seed and directions file → the same table, bit for bit. Worker code only (numpy).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synthesis.engines.base import DesignParams, EngineError

if TYPE_CHECKING:
    import numpy as np

DIRECTIONS_FILE = Path(__file__).with_name("design_directions.json")
# What a description can move, as measured on speech (see `measure`).
ATTRIBUTES = ("pitch", "spread", "pace", "brightness", "breathiness")
MAX_MOVE = 2.5  # the asked move's length, in units of the voices' own spread (the span's coordinates)
RANDOM_MOVE = 0.45  # the seeded move's size per coordinate, same units
BOUND = 3.0  # each coordinate stays within ±BOUND, like the fitter's search
RIDGE = 0.05  # keeps the solve stable when attributes share a direction
# An attribute whose map explains less than this (cross-validated R²) has no direction to move along: asking for it
# only picks the start voice nearest in it.
MIN_R2 = 0.3


@dataclass(frozen=True)
class Directions:
    """The measured design space (see the module doc)."""

    span: np.ndarray  # (dims, 256)
    effects: np.ndarray  # (attributes, dims): attribute change per unit move, in scales
    scales: dict[str, float]
    voices: dict[str, dict[str, Any]]  # name -> {"gender", "attributes": {name: value}}
    age: dict[str, dict[str, float]]  # age bucket -> attribute amounts (approximated; see the file)
    fit: dict[str, float]  # cross-validated R² per attribute

    @property
    def dims(self) -> int:
        return int(self.span.shape[0])


def measure(samples: np.ndarray, rate: int, phonemes: int) -> dict[str, float]:
    """The attributes of a clip of speech:

    pitch: mean log2 F0 (octaves); spread: std of log2 F0; pace: log2 of phonemes per second of sound;
    brightness: log2 of the spectral centroid (Hz) of the louder frames; breathiness: minus the mean cepstral peak
    prominence of the voiced frames (dB; a breathy voice has a weaker harmonic peak); tilt: the long-term spectrum's
    slope (dB per octave, 100 Hz-5 kHz), reported, not designed.
    """
    import numpy as np
    import pyworld

    from synthesis.engines.kokoro import fitting

    x16 = fitting._to_rate(np.asarray(samples, dtype=np.float32), rate, fitting.FEATURE_RATE)
    n_fft, hop, sr = 512, 160, fitting.FEATURE_RATE
    frames = np.lib.stride_tricks.sliding_window_view(np.pad(x16, (0, n_fft)), n_fft)[::hop]
    power = np.abs(np.fft.rfft(frames * np.hanning(n_fft), axis=-1)) ** 2
    energy = power.sum(axis=1)
    sounding = energy > energy.max() * 10 ** (-45 / 10)
    seconds = max(float(sounding.sum()) * hop / sr, 1e-3)
    loud = power[energy > np.percentile(energy[sounding], 50)] if sounding.sum() > 4 else power
    freqs = np.linspace(0, sr / 2, n_fft // 2 + 1)
    ltas = loud.mean(axis=0)
    centroid = float((ltas * freqs).sum() / max(ltas.sum(), 1e-12))
    band = (freqs >= 100) & (freqs <= 5000)
    tilt = float(np.polyfit(np.log2(freqs[band]), 10 * np.log10(ltas[band] + 1e-12), 1)[0])

    x = x16.astype(np.float64)
    f0, times = pyworld.dio(x, sr, f0_floor=60.0, f0_ceil=600.0, frame_period=10.0)
    f0 = pyworld.stonemask(x, f0, times, sr)
    pitch = np.log2(f0[f0 > 0]) if np.count_nonzero(f0) >= 10 else np.array([np.nan])
    breathiness = -_cepstral_peak_prominence(x, f0, sr)
    return {
        "pitch": float(np.mean(pitch)),
        "spread": float(np.std(pitch)),
        "pace": math.log2(max(phonemes, 1) / seconds),
        "brightness": math.log2(max(centroid, 1.0)),
        "breathiness": breathiness,
        "tilt": tilt,
    }


def _cepstral_peak_prominence(x: np.ndarray, f0: np.ndarray, rate: int) -> float:
    """Mean CPP (dB) of the voiced 10 ms frames: the cepstral peak in the 60-500 Hz pitch range above the
    cepstrum's regression line (Hillenbrand's measure of breathiness); NaN without voiced frames."""
    import numpy as np

    n, hop = 1024, rate // 100
    frames = np.lib.stride_tricks.sliding_window_view(np.pad(x, (0, n)), n)[::hop][: len(f0)]
    voiced = frames[f0[: len(frames)] > 0]
    if not len(voiced):
        return float("nan")
    spectrum = 20 * np.log10(np.abs(np.fft.rfft(voiced * np.hanning(n), axis=-1)) + 1e-9)
    cepstrum = np.fft.irfft(spectrum, axis=-1)
    quefrency = np.arange(cepstrum.shape[1]) / rate
    band = (quefrency >= 1 / 500) & (quefrency <= 1 / 60)
    q, c = quefrency[band], cepstrum[:, band]
    slope, intercept = np.polyfit(q, c.T, 1)
    peak = np.argmax(c, axis=1)
    return float(np.mean(c[np.arange(len(c)), peak] - (slope * q[peak] + intercept)))


@cache
def _load(path: Path, mtime: float) -> Directions:
    import numpy as np

    data = json.loads(path.read_text())
    names = list(data["attributes"])
    if tuple(names) != ATTRIBUTES:
        raise EngineError(f"{path.name} measures {names}, not {list(ATTRIBUTES)}; re-run bench/design_directions.py.")
    return Directions(
        span=np.asarray(data["span"], dtype=np.float64),
        effects=np.asarray([data["attributes"][name]["effect"] for name in names], dtype=np.float64),
        scales={name: float(data["attributes"][name]["scale"]) for name in names},
        voices=data["voices"],
        age=data["age"]["amounts"],
        fit={name: float(data["attributes"][name]["r2"]) for name in names},
    )


def directions(path: Path = DIRECTIONS_FILE) -> Directions:
    """The measured design space, read once per version of the file."""
    try:
        return _load(path, path.stat().st_mtime)
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise EngineError(
            f"The design directions cannot be read ({exc}); run bench/design_directions.py --write."
        ) from exc


def amounts(params: DesignParams, space: Directions) -> dict[str, float]:
    """What the description asks of each attribute, in scales (0: not asked). Warmth is the opposite of brightness;
    an age adds its approximated moves (see the directions file)."""
    asked = {
        "pitch": params.pitch,
        "spread": params.expressiveness,
        "pace": params.pace,
        "brightness": -params.warmth,
        "breathiness": params.breathiness,
    }
    for name, value in space.age.get(params.age, {}).items():
        asked[name] = asked.get(name, 0.0) + value
    return {name: float(value) for name, value in asked.items() if name in ATTRIBUTES}


def _starts(space: Directions, gender: str) -> list[tuple[str, dict[str, float]]]:
    """Packaged voices of `gender` (all when unsaid) and the even mixes of two of them, with their attributes."""
    names = sorted(name for name, voice in space.voices.items() if not gender or voice["gender"] == gender)
    if not names:
        names = sorted(space.voices)
    starts = [(name, dict(space.voices[name]["attributes"])) for name in names]
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            one, two = space.voices[first]["attributes"], space.voices[second]["attributes"]
            starts.append((f"{first}*0.5+{second}*0.5", {k: (one[k] + two[k]) / 2 for k in ATTRIBUTES}))
    return starts


def place(params: DesignParams, seed: int, space: Directions) -> dict[str, Any]:
    """Where the designed voice lies: the start (a voice or mix formula), the move `z` in the span, the attribute
    values the map predicts for it, and what was asked."""
    import numpy as np

    rng = np.random.default_rng(seed)
    asked = amounts(params, space)
    requested = [name for name in ATTRIBUTES if abs(asked[name]) > 1e-9]
    movable = [name for name in ATTRIBUTES if space.fit[name] >= MIN_R2]
    scale = np.array([space.scales[name] for name in ATTRIBUTES])
    starts = _starts(space, params.gender)
    # The target: what the gender's voices have on average, moved by the asked amounts.
    mean = {name: float(np.mean([s[1][name] for s in starts])) for name in ATTRIBUTES}
    target = {name: mean[name] + asked[name] * space.scales[name] for name in ATTRIBUTES}
    distance = np.array(
        [sum(((attrs[n] - target[n]) / space.scales[n]) ** 2 for n in requested) for _, attrs in starts]
    )
    weights = np.exp(-(distance - distance.min()) / 2.0)
    start_name, start_attrs = starts[int(rng.choice(len(starts), p=weights / weights.sum()))]

    # The smallest move giving the asked changes (in scales), holding the movable attributes not asked for.
    effects = space.effects[[ATTRIBUTES.index(n) for n in movable]]
    wanted = np.array([(target[n] - start_attrs[n]) / space.scales[n] if n in requested else 0.0 for n in movable])
    move = np.zeros(space.dims)
    if movable:
        move = effects.T @ np.linalg.solve(effects @ effects.T + RIDGE * np.eye(len(movable)), wanted)
    length = float(np.linalg.norm(move))
    if length > MAX_MOVE:
        move *= MAX_MOVE / length
    # A random move that keeps the asked attributes where the move put them.
    noise = rng.standard_normal(space.dims) * RANDOM_MOVE
    steered = space.effects[[ATTRIBUTES.index(n) for n in requested if n in movable]]
    if len(steered):
        noise -= steered.T @ np.linalg.lstsq(steered @ steered.T, steered @ noise, rcond=None)[0]
    z = np.clip(move + noise, -BOUND, BOUND)
    predicted = np.array([start_attrs[n] for n in ATTRIBUTES]) + (space.effects @ z) * scale
    return {
        "start": start_name,
        "z": [float(v) for v in z],
        "asked": {n: round(asked[n], 3) for n in requested},
        "by_start_only": [n for n in requested if n not in movable],
        "predicted": {n: round(float(v), 4) for n, v in zip(ATTRIBUTES, predicted, strict=True)},
        "predicted_f0_hz": round(2 ** float(predicted[0]), 1),
    }


def table_of(placement: Mapping[str, Any], tables: Mapping[str, np.ndarray], space: Directions) -> np.ndarray:
    """The designed style table (510 x 256 float32) of a placement."""
    import numpy as np

    from synthesis.engines.kokoro import fitting, mixing

    start = mixing.blend(
        {name: table.reshape(fitting.ROWS, fitting.WIDTH) for name, table in tables.items()},
        mixing.parse(placement["start"]),
    )
    offset = np.asarray(placement["z"], dtype=np.float64) @ space.span
    return (np.asarray(start, dtype=np.float64) + offset[None, :]).astype(np.float32)
