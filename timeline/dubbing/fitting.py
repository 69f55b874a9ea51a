"""A translated line spoken into its time slot: the silence after the slot first, then the speaking speed, then a
time-stretch.

Speak at speed 1 and measure the speech without its leading and trailing silence. A line may run on into the
silence after its slot, up to BREATH before the next line's start (its `room`): compressing every line to its own
slot sped nearly every Spanish line of an English source up to both caps, while the pauses after them stayed empty
(bench/dub.py: 11 of 20 lines at the caps, 3 when the pause is used; no line starts later). If it is longer than its
room, speak again at the speed that fits (the engine's own, 1 to 1.25; an engine without one is stretched instead),
then stretch what is still too long with Rubber Band (at most 1.15). What still does not fit runs on up to the next
line's start; past that, the next line starts later (`place`). Speech never overlaps itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from clonyvoice import audio
from clonyvoice.audio import Audio
from synthesis.engines import get_engine
from synthesis.speech import speak
from voices.models import Voice

MAX_SPEED = 1.25
MAX_STRETCH = 1.15
SLACK = 0.02  # a line this much (relative) over its slot is left as it is
SILENCE_BELOW_PEAK_DB = 40.0
BREATH = 0.15  # s of the pause before the next line that a line leaves quiet when it runs into the pause
EDGE_PAD = 0.02  # kept around the speech so that its first consonant is not cut
FRAME = 0.01
SUSTAINED_FRAMES = 4  # sound lasts 40 ms: a 25 ms blip (3 frames at most where it straddles them) does not
RELEASE = 0.1  # a short burst this soon after the sound is a final consonant's release, kept


@dataclass(frozen=True)
class Slot:
    """Where a line belongs: the source segment's `start`..`end`, and where the next one starts (the limit)."""

    start: float
    end: float
    next_start: float | None

    @property
    def length(self) -> float:
        return max(0.05, self.end - self.start)

    @property
    def room(self) -> float:
        """How long the line may speak: its slot and the pause after it, less a breath before the next line."""
        if self.next_start is None:
            return self.length
        return max(self.length, self.next_start - self.start - BREATH)


@dataclass(frozen=True)
class FittedSpeech:
    """A line's speech trimmed to its sound and fitted: at `speed` by the engine, stretched by `stretch`."""

    audio: Audio
    speed: float
    stretch: float
    seconds: float  # synthesis wall time, all attempts

    @property
    def duration(self) -> float:
        return self.audio.duration


@dataclass(frozen=True)
class Placement:
    speech_start: float
    speech_end: float
    moved_by: float  # how far the speech runs past its slot's end (into the silence after it, or later)
    delayed_by: float  # how late it starts because the line before could not end in time


def _levels(samples: np.ndarray, rate: int) -> tuple[np.ndarray, int]:
    """RMS in dB of consecutive FRAME-long frames, and the frame's length in samples."""
    frame = max(1, int(rate * FRAME))
    count = len(samples) // frame
    rms = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame).astype(np.float64) ** 2, axis=1) + 1e-12)
    return 20 * np.log10(rms), frame


