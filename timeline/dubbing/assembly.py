"""The dub's timeline (the picture, the original audio ducked under the speech, one speech block per line) and its
subtitles in the target language.

The original audio (its music and its voice in the source language) plays at the track's gain (`background_db`)
between lines and DUCK_DB lower under each line: the source's words under the dub's compete with them (for a
listener and for Whisper). The ducking is plain blocks of the source on that track, crossfaded (a block fading out
over the next one fading in, same media at the same time, sums to a smooth ramp), so the Timeline editor shows and
edits it and the renderer needs nothing new.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cloning.transcription.transcript import Segment, to_srt, to_vtt
from clonyvoice.models import MediaFile
from synthesis.models import Generation, Take
from timeline.models import Block, Timeline, Track
from timeline.sources import media_has_audio, media_is_picture, peaks_store_media

DUCK_DB = -12.0  # under speech, as voice-over mixes duck the original: its words heard but not understood
DUCK_FADE = 0.15  # s: the ramp down before a line and back up after it
MIN_UNDUCKED = 0.5  # s: a shorter pause between lines stays ducked (the music does not pump between close lines)


def _duck_spans(speech: list[tuple[float, float]], duration: float) -> list[list[float]]:
    """Where the original is ducked: the speech within the source, pauses shorter than MIN_UNDUCKED bridged (also
    at the source's start and end)."""
    spans: list[list[float]] = []
    for start, end in sorted(speech):
        start, end = max(0.0, start), min(duration, end)
        if end <= start:
            continue
        if spans and start - spans[-1][1] < MIN_UNDUCKED:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    if spans and spans[0][0] < MIN_UNDUCKED:
        spans[0][0] = 0.0
    if spans and duration - spans[-1][1] < MIN_UNDUCKED:
        spans[-1][1] = duration
    return spans


def ducked_blocks(track: Track, source: MediaFile, speech: list[tuple[float, float]]) -> list[Block]:
    """The source on `track` in blocks: at the track's gain between the `speech` spans, DUCK_DB lower under them
    (reached at the speech's start, left at its end), DUCK_FADE crossfades between."""
    duration = source.duration
    label = source.name[:200]

    def block(start: float, end: float, **fields: float) -> Block:
        start, end = round(start, 4), round(end, 4)
        return Block(track=track, media=source, start=start, in_point=start, out_point=end, label=label, **fields)

    blocks: list[Block] = []
    at, fade = 0.0, 0.0  # where the unducked source resumes, and its fade in
    for start, end in _duck_spans(speech, duration):
        down, up = max(0.0, start - DUCK_FADE), min(duration, end + DUCK_FADE)
        if start > at:
            blocks.append(block(at, start, fade_in=round(fade, 4), fade_out=round(start - down, 4)))
        blocks.append(block(down, up, gain_db=DUCK_DB, fade_in=round(start - down, 4), fade_out=round(up - end, 4)))
        at, fade = end, up - end
    if at < duration:
        blocks.append(block(at, duration, fade_in=round(fade, 4)))
    return blocks


def duck_under_speech(timeline: Timeline, source: MediaFile) -> None:
    """The dub's original-audio tracks ducked anew under the speech blocks where they are now (a regenerated line
    moved): a music track whose every block plays the source."""
    speech = [
        (b.start, b.end)
        for b in Block.objects.filter(track__timeline=timeline, track__kind=Track.Kind.VOICE, take__isnull=False)
    ]
    for track in Track.objects.filter(timeline=timeline, kind=Track.Kind.MUSIC):
        media = set(Block.objects.filter(track=track).values_list("media_id", flat=True))
        if media == {source.pk}:
            Block.objects.filter(track=track).delete()
            Block.objects.bulk_create(ducked_blocks(track, source, speech))


def timeline_assemble(
    *,
    generation: Generation,
    source: MediaFile,
    takes: list[Take],
    segments: list[dict[str, Any]],
    gain_db: float | None,
) -> Timeline:
    """A picture track (a video source), the source's audio at `gain_db` ducked under the speech (None leaves it
    out), and the speech."""
    if gain_db is not None and media_has_audio(source):
        peaks_store_media(source)
    with transaction.atomic():
        Timeline.objects.filter(generation=generation).delete()
        timeline = Timeline.objects.create(owner=generation.owner, generation=generation, title=generation.title)
        order = 0
        if media_is_picture(source):
            picture = Track.objects.create(timeline=timeline, kind=Track.Kind.VIDEO, name="Picture", order=order)
            Block.objects.create(
                track=picture, media=source, start=0.0, out_point=source.duration, label=source.name[:200]
            )
            order += 1
        if gain_db is not None and media_has_audio(source):
            original = Track.objects.create(
                timeline=timeline, kind=Track.Kind.MUSIC, name="Original audio", gain_db=gain_db, order=order
            )
            speech = [(s["speech_start"], s["speech_end"]) for s in segments]
            Block.objects.bulk_create(ducked_blocks(original, source, speech))
            order += 1
        voice = Track.objects.create(timeline=timeline, kind=Track.Kind.VOICE, name="Dub", order=order)
        Block.objects.bulk_create(
            Block(
                track=voice,
                take=take,
                start=segment["speech_start"],
                in_point=0.0,
                out_point=take.duration,
                label=f"{segment['index'] + 1}. {segment['text']}"[:200],
            )
            for take, segment in zip(takes, segments, strict=True)
        )
    return timeline


def subtitles(segments: list[dict[str, Any]], fmt: str) -> str:
    """SRT or WebVTT cues of the dubbed lines, where they are heard."""
    cues = [
        Segment(id=s["index"], start=s["speech_start"], end=s["speech_end"], text=s["text"])
        for s in segments
        if s.get("speech_start") is not None
    ]
    return to_srt(cues) if fmt == "srt" else to_vtt(cues)
