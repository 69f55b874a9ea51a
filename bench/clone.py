"""Voice cloning benchmark (not a test): speed of voice matching, and how close its clones sound.

1. Time to clone from a 30 s sample with voice matching: the worker's steps in this process (clean the sample,
   fit the profile, speak the preview, score it), cold (preset cache empty) and warm. Target: warm <= 10 s.
2. Similarity over reference voices made by different engines (Piper joe, Festival slt and kal, eSpeak NG
   variants), each cloned from the presets other than itself: the closest preset as it is vs voice matching,
   both speaking the same preview sentence, scored against held-out speech of the reference. Target: matching
   never lower, and a higher mean.

    .venv/bin/python bench/clone.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clonyvoice.settings")
os.environ.setdefault("CLONYVOICE_DATA_DIR", tempfile.mkdtemp(prefix="cv-bench-clone-"))

import django  # noqa: E402

django.setup()

from bench.texts import STORY  # noqa: E402
from cloning import intake  # noqa: E402
from cloning.similarity import cosine, embed  # noqa: E402
from cloning.texts import preview_text  # noqa: E402
from clonyvoice.audio import Audio, join, write_wav  # noqa: E402
from synthesis.engines import CloneOptions, SynthesisRequest, get_engine  # noqa: E402
from synthesis.engines.matching import apply_transform  # noqa: E402

HELD_OUT = (
    "Behind him the radio was still babbling away about pig iron and the overfulfilment of the plan. "
    "The telescreen received and transmitted simultaneously."
)
REFERENCES = [
    ("piper", "en_US-joe-medium", "Piper joe"),
    ("festival", "cmu_us_slt_arctic_hts", "Festival slt"),
    ("festival", "kal_diphone", "Festival kal"),
    ("espeak", "en-us+f3", "eSpeak en-us f3"),
    ("espeak", "en-gb-scotland+m7", "eSpeak scotland m7"),
    ("espeak", "en-029+f5", "eSpeak caribbean f5"),
]


def speak(engine: str, voice_id: str, text: str) -> Audio:
    return get_engine(engine).synthesize(SynthesisRequest(text=text, voice_id=voice_id))


def thirty_seconds(engine: str, voice_id: str) -> Audio:
    parts, total = [], 0.0
    for line in STORY * 3:
        parts.append(speak(engine, voice_id, line))
        total += parts[-1].duration + 0.3
        if total >= 30.0:
            break
    return join(parts, gap=0.3)


def clone_like_the_worker(sample_path: Path, *, exclude: tuple[str, ...] = ()) -> tuple[dict, float, dict]:
    """The clone job's audio work (no database): clean, hold out, fit, speak the preview, score it."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    cleaned = intake.clean(sample_path)
    timings["clean"] = time.perf_counter() - started
    fit, held, _ = intake.split_held_out(cleaned)
    mark = time.perf_counter()
    profile = get_engine("matching").clone(
        reference=fit, language="en", voice_dir=Path(tempfile.mkdtemp()), options=CloneOptions(exclude=exclude)
    )
    timings["fit"] = time.perf_counter() - mark
    mark = time.perf_counter()
    preview = get_engine("matching").synthesize(
        SynthesisRequest(text=preview_text("en"), voice_id="", options={"profile": profile})
    )
    score = cosine(embed(preview), embed(held))
    timings["preview+score"] = time.perf_counter() - mark
    return profile, score, {**timings, "total": time.perf_counter() - started}


def timing() -> None:
    print("1. Clone from a 30 s sample with voice matching (festival slt as the speaker)\n")
    sample = thirty_seconds("festival", "cmu_us_slt_arctic_hts")
    path = Path(tempfile.mkdtemp()) / "sample.wav"
    write_wav(path, sample)
    for label in ("cold (preset cache empty)", "warm", "warm"):
        profile, score, took = clone_like_the_worker(path)
        steps = ", ".join(f"{k} {v:.2f} s" for k, v in took.items() if k != "total")
        print(f"   {label:<26} {took['total']:6.2f} s   ({steps}); base {profile['base']['voice_id']}, sim {score:.3f}")
    print("   target: warm <= 10 s\n")


def similarity_table() -> None:
    print("2. Similarity to held-out reference speech (cosine of d-vectors; same speaker ~0.9+)\n")
    header = (
        f"   {'reference':<22} {'closest preset (as is)':<34} {'sim':>6}   "
        f"{'voice matching: base, warp':<40} {'sim':>6}  gain"
    )
    print(header)
    print("   " + "-" * (len(header) - 3))
    closest_scores, matched_scores = [], []
    for engine, voice_id, label in REFERENCES:
        reference = thirty_seconds(engine, voice_id)
        held = embed(speak(engine, voice_id, HELD_OUT))
        path = Path(tempfile.mkdtemp()) / "reference.wav"
        write_wav(path, reference)
        profile, _, _ = clone_like_the_worker(path, exclude=(f"{engine}:{voice_id}",))
        closest = profile["closest"]
        as_is = cosine(embed(speak(closest["engine"], closest["voice_id"], preview_text("en"))), held)
        matched_audio = apply_transform(
            speak(profile["base"]["engine"], profile["base"]["voice_id"], preview_text("en")), profile["transform"]
        )
        matched = cosine(embed(matched_audio), held)
        transform = profile["transform"]
        how = "as is" if transform.get("identity") else f"warp {transform['warp']:.3f}"
        base = f"{profile['base']['engine']}:{profile['base']['voice_id']}, {how}"
        closest_name = f"{closest['engine']}:{closest['voice_id']}"
        print(f"   {label:<22} {closest_name:<34} {as_is:6.3f}   {base:<40} {matched:6.3f}  {matched - as_is:+.3f}")
        closest_scores.append(as_is)
        matched_scores.append(matched)
    lowered = sum(m < c - 1e-6 for c, m in zip(closest_scores, matched_scores, strict=True))
    before, after = statistics.mean(closest_scores), statistics.mean(matched_scores)
    print(
        f"\n   mean: closest preset {before:.3f}, voice matching {after:.3f} ({after - before:+.3f}); "
        f"lowered in {lowered} of {len(REFERENCES)}"
    )


if __name__ == "__main__":
    timing()
    similarity_table()
