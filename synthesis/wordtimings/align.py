"""Forced alignment of a known text to speech with Whisper: worker code only.

Whisper is not asked what it hears: the text is known, so its tokens are handed to the decoder and the
cross-attention alignment (faster-whisper's `find_alignment`, the same DTW its word timestamps use) says when
each token is spoken: one encoder pass and one decoder pass per 30 s window of takes, no beam search. Whisper's
words are mapped back onto the text's words by their character spans, which cover the same text. A take longer
than Whisper's window, or a text Whisper cannot tokenize, falls back to timings spread by word length.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from cloning.transcription.catalog import resolve_model
from cloning.transcription.engine import SAMPLE_RATE, load
from clonyvoice import audio as audio_io
from clonyvoice.audio import Audio
from synthesis.engines import WordTiming
from synthesis.wordtimings.words import fill, spread, text_words

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

WINDOW_SECONDS = 30.0
SEPARATOR_SECONDS = 0.3  # silence between takes that share a window, so no word straddles two takes
# Whisper's alignment runs early or late by a steady amount that depends on the model: (start, end) seconds to
# add inside a take, measured against Kokoro's own durations by `bench/word_timings.py --calibrate` on a text
# that the benchmark's error figure does not use. Unlisted models are taken as they come.
BIAS = {"base": (0.11, 0.07), "tiny.en": (-0.03, -0.075)}
QUIET_DB = -40.0  # below the take's loudest 10 ms by this much is silence (before the first word, after the last)


def _tokenizer(model: WhisperModel, language: str | None):
    from faster_whisper.tokenizer import Tokenizer

    multilingual = model.model.is_multilingual
    code = (language or "en").split("-")[0].lower() if multilingual else None
    if multilingual and code not in model.supported_languages:
        code = "en"
    return Tokenizer(model.hf_tokenizer, multilingual, task="transcribe" if multilingual else None, language=code)


def _whisper_spans(model: WhisperModel, samples: np.ndarray, text: str, language: str | None) -> list[dict]:
    from faster_whisper.audio import pad_or_trim

    tokenizer = _tokenizer(model, language)
    tokens = tokenizer.encode(" " + text)
    features = model.feature_extractor(samples)
    frames = features.shape[-1]
    encoded = model.encode(pad_or_trim(features))
    aligned = model.find_alignment(tokenizer, [tokens], encoded, frames)
    return aligned[0] if aligned else []


def _onto_text(words: list[str], whisper_words: list[dict]) -> list[tuple[float, float] | None]:
    """Each text word's span: from the first to the last Whisper word overlapping its characters."""
    bounds = []
    at = 0
    joined = " ".join(words)
    for word in words:
        start = joined.index(word, at)
        bounds.append((start, start + len(word)))
        at = start + len(word)
    spans: list[tuple[float, float] | None] = [None] * len(words)
    cursor = -1  # Whisper's words are " " + text split in pieces: offset -1 drops the leading space
    index = 0
    for piece in whisper_words:
        low, high = cursor, cursor + len(piece["word"])
        cursor = high
        while index < len(words) and bounds[index][1] <= low:
            index += 1
        j = index
        while j < len(words) and bounds[j][0] < high:
            if bounds[j][1] > low:
                start, end = float(piece["start"]), float(piece["end"])
                known = spans[j]
                spans[j] = (start, end) if known is None else (min(known[0], start), max(known[1], end))
            j += 1
    return spans


def align(speech: Audio, text: str, *, language: str | None = None) -> list[WordTiming]:
    """When each word of `text` is heard in `speech` (seconds from its start)."""
    return align_many([(speech, text, language)])[0]


