# ruff: noqa: RUF001
"""Cloning benchmark (not a test): closest preset → voice matching → Kokoro fit, on the same references.

For every reference (human recordings from Debian packages, when installed, plus synthetic voices from the
product's own engines): the reference is split into a fitting part and a held-out part (different utterances);
both cloning methods see only the fitting part. Then, for each method, with the voice speaking a held-out
sentence and compared with the held-out reference audio:

- judge: resemblyzer GE2E cosine (cloning/judge.py, never used by either fit);
- preset: the best of the five packaged Kokoro voices by the judge itself (the strictest baseline);
- matching: voice matching (WORLD pitch and formant moves on the closest installed preset; the synthetic
  reference's own voice is left out of its choice) and its time;
- kokoro: the Kokoro fit (synthesis/engines/kokoro/fitting.py), its fitting encoder's (d-vector) cosine,
  the WER of Whisper base on the clone speaking a held-out English paragraph (a clone speaks every language),
  and the fit's wall time (target: fast <= 60 s for 30 s of reference on 2 cores).

Human references (none is committed; install them with apt, CC-BY-SA-3.0 / CC-BY-3.0 / GPL, 8 kHz telephone
prompts except ALSA's 48 kHz channel names):

    apt-get install asterisk-core-sounds-en-wav asterisk-core-sounds-fr-wav asterisk-core-sounds-it-wav \\
        asterisk-core-sounds-ru-wav asterisk-prompt-it-menardi-wav      # alsa-utils ships /usr/share/sounds/alsa

    .venv/bin/python bench/clone.py                    # fast fits, every reference found
    .venv/bin/python bench/clone.py --quality best     # the long fit
    .venv/bin/python bench/clone.py --only allison,joe --no-wer
    .venv/bin/python bench/clone.py --ceiling --no-wer # diagnostic: the judge itself steers the search
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clonyvoice.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from bench.texts import STORY  # noqa: E402
from cloning import judge  # noqa: E402
from cloning.similarity import cosine, embed  # noqa: E402
from clonyvoice.audio import Audio, read_wav  # noqa: E402
from synthesis.engines import CloneOptions, SynthesisRequest, get_engine  # noqa: E402
from synthesis.engines.base import EngineError  # noqa: E402
from synthesis.engines.kokoro import engine as kokoro_engine  # noqa: E402
from synthesis.engines.kokoro import fitting, mixing, phonemes  # noqa: E402

SOUNDS = Path("/usr/share/asterisk/sounds")
ALSA = Path("/usr/share/sounds/alsa")
# (key, label, folder, language): Asterisk prompt sets, one speaker each (see the module doc for packages).
ASTERISK = [
    ("allison", "Allison (en, f)", "en_US_f_Allison", "en-us"),
    ("june", "June (fr-CA, f)", "fr_CA_f_June", "fr"),
    ("carlo", "Carlo (it, m)", "it_IT_m_Carlo", "it"),
    ("ivrru", "IvrvoiceRU (ru, f)", "ru_RU_f_IvrvoiceRU", "ru"),
    ("menardi", "Menardi (it, f)", "it_IT_f_Menardi", "it"),
]
SYNTHETIC = [
    ("joe", "Piper joe (syn)", "piper", "en_US-joe-medium"),
    ("slt", "Festival slt (syn)", "festival", "cmu_us_slt_arctic_hts"),
    ("kal", "Festival kal (syn)", "festival", "kal_diphone"),
    ("espeak", "eSpeak en-us+f3 (syn)", "espeak", "en-us+f3"),
]
# The sentence the clone says for the judge (held out from the fit's sentences), per language.
HELD_SENTENCE = {
    "en": "Behind him the radio was still babbling away about the plan. The screen received and sent at once.",
    "fr": "Derrière lui, la radio parlait encore du plan. L'écran recevait et transmettait en même temps.",
    "it": "Dietro di lui la radio parlava ancora del piano. Lo schermo riceveva e trasmetteva insieme.",
    "ru": "За его спиной радио всё ещё болтало о плане. Экран принимал и передавал одновременно.",
}
WER_PARAGRAPH = (
    "The old lighthouse stood at the edge of the harbour for more than a century. Every evening the keeper "
    "climbed the narrow stairs to light the lamp, and every morning he wrote a short note in the logbook."
)
FIT_SECONDS, HELD_SECONDS = 30.0, 12.0


@dataclass
class Reference:
    key: str
    label: str
    language: str
    fit: Audio
    held: Audio
    source: str
    own_voice: str = ""  # engine:voice_id of a synthetic reference, left out of voice matching's choice


def _mono(audio: Audio) -> Audio:
    return Audio(np.asarray(audio.samples, dtype=np.float32), audio.sample_rate)


def _join(parts: list[Audio], gap: float = 0.25) -> Audio:
    rate = parts[0].sample_rate
    silence = np.zeros(int(rate * gap), dtype=np.float32)
    chunks = []
    for part in parts:
        chunks += [part.samples.astype(np.float32), silence]
    return Audio(np.concatenate(chunks), rate)


def _split(clips: list[Audio]) -> tuple[Audio, Audio]:
    """Alternate utterances: every third one is held out, the rest fit, each capped in length."""
    fit, held, fit_s, held_s = [], [], 0.0, 0.0
    for index, clip in enumerate(clips):
        if index % 3 == 2 and held_s < HELD_SECONDS:
            held.append(clip)
            held_s += clip.duration
        elif index % 3 != 2 and fit_s < FIT_SECONDS:
            fit.append(clip)
            fit_s += clip.duration
    return _join(fit), _join(held)


def human_references() -> list[Reference]:
    found = []
    for key, label, folder, language in ASTERISK:
        path = SOUNDS / folder
        if not path.is_dir():
            continue
        files = sorted(path.glob("*.wav"))  # the top folder: whole prompts, not digits or letters
        clips = [_mono(read_wav(f)) for f in files]
        clips = sorted((c for c in clips if 1.5 <= c.duration <= 6.0), key=lambda c: -c.duration)[:60]
        fit, held = _split(clips)
        found.append(Reference(key, label, language, fit, held, f"{path} (Debian)"))
    alsa = [f for f in sorted(ALSA.glob("*.wav")) if f.stem != "Noise"]
    if alsa:
        clips = [_mono(read_wav(f)) for f in alsa]
        fit, held = _split(clips)
        found.append(Reference("alsa", "ALSA channels (en, f)", "en-us", fit, held, f"{ALSA} (alsa-utils)"))
    return found


def speak(engine: str, voice_id: str, text: str) -> Audio:
    return get_engine(engine).synthesize(SynthesisRequest(text=text, voice_id=voice_id))


def synthetic_references() -> list[Reference]:
    found = []
    for key, label, engine, voice_id in SYNTHETIC:
        try:
            clips = [speak(engine, voice_id, line) for line in STORY]
        except (EngineError, OSError, ValueError) as exc:  # an engine missing on this machine
            print(f"   (skipped {label}: {exc})")
            continue
        fit, held = _split(clips)
        found.append(Reference(key, label, "en-us", fit, held, f"{engine}:{voice_id}", f"{engine}:{voice_id}"))
    return found


def kokoro_says(table: np.ndarray, text: str, language: str) -> Audio:
    kokoro = kokoro_engine._load()
    ipa = phonemes.phonemize(text, phonemes.resolve(language) or "en-us")
    samples, rate = kokoro.create(ipa, voice=table.reshape(510, 1, 256), speed=1.0, is_phonemes=True)
    return Audio(np.clip(np.asarray(samples, dtype=np.float32), -1, 1), rate)


def voice_matching(ref: Reference, text: str) -> tuple[float, float, str]:
    """Judge similarity of a voice-matching clone speaking `text`, its time, and the preset it moved."""
    matching = get_engine("matching")
    started = time.monotonic()
    exclude = (ref.own_voice,) if ref.own_voice else ()
    with tempfile.TemporaryDirectory() as folder:
        profile = matching.clone(
            reference=ref.fit, language=ref.language, voice_dir=Path(folder), options=CloneOptions(exclude=exclude)
        )
    took = time.monotonic() - started
    spoken = matching.synthesize(
        SynthesisRequest(text=text, voice_id="", language=ref.language, options={"profile": profile})
    )
    base = profile.get("base") or {}
    return judge.similarity(ref.held, spoken), took, f"{base.get('engine')}:{base.get('voice_id')}"


def fitting_encoder(reference: Audio, candidate: Audio) -> float:
    band = min(reference.sample_rate, fitting.FEATURE_RATE)
    a = fitting._channel(reference.samples, reference.sample_rate, band)
    b = fitting._channel(candidate.samples, candidate.sample_rate, band)
    return cosine(embed(Audio(a, 16000)), embed(Audio(b, 16000)))


def wer_of(table: np.ndarray) -> float:
    from cloning.transcription import transcribe, word_error_rate

    audio = kokoro_says(table, WER_PARAGRAPH, "en-us")
    text = transcribe(fitting._to_rate(audio.samples, audio.sample_rate, 16000), model="base", language="en").text
    return word_error_rate(WER_PARAGRAPH, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quality", default="fast", choices=sorted(fitting.QUALITIES))
    parser.add_argument("--only", default="", help="comma-separated reference keys")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-wer", action="store_true")
    parser.add_argument("--save", default="", help="folder to save fitted tables (.npy) and audio")
    parser.add_argument("--weights", default="", help="objective weights to try, e.g. ltas=0.5,dynamics=0.3")
    parser.add_argument("--set", default="", help="search settings to try, e.g. dims=16,generations=6,pick=mean")
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="diagnostic, never the product: search with the judge itself as the fitting encoder (on the fitting "
        "half) to see how far the judge can move in this space at all; still measured on held-out audio and text",
    )
    args = parser.parse_args()
    if args.ceiling:
        import cloning.similarity

        def judge_embed(audio: Audio, *, fast: bool = False) -> np.ndarray:
            return judge.embedding(audio)

        cloning.similarity.embed = judge_embed
        print("CEILING DIAGNOSTIC: the search is scored by the judge; these are not clone results\n")
    for item in filter(None, args.weights.split(",")):
        name, value = item.split("=")
        fitting.WEIGHTS[name] = float(value)
    overrides = None
    if args.set:
        changes = dict(item.split("=") for item in args.set.split(","))
        base = fitting.QUALITIES[args.quality]
        typed = {key: type(getattr(base, key))(value) for key, value in changes.items()}
        overrides = dataclasses.replace(base, **typed)
    print(f"weights {fitting.WEIGHTS}; search {overrides or fitting.QUALITIES[args.quality]}")
    only = {key for key in args.only.split(",") if key}

    tables = fitting.packaged_tables()
    references = [r for r in human_references() + synthetic_references() if not only or r.key in only]
    print(f"Kokoro fit ({args.quality}, seed {args.seed}); judge: {judge.NAME}; {len(references)} references\n")
    header = (
        f"{'reference':<24}{'fit/held s':>11}  {'preset':>7}{'match':>7}{'time s':>7}  {'kokoro':>7}{'gain':>7}"
        f"{'fit enc':>8}{'(preset)':>9}{'WER':>6}{'time s':>8}"
    )
    print(header + "\n" + "-" * len(header))
    rows = []
    for ref in references:
        held_sentence = HELD_SENTENCE.get(ref.language.split("-")[0], HELD_SENTENCE["en"])
        preset_judge = {}
        for name, table in tables.items():
            preset_judge[name] = judge.similarity(ref.held, kokoro_says(table, held_sentence, ref.language))
        best_preset = max(preset_judge, key=preset_judge.get)
        preset_enc = fitting_encoder(ref.held, kokoro_says(tables[best_preset], held_sentence, ref.language))
        started = time.monotonic()
        table, report = fitting.fit(
            ref.fit, language=ref.language, quality=args.quality, seed=args.seed, overrides=overrides
        )
        matched, matching_s, matching_base = voice_matching(ref, held_sentence)
        start_table = sum(tables[name] * weight for name, weight in mixing.parse(report["start"]))
        start_judge = judge.similarity(ref.held, kokoro_says(start_table, held_sentence, ref.language))
        took = time.monotonic() - started
        clone_audio = kokoro_says(table, held_sentence, ref.language)
        clone_judge = judge.similarity(ref.held, clone_audio)
        clone_enc = fitting_encoder(ref.held, clone_audio)
        wer = float("nan") if args.no_wer else wer_of(table)
        if args.save:
            folder = Path(args.save)
            folder.mkdir(parents=True, exist_ok=True)
            fitting.save_table(folder / f"{ref.key}.npy", table)
        gain = clone_judge - preset_judge[best_preset]
        rows.append((ref, preset_judge[best_preset], clone_judge, gain, clone_enc, wer, took, report, matched))
        print(
            f"{ref.label:<24}{ref.fit.duration:5.1f}/{ref.held.duration:<5.1f}  {preset_judge[best_preset]:7.3f}"
            f"{matched:7.3f}{matching_s:7.1f}  {clone_judge:7.3f}{gain:+7.3f}{clone_enc:8.3f}{preset_enc:9.3f}"
            f"{wer:6.1%}{took:8.1f}",
            flush=True,
        )
        print(
            f"    best preset by judge {best_preset}; matching moved {matching_base}; fit started from "
            f"{report['start']} (judge {start_judge:.3f}); "
            f"fit score {report['start_score']:.3f}→{report['score']:.3f} "
            f"({report['evaluations']} evals, {report['generations']} gens); terms {report['terms']}",
            flush=True,
        )
    if not rows:
        print("no references")
        return
    gains = [row[3] for row in rows]
    wers = [row[5] for row in rows if row[5] == row[5]]
    matching_wins = sum(r[8] > max(r[1], r[2]) for r in rows)
    print(
        f"\nmean judge: preset {statistics.mean(r[1] for r in rows):.3f}, voice matching "
        f"{statistics.mean(r[8] for r in rows):.3f} (best of the three on {matching_wins}/{len(rows)}), kokoro fit "
        f"{statistics.mean(r[2] for r in rows):.3f}"
        f" (gain {statistics.mean(gains):+.3f}; above the preset on {sum(g > 0 for g in gains)}/{len(gains)}); "
        f"mean WER {statistics.mean(wers) if wers else float('nan'):.1%}; "
        f"fit time mean {statistics.mean(r[6] for r in rows):.1f} s, max {max(r[6] for r in rows):.1f} s"
    )
    print("anchors on the same judge: " + ", ".join(f"{k} {v:.3f}" for k, v in judge.ANCHORS.items()))
    print(f"(tables are not kept unless --save; temp dir {tempfile.gettempdir()})")


if __name__ == "__main__":
    main()
