"""The words of a text and their timings: pure functions the web process and the worker share.

A word is a whitespace-separated token of the text a take spoke, punctuation included ("friend."), so the
words of a take read back as its text and the Studio can highlight them in place. A take stores its words
relative to its own audio; a generation or a timeline places them in its own time base when asked.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from synthesis.engines import WordTiming


def stored(words: Sequence[WordTiming]) -> list[dict[str, Any]]:
    """A take's words as it keeps them (`Take.words`): milliseconds are enough for any subtitle or highlight."""
    return [{"word": w.word, "start": round(w.start, 3), "end": round(w.end, 3)} for w in words]


def text_words(text: str) -> list[str]:
    return text.split()


def spoken_weight(word: str) -> int:
    """How long a word is likely to take, in letters and digits (at least 1, so a mark still gets a moment)."""
    return max(1, sum(1 for ch in word if unicodedata.category(ch)[0] in "LN"))


def fill(words: Sequence[str], spans: Sequence[tuple[float, float] | None], duration: float) -> list[WordTiming]:
    """Timed words from the spans known for some of them: the others share the time between known neighbours
    in proportion to their length. The result is monotonic and inside [0, duration]."""
    n = len(words)
    known = [i for i, span in enumerate(spans) if span is not None]
    starts = [0.0] * n
    ends = [0.0] * n
    for i in known:
        starts[i], ends[i] = spans[i]  # type: ignore[misc]
    cursor = 0
    for boundary in [*known, n]:
        gap = list(range(cursor, boundary))
        if gap:
            left = ends[cursor - 1] if cursor > 0 else 0.0
            right = starts[boundary] if boundary < n else duration
            right = max(right, left)
            total = sum(spoken_weight(words[i]) for i in gap)
            at = left
            for i in gap:
                step = (right - left) * spoken_weight(words[i]) / total
                starts[i], ends[i] = at, at + step
                at += step
        cursor = boundary + 1
    out: list[WordTiming] = []
    floor = 0.0
    for word, start, end in zip(words, starts, ends, strict=True):
        start = min(max(start, floor), duration)
        end = min(max(end, start), duration)
        out.append(WordTiming(word, start, end))
        floor = end
    return out


def spread(text: str, duration: float) -> list[WordTiming]:
    """Timings by length alone: the fallback when nothing better is known."""
    words = text_words(text)
    return fill(words, [None] * len(words), duration)


def join_offsets(durations: Sequence[float], *, gap: float, crossfade: float) -> list[float]:
    """Where each part starts in `clonyvoice.audio.join(parts, gap=..., crossfade=...)` (a gap wins)."""
    offsets: list[float] = []
    at = 0.0  # the length joined so far
    for index, duration in enumerate(durations):
        if index:
            at += gap if gap > 0 else -min(crossfade, at, duration)
        offsets.append(at)
        at += duration
    return offsets


def shifted(words: Sequence[dict], *, offset: float, chunk: int, clip: tuple[float, float] | None = None) -> list[dict]:
    """A take's stored words moved by `offset` seconds and tagged with their chunk; `clip` keeps only the words
    heard inside [in, out) of the take (a timeline block plays part of it), cut to that span."""
    out = []
    for word in words:
        start, end = float(word["start"]), float(word["end"])
        if clip is not None:
            low, high = clip
            if end <= low or start >= high:
                continue
            start, end = max(start, low), min(end, high)
        out.append(
            {"word": word["word"], "start": round(start + offset, 3), "end": round(end + offset, 3), "chunk": chunk}
        )
    return out


def from_engine(text: str, timings: Sequence[WordTiming | None], duration: float) -> list[WordTiming]:
    """An engine's timings for the words of `text`, the ones it could not tell filled in between."""
    words = text_words(text)
    if len(timings) != len(words):
        return spread(text, duration)
    return fill(words, [None if t is None else (t.start, t.end) for t in timings], duration)
