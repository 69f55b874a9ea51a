"""Fitting voice matching to a reference (the matching engine's `clone`): the closest installed preset plus the
WORLD transform that makes it closer.

Each candidate preset speaks one calibration sentence (the language's preview sentence) once; its audio, speaker
embedding and log-F0 statistics are cached under DATA_DIR/cache/matching. A fit embeds the reference, ranks the
candidates by cosine similarity, and for the best few searches the spectral warp factor (with log-F0 mean and spread
mapped onto the reference's) that maximizes similarity. The untransformed closest preset stays a candidate, so
matching never scores below it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from cloning.similarity import cosine, embed
from cloning.texts import preview_text
from clonyvoice.audio import Audio, resample
from synthesis.engines import EngineError, PresetVoice, SynthesisRequest, registry
from synthesis.engines.matching.world import WorldAnalysis, f0_stats
from voices.models import speaks

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)

CACHE_VERSION = 2
# Fitting works at the speaker encoder's rate: no resampling per candidate, and WORLD is cheaper there.
ANALYSIS_RATE = 16_000
MAX_PER_ENGINE = 8
# Extra variants of formant engines: the same phonemes with other voices, which widens the pool a lot for free.
VARIANTS = {"espeak": ("m3", "m7", "f2", "f4", "klatt")}
WARPS = (0.82, 0.9, 1.0, 1.1, 1.21)
TOP_BASES = 2
# A transform must beat the untouched closest preset by this much on the fit, or scores on new text may drop.
MIN_GAIN = 0.015
BASE_MARGIN = 0.12

_memo: dict[str, PresetStats] = {}
_memo_lock = threading.Lock()


@dataclass
class PresetStats:
    """A preset voice speaking the calibration sentence, and what we measured on it."""

    engine: str
    voice_id: str
    name: str
    languages: tuple[str, ...]
    audio: Audio
    embedding: np.ndarray
    f0: tuple[float, float] | None

    def ref(self) -> dict[str, Any]:
        return {"engine": self.engine, "voice_id": self.voice_id, "name": self.name, "languages": list(self.languages)}


def _cache_dir() -> Path:
    return Path(settings.DATA_DIR) / "cache" / "matching"


def candidates(language: str, *, exclude: tuple[str, ...] = ()) -> list[PresetVoice]:
    """Installed preset voices that speak `language` (all of them when none does), `engine:voice_id` excluded."""
    pool: list[PresetVoice] = []
    for engine in registry().values():
        if not engine.capabilities.preset_voices or not engine.is_installed():
            continue
        try:
            offered = engine.voices()
        except Exception:
            logger.exception("could not list the voices of %s", engine.name)
            continue
        seen: set[str] = set()
        fitting = [v for v in offered if speaks(list(v.languages), language)]
        exact = [v for v in fitting if language.lower() in v.languages]
        chosen = []
        for voice in [*exact, *fitting]:
            if voice.voice_id not in seen and len(chosen) < MAX_PER_ENGINE:
                seen.add(voice.voice_id)
                chosen.append(voice)
        if chosen:
            first = chosen[0]
            for variant in VARIANTS.get(engine.name, ()):
                chosen.append(
                    PresetVoice(
                        engine=engine.name,
                        voice_id=f"{first.voice_id}+{variant}",
                        name=f"{first.name} ({variant})",
                        languages=first.languages,
                        gender="female" if variant.startswith("f") else "male",
                    )
                )
        pool += chosen
    excluded = set(exclude)
    pool = [v for v in pool if f"{v.engine}:{v.voice_id}" not in excluded]
    if not pool and language.split("-")[0] != "en":
        return candidates("en", exclude=exclude)
    return pool


def preset_stats(voice: PresetVoice, language: str) -> PresetStats | None:
    """The calibration audio, embedding and F0 statistics of a preset (cached); None when it cannot speak."""
    import numpy as np

    text = preview_text(language)
    key = hashlib.sha1(f"{CACHE_VERSION}|{voice.engine}|{voice.voice_id}|{text}".encode()).hexdigest()
    with _memo_lock:
        if key in _memo:
            return _memo[key]
    path = _cache_dir() / f"{key}.npz"
    stats = None
    if path.is_file():
        try:
            with np.load(path, allow_pickle=False) as data:
                f0 = tuple(float(v) for v in data["f0"]) if len(data["f0"]) else None
                stats = PresetStats(
                    engine=voice.engine,
                    voice_id=voice.voice_id,
                    name=voice.name,
                    languages=voice.languages,
                    audio=Audio(samples=data["samples"], sample_rate=int(data["sample_rate"])),
                    embedding=data["embedding"],
                    f0=f0,
                )
        except (OSError, ValueError, KeyError):
            path.unlink(missing_ok=True)
    if stats is None:
        try:
            engine = registry()[voice.engine]
            spoken = engine.synthesize(SynthesisRequest(text=text, voice_id=voice.voice_id, language=language, seed=0))
        except (EngineError, KeyError) as exc:
            logger.info("matching skips %s:%s: %s", voice.engine, voice.voice_id, exc)
            return None
        spoken = resample(spoken, ANALYSIS_RATE)
        stats = PresetStats(
            engine=voice.engine,
            voice_id=voice.voice_id,
            name=voice.name,
            languages=voice.languages,
            audio=spoken,
            embedding=embed(spoken),
            f0=f0_stats(spoken),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part.npz")
        np.savez(
            tmp,
            samples=stats.audio.samples.astype(np.float32),
            sample_rate=np.array(stats.audio.sample_rate),
            embedding=stats.embedding,
            f0=np.array(stats.f0 or (), dtype=np.float64),
        )
        tmp.replace(path)
    with _memo_lock:
        _memo[key] = stats
    return stats


def f0_mapping(source: tuple[float, float] | None, target: tuple[float, float] | None) -> dict[str, float] | None:
    if source is None or target is None:
        return None
    return {"source_mean": source[0], "source_std": source[1], "target_mean": target[0], "target_std": target[1]}


def rank_presets(
    reference_embedding: np.ndarray, language: str, *, exclude: tuple[str, ...] = ()
) -> list[tuple[float, PresetStats]]:
    """Every candidate preset with its similarity to the reference, best first."""
    ranked = []
    for voice in candidates(language, exclude=exclude):
        stats = preset_stats(voice, language)
        if stats is not None:
            ranked.append((cosine(reference_embedding, stats.embedding), stats))
    ranked.sort(key=lambda item: -item[0])
    return ranked


def fit_profile(*, reference: Audio, language: str, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """A voice-matching profile for the reference speaker: base preset, transform and the scores behind them."""
    reference = resample(reference, ANALYSIS_RATE)
    target = embed(reference)
    target_f0 = f0_stats(reference)
    ranked = rank_presets(target, language, exclude=exclude)
    if not ranked:
        raise EngineError(f"No installed preset voice can be matched for {language!r}.")
    closest_score, closest = ranked[0]
    best: tuple[float, PresetStats, dict[str, Any]] = (closest_score, closest, {"identity": True})
    # Only presets nearly as close as the closest are worth a warp search.
    worth = [stats for value, stats in ranked[:TOP_BASES] if value >= closest_score - BASE_MARGIN]
    for stats in worth:
        analysis = WorldAnalysis(stats.audio)
        mapping = f0_mapping(stats.f0, target_f0)
        scores: dict[float, float] = {}

        def score(
            warp: float, analysis: WorldAnalysis = analysis, mapping: Any = mapping, scores: dict = scores
        ) -> float:
            warp = round(warp, 3)
            if warp not in scores:
                scores[warp] = cosine(target, embed(analysis.render({"f0": mapping, "warp": warp}), fast=True))
            return scores[warp]

        coarse = max(WARPS, key=score)
        step = 0.045 * coarse
        warp = max((coarse - step, coarse, coarse + step), key=score)
        if scores[round(warp, 3)] > best[0] + (MIN_GAIN if best[2].get("identity") else 0.0):
            best = (scores[round(warp, 3)], stats, {"f0": mapping, "warp": round(warp, 3)})
    score_, base, transform = best
    return {
        "method": "voice matching",
        "base": base.ref(),
        "transform": transform,
        "closest": {**closest.ref(), "similarity": round(closest_score, 4)},
        "fit_similarity": round(score_, 4),
        "candidates": [{**s.ref(), "similarity": round(v, 4)} for v, s in ranked[:5]],
        "languages": list(base.languages),
    }