def align_many(items: Sequence[tuple[Audio, str, str | None]]) -> list[list[WordTiming]]:
    """Align several (speech, text, language) items; consecutive short ones of one language share a window.

    Whisper's encoder always reads 30 s, so a 3 s sentence costs as much as ten of them: packing takes into one
    window (with a short silence between them) is what keeps alignment cheap on a CPU.
    """
    results: list[list[WordTiming]] = [[] for _ in items]
    batch: list[int] = []
    batch_seconds = 0.0

    def flush() -> None:
        nonlocal batch, batch_seconds
        if batch:
            for index, words in zip(batch, _align_window([items[i] for i in batch]), strict=True):
                results[index] = words
        batch, batch_seconds = [], 0.0

    for index, (speech, text, language) in enumerate(items):
        seconds = speech.duration + SEPARATOR_SECONDS
        if not text_words(text) or speech.duration <= 0 or seconds > WINDOW_SECONDS:
            results[index] = spread(text, speech.duration)
            continue
        if batch and (batch_seconds + seconds > WINDOW_SECONDS or _code(items[batch[0]][2]) != _code(language)):
            flush()
        batch.append(index)
        batch_seconds += seconds
    flush()
    return results


def _code(language: str | None) -> str | None:
    return (language or "").split("-")[0].lower() or None


def _align_window(items: list[tuple[Audio, str, str | None]]) -> list[list[WordTiming]]:
    silence = np.zeros(int(SEPARATOR_SECONDS * SAMPLE_RATE), dtype=np.float32)
    pieces: list[np.ndarray] = []
    offsets: list[float] = []
    words: list[str] = []
    counts: list[int] = []
    for speech, text, _language in items:
        offsets.append(sum(len(p) for p in pieces) / SAMPLE_RATE)
        pieces += [audio_io.resample(speech, SAMPLE_RATE).samples.astype(np.float32, copy=False), silence]
        item_words = text_words(text)
        words += item_words
        counts.append(len(item_words))
    samples = np.concatenate(pieces)
    code = _code(items[0][2])
    info = resolve_model(None, language=code)
    model = load(info)
    whisper_words = _whisper_spans(model, samples, " ".join(words), code)
    if "".join(piece["word"] for piece in whisper_words) == " " + " ".join(words):
        timed = fill(words, _onto_text(words, whisper_words), len(samples) / SAMPLE_RATE)
    else:  # the tokenizer did not give the text back: nothing to map onto
        return [spread(text, speech.duration) for speech, text, _language in items]
    out: list[list[WordTiming]] = []
    at = 0
    for (speech, _text, _language), offset, count in zip(items, offsets, counts, strict=True):
        out.append(_settle(timed[at : at + count], speech, offset=offset, bias=BIAS.get(info.name, (0.0, 0.0))))
        at += count
    return out


def _sounding(speech: Audio) -> tuple[float, float]:
    """Where sound begins and ends in `speech` (10 ms frames above `QUIET_DB` of the loudest)."""
    frame = max(1, speech.sample_rate // 100)
    usable = len(speech.samples) // frame * frame
    if not usable:
        return 0.0, speech.duration
    loudness = np.sqrt((speech.samples[:usable].reshape(-1, frame) ** 2).mean(axis=1))
    loud = np.flatnonzero(loudness > loudness.max() * 10 ** (QUIET_DB / 20))
    if not len(loud):
        return 0.0, speech.duration
    return float(loud[0] * frame / speech.sample_rate), float((loud[-1] + 1) * frame / speech.sample_rate)


def _settle(words: list[WordTiming], speech: Audio, *, offset: float, bias: tuple[float, float]) -> list[WordTiming]:
    """One take's words from a shared window: in the take's own time, the model's bias taken out, the first
    word starting where sound starts and the last ending where it ends (Whisper stretches them to the edges)."""
    duration = speech.duration
    onset, offset_end = _sounding(speech)
    late_start, late_end = bias
    out: list[WordTiming] = []
    floor = 0.0
    for index, word in enumerate(words):
        start = word.start - offset + (late_start if index else 0.0)
        end = word.end - offset + (late_end if index < len(words) - 1 else 0.0)
        if index == 0:
            start = max(start, min(onset, end))
        if index == len(words) - 1:
            end = min(end, max(offset_end, start))
        start = min(max(start, floor), duration)
        end = min(max(end, start), duration)
        out.append(WordTiming(word.word, start, end))
        floor = end
    return out