def sustained(loud: np.ndarray) -> tuple[int, int] | None:
    """The first and last loud frame of the sound that lasts: it starts with a run of SUSTAINED_FRAMES loud frames
    (a click or a blip before it is not its start) and ends with such a run, or a short burst RELEASE s after one
    (the release of a final consonant). When nothing lasts, the short bursts themselves."""
    flags = np.concatenate([[False], np.asarray(loud, dtype=bool), [False]])
    edges = np.flatnonzero(np.diff(flags.astype(np.int8)))
    runs = [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    long = [run for run in runs if run[1] - run[0] + 1 >= SUSTAINED_FRAMES]
    if not long:
        return (runs[0][0], runs[-1][1]) if runs else None
    end = long[-1][1]
    for begin, last in runs:
        if begin > end and begin - end <= RELEASE / FRAME:
            end = last
    return long[0][0], end


def trim(spoken: Audio) -> Audio:
    """The speech without the silence an engine leaves before and after it (and a blip or click in that
    silence)."""
    samples = spoken.samples
    level, frame = _levels(samples, spoken.sample_rate)
    if not len(level):
        return spoken
    span = sustained(level > max(level.max() - SILENCE_BELOW_PEAK_DB, -55.0))
    if span is None:
        return spoken
    pad = int(EDGE_PAD * spoken.sample_rate)
    begin = max(0, span[0] * frame - pad)
    end = min(len(samples), (span[1] + 1) * frame + pad)
    return Audio(samples=samples[begin:end].copy(), sample_rate=spoken.sample_rate)


def sound_span(sound: Audio, start: float, end: float, *, reach: float = 1.0) -> tuple[float, float]:
    """Where the sound of a segment really begins and ends: Whisper's word times may sit up to a second off (its
    first word often at 0.0 over a leading silence), so each edge moves to the first and last loud frame within
    `reach` s inside the segment (sustained sound: a click in the pause is not its edge)."""
    rate = sound.sample_rate
    first, last = int(start * rate), int(end * rate)
    level, frame = _levels(sound.samples[first:last], rate)
    if not len(level):
        return start, end
    count = len(level)
    span = sustained(level > max(level.max() - 30.0, -50.0))
    if span is None:
        return start, end
    onset = min(span[0] * frame / rate, reach)
    offset = min((count - 1 - span[1]) * frame / rate, reach)
    if end - offset - (start + onset) < 0.1:
        return start, end
    return round(start + onset, 3), round(end - offset, 3)


def longest_quiet(sound: Audio, start: float, end: float, *, loudest: tuple[float, float]) -> tuple[float, float]:
    """Where the longest stretch in `start`..`end` lies that is 30 dB under the loudest sound in `loudest` (the
    speech around it); an empty stretch at `start` when there is none."""
    rate = sound.sample_rate
    around, _ = _levels(sound.samples[int(loudest[0] * rate) : int(loudest[1] * rate)], rate)
    level, frame = _levels(sound.samples[int(start * rate) : int(end * rate)], rate)
    if not len(level) or not len(around):
        return start, start
    quiet = np.concatenate([[False], level <= max(around.max() - 30.0, -50.0), [False]])
    edges = np.flatnonzero(np.diff(quiet.astype(np.int8)))
    if not len(edges):
        return start, start
    longest = int(np.argmax(edges[1::2] - edges[::2]))
    return round(start + edges[2 * longest] * frame / rate, 3), round(start + edges[2 * longest + 1] * frame / rate, 3)


def speak_trimmed(*, voice: Voice, text: str, language: str, speed: float, seed: int | None) -> Audio:
    return trim(speak(voice=voice, text=text, language=language, speed=speed, pitch=0.0, seed=seed))


def speak_fitted(
    *, voice: Voice, text: str, language: str, seed: int | None, slot: Slot, first: Audio | None = None
) -> FittedSpeech:
    """Speak `text` so that it fits `slot.room` where it can; `first` is a take already spoken at speed 1."""
    started = time.monotonic()
    spoken = (
        first if first is not None else speak_trimmed(voice=voice, text=text, language=language, speed=1.0, seed=seed)
    )
    speed = 1.0
    length = slot.room
    if spoken.duration > length * (1 + SLACK) and get_engine(voice.engine).capabilities.speed:
        speed = round(min(MAX_SPEED, spoken.duration / length), 3)
        spoken = speak_trimmed(voice=voice, text=text, language=language, speed=speed, seed=seed)
    stretch = 1.0
    if spoken.duration > length * (1 + SLACK):
        stretch = round(min(MAX_STRETCH, spoken.duration / length), 3)
        spoken = trim(audio.change_speed_and_pitch(spoken, speed=stretch))
    return FittedSpeech(audio=spoken, speed=speed, stretch=stretch, seconds=time.monotonic() - started)


def place(slot: Slot, duration: float, *, earliest: float) -> Placement:
    """Where a line of `duration` s plays: at its slot's start, or right after the line before if that ends later."""
    start = max(slot.start, earliest)
    end = start + duration
    return Placement(
        speech_start=round(start, 4),
        speech_end=round(end, 4),
        moved_by=round(max(0.0, end - slot.end), 4),
        delayed_by=round(start - slot.start, 4),
    )
