"""What a transcription returns, and its SRT / WebVTT renderings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    word: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """A stretch of speech Whisper decoded as one piece, with its words when word timestamps were asked for."""

    id: int
    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)


@dataclass(frozen=True)
class Transcript:
    """The text of some audio, its timed segments and words, and the language Whisper heard."""

    text: str
    segments: list[Segment]
    language: str
    language_probability: float
    duration: float
    model: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        segments = [
            Segment(**{**s, "words": [Word(**w) for w in s.get("words") or []]}) for s in data.get("segments") or []
        ]
        return cls(
            text=data.get("text", ""),
            segments=segments,
            language=data.get("language", ""),
            language_probability=float(data.get("language_probability") or 0.0),
            duration=float(data.get("duration") or 0.0),
            model=data.get("model", ""),
        )


def _timestamp(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _cue_text(text: str) -> str:
    # A blank line ends a cue in both formats, so a segment's text never contains one.
    return "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())


def to_srt(segments: list[Segment]) -> str:
    """SubRip: numbered cues, `HH:MM:SS,mmm --> HH:MM:SS,mmm`."""
    cues = [
        f"{number}\n{_timestamp(s.start, ',')} --> {_timestamp(s.end, ',')}\n{_cue_text(s.text)}\n"
        for number, s in enumerate((s for s in segments if s.text.strip()), start=1)
    ]
    return "\n".join(cues)


def to_vtt(segments: list[Segment]) -> str:
    """WebVTT: the WEBVTT header, then `HH:MM:SS.mmm --> HH:MM:SS.mmm` cues."""
    cues = [
        f"{_timestamp(s.start, '.')} --> {_timestamp(s.end, '.')}\n{_cue_text(s.text).replace('-->', '->')}\n"
        for s in segments
        if s.text.strip()
    ]
    return "WEBVTT\n\n" + "\n".join(cues)
