"""Opening a generation as a timeline, saving layouts, starting renders.

A timeline is addressed by a generation's task id (it opens with a default layout on first use) or by
the timeline's own id (montage timelines have no generation).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from clonyvoice.errors import Conflict, NotFound, ServiceError
from clonyvoice.jobs import job_create
from clonyvoice.models import Job, MediaFile
from synthesis.models import Generation, Take
from timeline.models import Block, Timeline, TimelineRender, Track
from timeline.render import render_plan
from timeline.sources import (
    SourceRef,
    UnknownSource,
    media_has_audio,
    media_is_picture,
    source_duration,
    source_ref,
    sources_fetch,
)
from timeline.tasks import render_timeline

MAX_BLOCKS = 5_000
MAX_TRACKS = 64
MAX_TIMELINE_SECONDS = 12 * 60 * 60
# Durations are stored rounded (ffprobe gives milliseconds): trims may reach a hair past them.
TRIM_TOLERANCE = 0.005


class LayoutConflict(Conflict):
    """The layout was saved by someone else since the client loaded it; carries the current one."""

    code = "version_conflict"

    def __init__(self, timeline: Timeline, sent: int) -> None:
        super().__init__(
            f"The layout is at version {timeline.version}, not {sent}: it changed since you loaded it.",
            version=timeline.version,
        )
        self.timeline = timeline


def _uuid(value: Any, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(f"No such {what}.") from None


def _bump(timeline: Timeline) -> None:
    """A new layout version: imports change the layout, so a client holding the old one must reload."""
    Timeline.objects.filter(pk=timeline.pk).update(version=F("version") + 1, updated_at=timezone.now())
    timeline.refresh_from_db(fields=["version", "updated_at"])


# --- opening ------------------------------------------------------------------------------------


def generation_gap(generation: Generation) -> float:
    """The silence between chunks in a default layout: the generation's own, or what a merge uses."""
    if "gap_ms" in generation.settings:
        return max(0.0, float(generation.settings["gap_ms"]) / 1000)
    return 0.0 if generation.mode == Generation.Mode.SINGLE else 0.25


def _ready_takes(generation: Generation) -> list[Take]:
    chunks = list(generation.chunks.select_related("selected_take"))
    missing = [c.index for c in chunks if c.selected_take is None]
    if not chunks or missing:
        raise ServiceError(
            f"The generation {generation.title!r} is not finished: {len(missing)} chunk(s) have no audio yet.",
            code="generation_not_ready",
            status=409,
            generation_id=str(generation.pk),
        )
    for chunk in chunks:
        chunk.selected_take.chunk = chunk
    return [c.selected_take for c in chunks]


def _speech_blocks(takes: list[Take], *, gap: float, start: float) -> tuple[list[Block], float]:
    """Blocks for `takes` end to end from `start` with `gap` between; returns them and where they end."""
    blocks, at = [], start
    for take in takes:
        label = f"{take.chunk.index + 1}. {' '.join(take.text.split())}"[:200]
        blocks.append(Block(take=take, start=round(at, 6), in_point=0.0, out_point=take.duration, label=label))
        at += take.duration + gap
    return blocks, (at - gap if takes else start)


def _lay_out_speech(timeline: Timeline, parts: list[tuple[list[Take], float]], *, between: float) -> None:
    track = Track.objects.create(timeline=timeline, kind=Track.Kind.VOICE, name="Voice", order=0)
    blocks, at = [], 0.0
    for takes, gap in parts:
        made, end = _speech_blocks(takes, gap=gap, start=at)
        blocks += made
        at = end + between
    for block in blocks:
        block.track = track
    Block.objects.bulk_create(blocks, batch_size=1000)


def timeline_get(*, owner: AbstractBaseUser, key: Any) -> Timeline:
    """The owner's timeline by a generation's task id or the timeline's id; a generation opens on first use."""
    key_uuid = _uuid(key, "timeline")
    timeline = Timeline.objects.filter(owner=owner).filter(Q(pk=key_uuid) | Q(generation_id=key_uuid)).first()
    if timeline is not None:
        return timeline
    generation = Generation.objects.filter(pk=key_uuid, owner=owner).first()
    if generation is None:
        raise NotFound("No such timeline or generation.")
    return timeline_open_generation(owner=owner, generation=generation)


def timeline_open_generation(*, owner: AbstractBaseUser, generation: Generation) -> Timeline:
    """The default layout: one voice track, one block per chunk (its selected take) with the generation's gap."""
    takes = _ready_takes(generation)
    try:
        with transaction.atomic():
            timeline = Timeline.objects.create(owner=owner, generation=generation, title=generation.title)
            _lay_out_speech(timeline, [(takes, generation_gap(generation))], between=0.0)
    except IntegrityError:  # a concurrent request opened it first
        return Timeline.objects.get(generation=generation)
    return timeline


# --- saving a layout ----------------------------------------------------------------------------


