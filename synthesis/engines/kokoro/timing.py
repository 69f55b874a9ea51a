"""Kokoro's own word timings: the duration it predicts for every phoneme, mapped onto the words of the text.

The packaged int8 export returns only audio, but its graph computes each token's duration in frames (600
samples at 24 kHz) before it upsamples: `DURATION_TENSOR`, the rounded and clipped prediction. A copy of the
model that also outputs it as `duration` (what kokoro-onnx looks for, `Kokoro.create_timed`) is derived once
beside the packaged file; the audio it makes is the same. Phonemes map onto words by matching the sentence's
IPA against each word's own IPA, sound by sound (espeak-ng may write one word as two: "42" is "forty two").
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from synthesis.engines.base import WordTiming
from synthesis.engines.kokoro import phonemes

DURATION_OUTPUT = "duration"
DURATION_TENSOR = "/encoder/Clip_output_0"
_STRESS = frozenset("ˈˌ")


class PhonemeTiming(Protocol):
    phoneme: str
    start: float
    end: float


def timed_model(path: Path) -> Path:
    """The model file to load: `path` itself if it reports durations (or is an export this does not know),
    else the copy beside it that does, made on first use (written to a temporary name, then renamed)."""
    import onnx

    target = path.with_name(path.name.removesuffix(".onnx") + ".timed.onnx")
    if target.exists() and target.stat().st_mtime >= path.stat().st_mtime:
        return target
    model = onnx.load(str(path))
    outputs = {output.name for output in model.graph.output}
    produced = {name for node in model.graph.node for name in node.output}
    if DURATION_OUTPUT in outputs or DURATION_TENSOR not in produced:
        return path
    model.graph.node.append(onnx.helper.make_node("Identity", [DURATION_TENSOR], [DURATION_OUTPUT]))
    model.graph.output.append(onnx.helper.make_tensor_value_info(DURATION_OUTPUT, onnx.TensorProto.FLOAT, None))
    staged = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        onnx.save(model, str(staged))
        staged.replace(target)
    finally:
        staged.unlink(missing_ok=True)
    return target


def _is_sound(ch: str) -> bool:
    return ch not in _STRESS and unicodedata.category(ch)[0] == "L"


def word_timings(text: str, language: str, spoken: Sequence[PhonemeTiming]) -> list[WordTiming | None]:
    """One entry per whitespace-separated word of `text`: from its first phoneme (a stress mark before it
    included: the model gives it frames of the word's onset) to its last matched sound."""
    words = text.split()
    sounds = [i for i, t in enumerate(spoken) if _is_sound(t.phoneme)]
    owner: list[int] = []
    wanted: list[str] = []
    for index, ipa in enumerate(phonemes.phonemize_words(words, language)):
        letters = [ch for ch in ipa if _is_sound(ch)]
        owner += [index] * len(letters)
        wanted += letters
    heard = "".join(spoken[i].phoneme for i in sounds)
    matcher = difflib.SequenceMatcher(None, heard, "".join(wanted), autojunk=False)
    word_of: dict[int, int] = {}
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            word_of[sounds[a + k]] = owner[b + k]
    following: int | None = None  # the word of the next sound, until a space or a mark breaks the run
    for i in range(len(spoken) - 1, -1, -1):
        phoneme = spoken[i].phoneme
        if _is_sound(phoneme):
            following = word_of.get(i)
        elif phoneme in _STRESS and following is not None:
            word_of[i] = following
        else:
            following = None
    spans: list[WordTiming | None] = [None] * len(words)
    for i, index in word_of.items():
        timing, known = spoken[i], spans[index]
        start = timing.start if known is None else min(known.start, timing.start)
        end = timing.end if known is None else max(known.end, timing.end)
        spans[index] = WordTiming(words[index], start, end)
    return spans
