"""Word timings: Whisper alignment against Kokoro's own durations, and what each costs, in one run.

Kokoro predicts every phoneme's duration, so its word timings are exact for the audio it made (see
`synthesis/engines/kokoro/timing.py`). The same audio is then aligned to its text by Whisper the way every
other engine's takes are (`synthesis/wordtimings/align.py`), and the two are compared word by word:

1. Error: |Whisper - Kokoro| of every word's start and end, over a 10-sentence text (the first ten sentences
   of `LIGHTHOUSE`) spoken sentence by sentence with Kokoro. Target: median ≤ 50 ms.
2. Cost: the time Kokoro's word timings add to a sentence (mapping phonemes onto words; the durations come
   with the audio), and Whisper's alignment per sentence, one sentence at a time vs packed into 30 s windows
   as the alignment job does.

`--calibrate` measures the alignment's steady bias instead (on `STORY`, a text the error figure does not use)
and prints the `BIAS` entry for the Whisper model in use.

    .venv/bin/python bench/word_timings.py [--voice jf_alpha] [--language en-us] [--sentences 10] [--calibrate]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clonyvoice.settings")

import django  # noqa: E402

django.setup()

from bench.texts import LIGHTHOUSE, STORY  # noqa: E402
from cloning.transcription.catalog import resolve_model  # noqa: E402
from synthesis.engines import Audio, SynthesisRequest, WordTiming, get_engine  # noqa: E402
from synthesis.engines.kokoro import phonemes, timing  # noqa: E402
from synthesis.wordtimings.align import BIAS, align, align_many  # noqa: E402
from synthesis.wordtimings.words import from_engine  # noqa: E402

Spoken = list[tuple[Audio, str, list[WordTiming]]]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def speak(texts: list[str], voice: str, language: str) -> tuple[Spoken, float]:
    """Each sentence with Kokoro, its words timed from the durations; and the seconds it took."""
    kokoro = get_engine("kokoro")
    spoken: Spoken = []
    started = time.perf_counter()
    for text in texts:
        speech, timings = kokoro.synthesize_timed(SynthesisRequest(text=text, voice_id=voice, language=language))  # type: ignore[attr-defined]
        spoken.append((speech, text, from_engine(text, timings, speech.duration)))
    return spoken, time.perf_counter() - started


def signed(spoken: Spoken, aligned: list[list[WordTiming]]) -> tuple[list[float], list[float]]:
    """Whisper minus Kokoro, in ms, of the starts and ends inside a take (not the take's first start or last end)."""
    starts, ends = [], []
    for (_, _, truth), words in zip(spoken, aligned, strict=True):
        for index, (ref, got) in enumerate(zip(truth, words, strict=True)):
            if index:
                starts.append((got.start - ref.start) * 1000)
            if index < len(words) - 1:
                ends.append((got.end - ref.end) * 1000)
    return starts, ends


def errors(spoken: Spoken, aligned: list[list[WordTiming]]) -> tuple[list[float], list[float]]:
    starts, ends = [], []
    for (_, _, truth), words in zip(spoken, aligned, strict=True):
        for ref, got in zip(truth, words, strict=True):
            starts.append(abs(got.start - ref.start) * 1000)
            ends.append(abs(got.end - ref.end) * 1000)
    return starts, ends


def calibrate(voice: str, language: str) -> None:
    model = resolve_model(None, language=language.split("-")[0]).name
    spoken, _ = speak(STORY, voice, language)
    starts, ends = signed(spoken, align_many([(speech, text, language) for speech, text, _ in spoken]))
    now = BIAS.get(model, (0.0, 0.0))
    late_start = now[0] - statistics.median(starts) / 1000
    late_end = now[1] - statistics.median(ends) / 1000
    residual = f"start {statistics.median(starts):+.0f} ms, end {statistics.median(ends):+.0f} ms"
    print(f"Whisper {model}: residual median {residual}")
    print(f'BIAS["{model}"] = ({late_start:.3f}, {late_end:.3f})  (now {now})')


def evaluate(voice: str, language: str, count: int) -> None:
    texts = re.split(r"(?<=[.!?])\s+", LIGHTHOUSE)[:count]
    kokoro = get_engine("kokoro")
    kokoro.synthesize(SynthesisRequest(text="Warm up.", voice_id=voice, language=language))
    spoken, synth_seconds = speak(texts, voice, language)
    audio_seconds = sum(speech.duration for speech, _, _ in spoken)

    # Kokoro's added cost: phonemes → words, on its own (the durations come out of the same model run).
    model, _tables = kokoro.runtime()  # type: ignore[attr-defined]
    mapping_seconds = 0.0
    for text in texts:
        ipa = phonemes.phonemize(text, language)
        _, _, phoneme_timings = model.create_timed(ipa, voice=kokoro.style(voice), is_phonemes=True)  # type: ignore[attr-defined]
        started = time.perf_counter()
        timing.word_timings(text, language, phoneme_timings)
        mapping_seconds += time.perf_counter() - started

    align(spoken[0][0], spoken[0][1], language=language)  # load Whisper
    started = time.perf_counter()
    single = [align(speech, text, language=language) for speech, text, _ in spoken]
    single_seconds = time.perf_counter() - started
    started = time.perf_counter()
    packed = align_many([(speech, text, language) for speech, text, _ in spoken])
    packed_seconds = time.perf_counter() - started

    n = len(texts)
    words = sum(len(truth) for _, _, truth in spoken)
    whisper = resolve_model(None, language=language.split("-")[0]).name
    print(
        f"Kokoro {voice} ({language}): {n} sentences, {words} words, {audio_seconds:.1f} s of speech; Whisper {whisper}"
    )
    print(f"  synthesis: {synth_seconds / n * 1000:.0f} ms per sentence (durations included)")
    print(f"  word timings from Kokoro's durations: +{mapping_seconds / n * 1000:.1f} ms per sentence")
    print(f"  Whisper alignment, one sentence at a time: {single_seconds / n * 1000:.0f} ms per sentence")
    print(f"  Whisper alignment, packed in 30 s windows (the product): {packed_seconds / n * 1000:.0f} ms per sentence")
    print()
    print("Whisper alignment vs Kokoro's durations, ms          median    p90    max")
    for label, aligned in (("one at a time", single), ("packed (the product)", packed)):
        starts, ends = errors(spoken, aligned)
        for name, values in (("starts", starts), ("ends", ends), ("all boundaries", starts + ends)):
            figures = f"{statistics.median(values):10.0f} {percentile(values, 0.9):6.0f} {max(values):6.0f}"
            print(f"  {label:22} {name:16} {figures}")
    starts, ends = errors(spoken, packed)
    median = statistics.median(starts + ends)
    verdict = "met" if median <= 50 else "NOT met"
    print(f"\nmedian word timing error (packed): {median:.0f} ms; target ≤ 50 ms: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voice", default="jf_alpha")
    parser.add_argument("--language", default="en-us")
    parser.add_argument("--sentences", type=int, default=10)
    parser.add_argument("--calibrate", action="store_true", help="measure the alignment's bias on STORY")
    args = parser.parse_args()
    if args.calibrate:
        calibrate(args.voice, args.language)
    else:
        evaluate(args.voice, args.language, args.sentences)


if __name__ == "__main__":
    main()
