"""The dub's timeline (the picture, the original audio under the speech, one speech block per line) and its
subtitles in the target language."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cloning.transcription.transcript import Segment, to_srt, to_vtt
from clonyvoice.models import MediaFile
from synthesis.models import Generation, Take
from timeline.models import Block, Timeline, Track
from timeline.sources import media_has_audio, media_is_picture, peaks_store_media


def timeline_assemble(
    *,
    generation: Generation,
    source: MediaFile,
    takes: list[Take],
    segments: list[dict[str, Any]],
    gain_db: float | None,
) -> Timeline:
    """A picture track (a video source), the source's audio at `gain_db` (None leaves it out), and the speech."""
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
            Block.objects.create(
                track=original, media=source, start=0.0, out_point=source.duration, label=source.name[:200]
            )
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
