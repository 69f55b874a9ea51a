"""Reads: a timeline's layout with waveform peaks, montages with their generations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, QuerySet

from clonyvoice.models import MediaFile
from synthesis.models import Take
from timeline.models import Block, Montage, MontageItem, Timeline, TimelineRender
from timeline.sources import peaks_get, peaks_slice, source_duration

DEFAULT_PEAKS_PER_SECOND = 50
MAX_PEAKS_PER_BLOCK = 20_000
# The whole answer carries at most this many peaks; long timelines get coarser waveforms.
MAX_PEAKS_TOTAL = 1_000_000


def timeline_key(timeline: Timeline) -> str:
    """What the API paths use for this timeline: the generation's task id, else the timeline's id."""
    return str(timeline.generation_id or timeline.pk)


def _source_json(block: Block) -> tuple[dict[str, Any], Take | MediaFile]:
    if block.take_id:
        return {"kind": "take", "id": block.take_id}, block.take
    return {"kind": "media", "id": str(block.media_id)}, block.media


def render_json(render: TimelineRender, key: str) -> dict[str, Any]:
    return {
        "render_id": str(render.pk),
        "format": render.format,
        "duration": render.duration,
        "frames": render.frames,
        "sample_rate": render.sample_rate,
        "channels": render.channels,
        "version": render.version,
        "url": f"/api/timeline/{key}/render/{render.pk}",
        "created_at": render.created_at.isoformat(),
    }


def timeline_layout(timeline: Timeline, *, peaks_per_second: int = DEFAULT_PEAKS_PER_SECOND) -> dict[str, Any]:
    """The layout as the API shows it: tracks in order with their blocks, peaks per block, recent renders."""
    key = timeline_key(timeline)
    tracks = list(timeline.tracks.all())
    blocks = list(
        Block.objects.filter(track__timeline=timeline).select_related("take__chunk", "media").order_by("start", "id")
    )
    sources = {}
    for block in blocks:
        ref, source = _source_json(block)
        sources[f"{ref['kind']}:{ref['id']}"] = source
    peaks = peaks_get(sources.values()) if peaks_per_second > 0 else {}
    seconds = sum(b.out_point - b.in_point for b in blocks)
    per_second = min(peaks_per_second, int(MAX_PEAKS_TOTAL / seconds)) if seconds else peaks_per_second
    by_track: dict[int, list[dict[str, Any]]] = {t.pk: [] for t in tracks}
    for block in blocks:
        ref, source = _source_json(block)
        values, rate = peaks_slice(
            peaks.get(f"{ref['kind']}:{ref['id']}", b""),
            in_point=block.in_point,
            out_point=block.out_point,
            per_second=max(1, per_second) if peaks_per_second > 0 else 0,
            limit=MAX_PEAKS_PER_BLOCK,
        )
        by_track[block.track_id].append(
            {
                "id": block.pk,
                "source": ref,
                "start": block.start,
                "in_point": block.in_point,
                "out_point": block.out_point,
                "end": block.end,
                "gain_db": block.gain_db,
                "fade_in": block.fade_in,
                "fade_out": block.fade_out,
                "mute": block.mute,
                "label": block.label,
                "source_duration": source_duration(source),
                "source_name": source.name if isinstance(source, MediaFile) else f"chunk {source.chunk.index + 1}",
                "is_image": bool(isinstance(source, MediaFile) and source.info.get("is_image")),
                "audio_url": f"/api/timeline/{key}/source/{ref['kind']}/{ref['id']}",
                "peaks": values,
                "peaks_per_second": rate,
            }
        )
    renders = TimelineRender.objects.filter(timeline=timeline).order_by("-created_at")
    return {
        "id": str(timeline.pk),
        "task_id": str(timeline.generation_id) if timeline.generation_id else None,
        "montage_id": str(timeline.montage_id) if timeline.montage_id else None,
        "title": timeline.title,
        "version": timeline.version,
        "duration": max((b.end for b in blocks), default=0.0),
        "updated_at": timeline.updated_at.isoformat(),
        "tracks": [
            {
                "id": t.pk,
                "kind": t.kind,
                "name": t.name,
                "gain_db": t.gain_db,
                "mute": t.mute,
                "solo": t.solo,
                "order": t.order,
                "blocks": by_track[t.pk],
            }
            for t in tracks
        ],
        "renders": [render_json(r, key) for r in renders],
    }


def montage_list(*, owner: AbstractBaseUser) -> QuerySet[Montage]:
    return Montage.objects.filter(owner=owner).annotate(generation_count=Count("items")).order_by("-updated_at")


def montage_detail(montage: Montage) -> Montage:
    items = Prefetch("items", queryset=MontageItem.objects.select_related("generation__job").order_by("position"))
    detail = Montage.objects.annotate(generation_count=Count("items")).prefetch_related(items)
    return detail.select_related("timeline").get(pk=montage.pk)
