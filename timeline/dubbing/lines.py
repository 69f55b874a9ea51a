"""The dub's lines: Whisper's segments placed at their sound, and the pieces of one sentence joined into one line.

Whisper may cut a sentence spoken without a pause into two segments. Translated apart, each half is worse, and the
first (longer in most target languages) cannot fit its short slot and pushes the second late. So consecutive
segments of one speaker that do not end a sentence and have no pause between them (less than PAUSE s of quiet in
the source's own sound, not only in Whisper's times) become one line: one slot, one translation. The other way
round, Whisper may hear several sentences with pauses between them as one segment: it is cut where a sentence ends
at a pause, so that each sentence is fitted into its own slot.
"""

from __future__ import annotations

import re
from typing import Any

from cloning.transcription.transcript import Segment, Transcript, Word
from clonyvoice.audio import Audio
from timeline.dubbing.fitting import Slot, longest_quiet, sound_span

MIN_LINE_SECONDS = 0.3
PAUSE = 0.25  # less quiet than this between two segments is no pause: one breath, one line
AROUND_EDGE = 0.15  # how far past the segments' edges the pause is looked for (their edges may sit inside it)
# a sentence's last mark (also the ideographic and fullwidth ones), then any closing quotes or brackets
SENTENCE_END = re.compile("[.!?\u2026\u3002\uff01\uff1f\u061f][\"'\u201d\u2019\u00bb)\\]]*$")


def _sentences(segment: Segment, sound: Audio) -> list[tuple[str, list[Word]]]:
    """A segment's text and words, cut after each word that ends a sentence and is followed by a pause (PAUSE s of
    quiet in the sound between it and the next word)."""
    words = segment.words
    pieces: list[list[Word]] = [[]]
    for word, following in zip(words, [*words[1:], None], strict=True):
        pieces[-1].append(word)
        if following is None or not ends_sentence(word.word):
            continue
        quiet_from, quiet_to = longest_quiet(
            sound,
            max(word.start, word.end - AROUND_EDGE),
            min(following.end, following.start + AROUND_EDGE),
            loudest=(pieces[-1][0].start, following.end),
        )
        if quiet_to - quiet_from >= PAUSE:
            pieces.append([])
    if len(pieces) == 1:
        return [(" ".join(segment.text.split()), words)]
    return [(" ".join("".join(word.word for word in piece).split()), piece) for piece in pieces]


def heard_lines(transcript: Transcript, sound: Audio) -> list[dict[str, Any]]:
    """The sentences Whisper heard, timed by their first and last words and the sound itself, in order and never
    overlapping."""
    duration = sound.duration
    lines: list[dict[str, Any]] = []
    previous_end = 0.0
    for segment in transcript.segments:
        for text, words in _sentences(segment, sound):
            if not text:
                continue
            start = words[0].start if words else segment.start
            end = words[-1].end if words else segment.end
            start = max(start, previous_end)
            end = min(max(end, start + MIN_LINE_SECONDS), duration) if duration > start else start + MIN_LINE_SECONDS
            start, end = sound_span(sound, start, end)
            lines.append(
                {
                    "index": len(lines),
                    "start": round(start, 3),
                    "end": round(end, 3),
                    "source_text": text,
                    "first_word_end": words[0].end if words else start,
                    "last_word_start": words[-1].start if words else end,
                }
            )
            previous_end = end
    return lines


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text.strip()))


def _pause(sound: Audio, before: dict[str, Any], after: dict[str, Any]) -> tuple[float, float]:
    """The longest quiet between two segments, looked for from the first's last word to the next's first word: a
    segment's edge may sit past the pause, over the next one's first sound, when Whisper's times are off."""
    start = max(before["start"], min(before["end"], before["last_word_start"]) - AROUND_EDGE)
    end = min(after["end"], max(after["start"], after["first_word_end"]) + AROUND_EDGE)
    return longest_quiet(sound, start, end, loudest=(before["start"], after["end"]))


def join_run_on(lines: list[dict[str, Any]], speakers: list[str], sound: Audio) -> list[dict[str, Any]]:
    """`lines` with their `speaker`: a sentence's pieces spoken without a pause joined into one line (its slot from
    the first piece's sound to the last one's); where there is a pause, the lines' edges at it."""
    joined: list[dict[str, Any]] = []
    for line, speaker in zip(lines, speakers, strict=True):
        line = {**line, "speaker": speaker}
        last = joined[-1] if joined else None
        if last is not None:
            quiet_from, quiet_to = _pause(sound, last, line)
            if quiet_to - quiet_from >= PAUSE:
                # the pause's edges are the sound's: a word time may sit inside the pause or past its end
                if quiet_from - last["start"] >= MIN_LINE_SECONDS:
                    last["end"] = quiet_from
                if line["end"] - quiet_to >= MIN_LINE_SECONDS:
                    line["start"] = quiet_to
            elif last["speaker"] == speaker and not ends_sentence(last["source_text"]):
                last.update(
                    end=line["end"],
                    source_text=f"{last['source_text']} {line['source_text']}",
                    last_word_start=line["last_word_start"],
                )
                continue
        joined.append({**line, "index": len(joined)})
    return joined


def slots_of(lines: list[dict[str, Any]], duration: float) -> list[Slot]:
    return [
        Slot(
            start=line["start"],
            end=line["end"],
            next_start=lines[i + 1]["start"] if i + 1 < len(lines) else max(duration, line["end"]),
        )
        for i, line in enumerate(lines)
    ]
