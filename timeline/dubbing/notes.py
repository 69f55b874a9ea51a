"""What a user should know about a dub, as notes: each a `code` the UI words in its language, the numbers it needs,
and `text`, the same in English for API users. Notes about where the lines play are derived from the segments, so
that a regenerated line's notes follow it.

`segment` is the line's `index` in the dub's segments (0-based; the English text counts lines from 1); `seconds` is
how far a line runs past its slot's end (`moved_by`) or, for `starts_late`, how late it starts.
"""

from __future__ import annotations

from typing import Any

LATE_OR_MOVED = 0.01  # a line this much (s) late or past its slot is worth a note

# code → what it says (for the schema)
CODES = {
    "one_speaker": "one voice: one speaker was heard",
    "one_voice": "one voice: the speakers could not be told apart",
    "no_speaker_encoder": "one voice: the speaker encoder is not installed, so speakers were not told apart",
    "second_speaker_short": "one voice: a second speaker was heard for only `seconds` s (a clone needs `needed` s)",
    "clone_cannot_speak": "`speaker`'s clone cannot speak `language`: the library voice `voice` (`voice_id`) speaks",
    "starts_late": "line `segment` starts `seconds` s late: the line before it runs into it",
    "moved_into_silence": "line `segment` runs `seconds` s past its slot, into the silence after it",
    "pushed_next": "line `segment` runs `seconds` s past its slot and past the next line's start (which starts late)",
    "past_end": "line `segment` runs `seconds` s past its slot and `beyond` s past the end of the source",
    "no_picture": "the source has no picture: the dub is rendered as audio (`format`)",
    "note": "a note of an older dub: only its text",
}
PLACEMENT = frozenset({"starts_late", "moved_into_silence", "pushed_next", "past_end"})


def note(code: str, text: str, **fields: Any) -> dict[str, Any]:
    return {"code": code, **fields, "text": text}


def one_voice(reason: str, *, seconds: float = 0.0, needed: float = 0.0) -> dict[str, Any]:
    """Why one voice speaks every line: `reason` is one_speaker, one_voice, no_speaker_encoder or
    second_speaker_short."""
    if reason == "second_speaker_short":
        return note(
            reason,
            f"one voice: a second speaker was heard for only {seconds:.1f} s "
            f"({needed:g} s are needed to clone a voice)",
            seconds=round(seconds, 2),
            needed=needed,
        )
    return note(reason, CODES[reason])


def clone_cannot_speak(*, speaker: str, language: str, voice_id: str, voice: str) -> dict[str, Any]:
    return note(
        "clone_cannot_speak",
        f"speaker {speaker}: the clone cannot speak {language}; {voice} speaks",
        speaker=speaker,
        language=language,
        voice_id=voice_id,
        voice=voice,
    )


def no_picture(fmt: str) -> dict[str, Any]:
    return note("no_picture", f"the source has no picture: the dub is rendered as audio ({fmt})", format=fmt)


def placement_notes(segments: list[dict[str, Any]], duration: float | None) -> list[dict[str, Any]]:
    """A note for each line that starts late or runs past its slot (`duration`: the source's, s)."""
    notes = []
    for position, segment in enumerate(segments):
        line = segment["index"]
        late = round(segment["speech_start"] - segment["start"], 4)
        if late > LATE_OR_MOVED:
            notes.append(
                note(
                    "starts_late",
                    f"segment {line + 1} starts {late:.2f} s late: the line before it runs into it",
                    segment=line,
                    seconds=late,
                )
            )
        moved = segment["moved_by"]
        if moved <= LATE_OR_MOVED:
            continue
        end = segment["speech_end"]
        following = segments[position + 1]["start"] if position + 1 < len(segments) else None
        if following is not None and end > following + 1e-6:
            text = f"segment {line + 1} moved {moved:.2f} s past the next line's start"
            notes.append(note("pushed_next", text, segment=line, seconds=moved))
        elif following is None and duration and end > duration + 1e-6:
            beyond = round(end - duration, 4)
            text = f"segment {line + 1} moved {moved:.2f} s, {beyond:.2f} s past the end of the source"
            notes.append(note("past_end", text, segment=line, seconds=moved, beyond=beyond))
        else:
            text = f"segment {line + 1} moved {moved:.2f} s into the following silence"
            notes.append(note("moved_into_silence", text, segment=line, seconds=moved))
    return notes


def with_placement(notes: list[dict[str, Any]], segments: list[dict[str, Any]], duration: float | None) -> list:
    """`notes` with their placement notes made anew from `segments`."""
    return [n for n in notes if n.get("code") not in PLACEMENT] + placement_notes(segments, duration)
