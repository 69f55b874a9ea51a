"""A translated line spoken into its time slot: the speaking speed first, then a time-stretch, then the silence after.

Speak at speed 1 and measure the speech without its leading and trailing silence. If it is longer than the slot,
speak again at the speed that fits (the engine's own, 1 to 1.25; an engine without one is stretched instead), then
stretch what is still too long with Rubber Band (at most 1.15). What still does not fit runs on into the
silence after the slot, up to the next line's start; past that, the next line starts later (`place`). Speech
never overlaps itself.
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
EDGE_PAD = 0.02  # kept around the speech so that its first consonant is not cut


@dataclass(frozen=True)
class Slot:
    """Where a line belongs: the source segment's `start`..`end`, and where the next one starts (the limit)."""

    start: float
    end: float
    next_start: float | None

    @property
    def length(self) -> float:
        return max(0.05, self.end - self.start)


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


def trim(spoken: Audio) -> Audio:
    """The speech without the silence an engine leaves before and after it."""
    samples = spoken.samples
    frame = max(1, int(spoken.sample_rate * 0.01))
    count = len(samples) // frame
    if count == 0:
        return spoken
    rms = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame).astype(np.float64) ** 2, axis=1) + 1e-12)
    level = 20 * np.log10(rms)
    loud = np.nonzero(level > max(level.max() - SILENCE_BELOW_PEAK_DB, -55.0))[0]
    if not len(loud):
        return spoken
    pad = int(EDGE_PAD * spoken.sample_rate)
    begin = max(0, loud[0] * frame - pad)
    end = min(len(samples), (loud[-1] + 1) * frame + pad)
    return Audio(samples=samples[begin:end].copy(), sample_rate=spoken.sample_rate)


def sound_span(sound: Audio, start: float, end: float, *, reach: float = 1.0) -> tuple[float, float]:
    """Where the sound of a segment really begins and ends: Whisper's word times may sit up to a second off (its
    first word often at 0.0 over a leading silence), so each edge moves to the first and last loud frame within
    `reach` s inside the segment."""
    rate = sound.sample_rate
    frame = max(1, int(rate * 0.01))
    first, last = int(start * rate), int(end * rate)
    samples = sound.samples[first:last]
    count = len(samples) // frame
    if count == 0:
        return start, end
    rms = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame).astype(np.float64) ** 2, axis=1) + 1e-12)
    level = 20 * np.log10(rms)
    loud = np.nonzero(level > max(level.max() - 30.0, -50.0))[0]
    if not len(loud):
        return start, end
    onset = min(loud[0] * frame / rate, reach)
    offset = min((count - 1 - loud[-1]) * frame / rate, reach)
    if end - offset - (start + onset) < 0.1:
        return start, end
    return round(start + onset, 3), round(end - offset, 3)


def speak_trimmed(*, voice: Voice, text: str, language: str, speed: float, seed: int | None) -> Audio:
    return trim(speak(voice=voice, text=text, language=language, speed=speed, pitch=0.0, seed=seed))


def speak_fitted(
    *, voice: Voice, text: str, language: str, seed: int | None, slot: Slot, first: Audio | None = None
) -> FittedSpeech:
    """Speak `text` so that it fits `slot.length` where it can; `first` is a take already spoken at speed 1."""
    started = time.monotonic()
    spoken = (
        first if first is not None else speak_trimmed(voice=voice, text=text, language=language, speed=1.0, seed=seed)
    )
    speed = 1.0
    length = slot.length
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