def _check_block(where: str, data: dict[str, Any], track_kind: str, source: Take | MediaFile | None) -> None:
    ref = data["ref"]
    if source is None:
        raise UnknownSource(f"{where}: you have no {ref.kind} {ref.id}.", kind=ref.kind, id=str(ref.id))
    if track_kind == Track.Kind.VIDEO:
        if isinstance(source, Take) or not media_is_picture(source):
            raise ServiceError(f"{where}: a video track holds only videos and images.", code="wrong_track_kind")
    elif isinstance(source, MediaFile) and not media_has_audio(source):
        raise ServiceError(f"{where}: {source.name!r} has no audio for a {track_kind} track.", code="wrong_track_kind")
    in_point, out_point = data["in_point"], data["out_point"]
    duration = source_duration(source)
    if out_point <= in_point:
        raise ServiceError(f"{where}: out_point must be after in_point.", code="invalid_trim")
    if in_point >= duration or out_point > duration + TRIM_TOLERANCE:
        raise ServiceError(
            f"{where}: the trim {in_point:.3f} to {out_point:.3f} s reaches outside the source ({duration:.3f} s).",
            code="trim_outside_source",
            source_duration=duration,
        )
    data["out_point"] = min(out_point, duration)
    length = data["out_point"] - in_point
    if data["start"] + length > MAX_TIMELINE_SECONDS:
        raise ServiceError(f"{where}: the block ends past {MAX_TIMELINE_SECONDS} s.", code="timeline_too_long")
    if data["fade_in"] + data["fade_out"] > length + TRIM_TOLERANCE:
        raise ServiceError(f"{where}: the fades are longer than the block ({length:.3f} s).", code="invalid_fade")


def layout_save(*, owner: AbstractBaseUser, key: Any, version: int, tracks: list[dict[str, Any]]) -> Timeline:
    """Replace the whole layout if `version` is current (else LayoutConflict); every block is checked first.

    Track and block ids the client sends back are kept; anything without a known id is new.
    """
    timeline = timeline_get(owner=owner, key=key)
    if len(tracks) > MAX_TRACKS:
        raise ServiceError(f"At most {MAX_TRACKS} tracks.", code="too_many_tracks")
    total = sum(len(t["blocks"]) for t in tracks)
    if total > MAX_BLOCKS:
        raise ServiceError(f"{total} blocks; at most {MAX_BLOCKS}.", code="too_many_blocks", limit=MAX_BLOCKS)
    for ti, track in enumerate(tracks):
        for bi, block in enumerate(track["blocks"]):
            try:
                block["ref"] = source_ref(block["source"]["kind"], block["source"]["id"])
            except UnknownSource as exc:
                exc.detail = f"tracks[{ti}].blocks[{bi}]: {exc.detail}"
                raise
    sources = sources_fetch(owner=owner, refs=(b["ref"] for t in tracks for b in t["blocks"]))
    for ti, track in enumerate(tracks):
        for bi, block in enumerate(track["blocks"]):
            _check_block(f"tracks[{ti}].blocks[{bi}]", block, track["kind"], sources.get(block["ref"].key))

    with transaction.atomic():
        locked = Timeline.objects.select_for_update().get(pk=timeline.pk)
        if locked.version != version:
            raise LayoutConflict(locked, version)
        known_tracks = set(Track.objects.filter(timeline=locked).values_list("id", flat=True))
        known_blocks = set(Block.objects.filter(track__timeline=locked).values_list("id", flat=True))
        Track.objects.filter(timeline=locked).delete()
        track_rows, block_rows = [], []
        for order, data in enumerate(tracks):
            track_id = data.get("id")
            row = Track(
                id=track_id if track_id in known_tracks else None,
                timeline=locked,
                kind=data["kind"],
                name=data["name"],
                gain_db=data["gain_db"],
                mute=data["mute"],
                solo=data["solo"],
                order=order,
            )
            known_tracks.discard(track_id)
            track_rows.append(row)
        Track.objects.bulk_create(track_rows)
        for row, data in zip(track_rows, tracks, strict=True):
            for block in data["blocks"]:
                block_id = block.get("id")
                source = sources[block["ref"].key]
                block_rows.append(
                    Block(
                        id=block_id if block_id in known_blocks else None,
                        track=row,
                        take=source if isinstance(source, Take) else None,
                        media=source if isinstance(source, MediaFile) else None,
                        start=block["start"],
                        in_point=block["in_point"],
                        out_point=block["out_point"],
                        gain_db=block["gain_db"],
                        fade_in=block["fade_in"],
                        fade_out=block["fade_out"],
                        mute=block["mute"],
                        label=block.get("label", ""),
                    )
                )
                known_blocks.discard(block_id)
        Block.objects.bulk_create(block_rows, batch_size=1000)
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
    return locked


# --- rendering ----------------------------------------------------------------------------------


def render_start(*, owner: AbstractBaseUser, key: Any, fmt: str, sample_rate: int | None) -> Job:
    """Check the timeline can render as asked, then hand it to the cpu worker. The job id is the render id."""
    timeline = timeline_get(owner=owner, key=key)
    plan = render_plan(timeline, sample_rate=sample_rate)
    if not plan.audio:
        raise ServiceError("The timeline has no audible blocks to render.", code="nothing_to_render")
    if fmt == "mp4" and not plan.pictures:
        raise ServiceError("An MP4 needs a picture track with a video or an image.", code="no_picture")
    params = {"timeline_id": str(timeline.pk), "format": fmt, "sample_rate": sample_rate}
    return job_create(owner=owner, kind="timeline.render", actor=render_timeline, params=params)


def render_get(*, owner: AbstractBaseUser, key: Any, render_id: Any) -> Any:
    timeline = timeline_get(owner=owner, key=key)
    render = TimelineRender.objects.filter(pk=_uuid(render_id, "render"), timeline=timeline).first()
    if render is None:
        raise NotFound("No such render (it may still be running).")
    return render


def source_file_get(*, owner: AbstractBaseUser, kind: str, source_id: Any) -> Take | MediaFile:
    """The owner's take or media file for playback in the editor."""
    try:
        ref: SourceRef = source_ref(kind, source_id)
    except UnknownSource:
        raise NotFound("No such source.") from None
    found = sources_fetch(owner=owner, refs=[ref]).get(ref.key)
    if found is None:
        raise NotFound("No such source.")
    return found
