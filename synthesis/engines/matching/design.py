"""Voice design with voice matching: a description's parameters → a base preset voice plus a WORLD transform.

The base is an installed preset in the language (the accent's first), of the asked gender, from the engines whose
presets rank higher (`preset_rank`); the seed breaks ties and varies the transform, so the same description and
seed always give the same voice.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from clonyvoice import audio
from synthesis.engines import (
    DesignedVoice,
    DesignParams,
    EngineError,
    NoVoiceForLanguage,
    PresetVoice,
    SynthesisRequest,
    get_engine,
    preset_rank,
)
from synthesis.engines.matching.fit import candidates, preset_stats
from synthesis.engines.matching.world import apply_transform

# Typical speaking F0 (Hz) by gender and age; pitch words move it by semitones.
F0_BY_VOICE = {
    ("male", "child"): 260.0,
    ("female", "child"): 270.0,
    ("male", "young"): 135.0,
    ("male", "middle"): 118.0,
    ("male", "old"): 110.0,
    ("female", "young"): 225.0,
    ("female", "middle"): 205.0,
    ("female", "old"): 185.0,
}


def transform_for(
    params: DesignParams, *, base_gender: str, base_f0: tuple[float, float] | None, seed: int
) -> dict[str, Any]:
    """The WORLD transform that moves a base voice (its gender and log-F0 stats) to the designed one."""
    rng = random.Random(seed)
    gender = params.gender or base_gender or "male"
    age = params.age or "middle"
    target_hz = F0_BY_VOICE.get((gender, age), 150.0) * 2 ** ((params.pitch * 3.0 + rng.uniform(-0.7, 0.7)) / 12)
    warp = 1.0
    if base_gender and gender != base_gender:
        warp *= 1.16 if gender == "female" else 0.87
    warp *= {"child": 1.15, "young": 1.03, "middle": 1.0, "old": 0.97}.get(age, 1.0)
    warp *= 1.0 - 0.035 * params.warmth + 0.02 * params.pitch
    warp *= 1.0 + rng.uniform(-0.015, 0.015)
    spread = 0.13 * (1.6 ** max(-1.5, min(1.5, params.expressiveness)))
    source = base_f0 or (math.log(150.0), 0.13)
    return {
        "f0": {
            "source_mean": source[0],
            "source_std": source[1],
            "target_mean": math.log(target_hz),
            "target_std": spread,
        },
        "warp": round(warp, 4),
        "breathiness": round(min(0.6, max(0.0, 0.25 * params.breathiness + (0.1 if age == "old" else 0.0))), 3),
        "pace": round(min(1.6, max(0.6, 1.0 + 0.14 * params.pace - (0.05 if age == "old" else 0.0))), 3),
    }


def choose_base(params: DesignParams, language: str, seed: int) -> PresetVoice:
    """The preset to start from: same language (accent first), same gender, better engines first; seed breaks ties."""
    pool = candidates(params.accent if "-" in params.accent else language)
    if not pool:
        raise NoVoiceForLanguage(f"No installed preset voice speaks {language!r}.")
    rng = random.Random(seed)
    keyed = [
        (
            (params.accent in voice.languages) * 2
            + (bool(params.gender) and voice.gender == params.gender) * 3
            + preset_rank(voice.engine) * 0.5,
            rng.random(),
            voice,
        )
        for voice in pool
    ]
    return max(keyed, key=lambda item: (item[0], item[1]))[2]


def design(
    *, params: DesignParams, language: str, text: str, seed: int, on_step: Callable[[int, str], None]
) -> DesignedVoice:
    """Base voice + transform → the designed voice speaking `text`, with its voice-matching profile."""
    on_step(0, "choosing a base voice")
    base = choose_base(params, language, seed)
    stats = preset_stats(base, language)
    if stats is None:
        raise EngineError(f"The base voice {base.name} could not speak.")
    transform = transform_for(params, base_gender=base.gender, base_f0=stats.f0, seed=seed)
    profile: dict[str, Any] = {
        "method": "voice matching",
        "base": stats.ref(),
        "transform": transform,
        "design": {**params.as_dict(), "seed": seed},
        "languages": list(base.languages),
    }
    if params.ignored:
        profile["design"]["ignored_note"] = "ignored: " + ", ".join(params.ignored)
    on_step(1, "speaking the reference clip")
    base_engine = get_engine(base.engine)
    pace = transform["pace"]
    spoken = base_engine.synthesize(
        SynthesisRequest(
            text=text,
            voice_id=base.voice_id,
            language=language,
            speed=pace if base_engine.capabilities.speed else 1.0,
            seed=seed,
            # Neural presets that take no seed sample noise; without it the same design gives the same clip.
            options={} if base_engine.capabilities.seed else {"noise_scale": 0.0, "noise_w": 0.0},
        )
    )
    if not base_engine.capabilities.speed:
        spoken = audio.change_speed_and_pitch(spoken, speed=pace)
    return DesignedVoice(
        reference=apply_transform(spoken, transform),
        profile=profile,
        origin={"design_base": profile["base"], "design_transform": transform},
    )
