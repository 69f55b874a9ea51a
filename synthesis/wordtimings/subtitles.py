"""SRT and WebVTT from timed words: a cue per sentence (a chunk), split where it would be too long to read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cloning.transcription.transcript import Segment, to_srt, to_vtt

FORMATS = {"srt": "application/x-subrip; charset=utf-8", "vtt": "text/vtt; charset=utf-8"}
MAX_CUE_CHARS = 84  # two lines of 42, the usual broadcast limit
MAX_CUE_SECONDS = 6.0


def cues(words: Sequence[dict[str, Any]]) -> list[Segment]:
    """Words (with `chunk`, in time order) grouped into cues: never across chunks, never too long."""
    out: list[Segment] = []
    group: list[dict[str, Any]] = []

    def close() -> None:
        if group:
            text = " ".join(w["word"] for w in group)
            out.append(Segment(id=len(out), start=group[0]["start"], end=group[-1]["end"], text=text))
            group.clear()

    for word in words:
        if group:
            text = " ".join(w["word"] for w in group) + " " + word["word"]
            if (
                word.get("chunk") != group[0].get("chunk")
                or len(text) > MAX_CUE_CHARS
                or word["end"] - group[0]["start"] > MAX_CUE_SECONDS
            ):
                close()
        group.append(word)
    close()
    return out


def render(words: Sequence[dict[str, Any]], fmt: str) -> str:
    """The subtitles of `words` as `fmt` ("srt" or "vtt")."""
    segments = cues(words)
    return to_srt(segments) if fmt == "srt" else to_vtt(segments)
