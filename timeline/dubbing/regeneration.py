"""A dub line regenerated (another take, or corrected text) is fitted into its slot as the dub fitted it, and its
block on the dub's timeline takes the new take at its fitted start; later blocks it would overlap move after it, and
the original audio is ducked anew under the speech where it now is.
Registered for generations of mode `dub` in `synthesis.generation_worker.TAKE_MAKERS` (timeline.apps)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from clonyvoice.errors import ServiceError
from clonyvoice.models import MediaFile
from synthesis.generation_worker import take_save
from synthesis.models import Chunk, Take
from timeline.dubbing.assembly import duck_under_speech
from timeline.dubbing.fitting import Slot, place, speak_fitted
from timeline.dubbing.notes import with_placement
from timeline.models import Block, Dub, Timeline, Track
from voices.models import Voice


def _slot(chunk: Chunk) -> Slot:
    slots = chunk.generation.settings.get("slots") or []
    if chunk.index >= len(slots):
        raise ServiceError(f"Line {chunk.index + 1} of this dub has no time slot.", code="no_slot")
    return Slot(**slots[chunk.index])


def _replace_block(timeline: Timeline, chunk: Chunk, take: Take, slot: Slot) -> dict[int, tuple[float, float]]:
    """Put `take` where its line's block was, fitted; returns the new (start, end) of every block that moved."""
    moved: dict[int, tuple[float, float]] = {}
    blocks = list(
        Block.objects.filter(track__timeline=timeline, track__kind=Track.Kind.VOICE, take__isnull=False)
        .select_related("take")
        .order_by("start", "id")
    )
    mine = next((b for b in blocks if b.take.chunk_id == chunk.pk), None)
    if mine is None:
        return moved
    same_track = [b for b in blocks if b.track_id == mine.track_id]
    position = same_track.index(mine)
    earliest = same_track[position - 1].end if position > 0 else 0.0
    placed = place(slot, take.duration, earliest=earliest)
    mine.take, mine.start, mine.in_point, mine.out_point = take, placed.speech_start, 0.0, take.duration
    mine.save(update_fields=["take", "start", "in_point", "out_point"])
    moved[chunk.index] = (placed.speech_start, placed.speech_end)
    at = placed.speech_end
    for block in same_track[position + 1 :]:
        if block.start >= at:
            break
        block.start = round(at, 4)
        block.save(update_fields=["start"])
        moved[block.take.chunk.index] = (block.start, block.end)
        at = block.end
    Timeline.objects.filter(pk=timeline.pk).update(version=F("version") + 1, updated_at=timezone.now())
    return moved


def line_regenerate(*, chunk: Chunk, text: str, voice: Voice, seed: int | None) -> Take:
    """Speak the line again into its slot; the dub's timeline and segments follow."""
    slot = _slot(chunk)
    fitted = speak_fitted(voice=voice, text=text, language=chunk.language, seed=seed, slot=slot)
    take = take_save(
        chunk=chunk, text=text, voice=voice, seed=seed, spoken=fitted.audio, words=None, seconds=fitted.seconds
    )
    with transaction.atomic():
        timeline = Timeline.objects.select_for_update().filter(generation_id=chunk.generation_id).first()
        moved = _replace_block(timeline, chunk, take, slot) if timeline is not None else {}
        dub = Dub.objects.select_for_update().filter(pk=chunk.generation_id).first()
        source = MediaFile.objects.filter(pk=dub.source_id).first() if dub is not None and dub.source_id else None
        if timeline is not None and source is not None:
            duck_under_speech(timeline, source)
        if dub is not None and dub.segments:
            segments = list(dub.segments)
            for index, (start, end) in moved.items():
                segment = segments[index]
                segment.update(
                    speech_start=start, speech_end=round(end, 4), moved_by=round(max(0.0, end - segment["end"]), 4)
                )
            segments[chunk.index].update(
                text=" ".join(text.split()), speed=fitted.speed, stretch=fitted.stretch, take_id=take.pk
            )
            notes = with_placement(dub.notes, segments, dub.duration)
            Dub.objects.filter(pk=dub.pk).update(segments=segments, notes=notes)
    return take
