"""Reads of dubs: the owner's dub by job id, the list, and the shape the API answers with."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from clonyvoice.errors import NotFound
from timeline.models import Dub, Timeline, TimelineRender


def dub_get(*, owner: AbstractBaseUser, job_id: Any) -> Dub:
    """The owner's dub; anyone else's (or an unknown id) is a 404."""
    try:
        key = uuid.UUID(str(job_id))
    except ValueError:
        raise NotFound("No such dub.") from None
    dub = Dub.objects.select_related("job", "source").filter(pk=key, owner=owner).first()
    if dub is None:
        raise NotFound("No such dub.")
    return dub


def dub_list(*, owner: AbstractBaseUser) -> QuerySet[Dub]:
    return Dub.objects.filter(owner=owner).select_related("job", "source").order_by("-created_at")


def dub_json(dub: Dub, *, with_segments: bool = True) -> dict[str, Any]:
    job = dub.job
    timeline = Timeline.objects.filter(generation_id=dub.pk).first()
    render = TimelineRender.objects.filter(timeline=timeline).order_by("-created_at").first() if timeline else None
    key = str(dub.pk)
    finished = job.status == job.Status.SUCCEEDED and bool(dub.segments)
    data: dict[str, Any] = {
        "job_id": key,
        "title": dub.title,
        "status": job.status,
        "stage": dub.stage if not job.is_finished else "",
        "error": job.error,
        "error_code": job.error_code,
        "source_language": dub.source_language,
        "target_language": dub.target_language,
        "duration": dub.duration,
        "has_video": bool(dub.source and dub.source.info.get("has_video")),
        "options": dub.options,
        "speakers": dub.speakers,
        "notes": dub.notes,
        "stages": dub.stages,
        "generation_id": key if timeline else None,
        "timeline_id": key if timeline else None,
        "render": (
            {
                "id": str(render.pk),
                "format": render.format,
                "duration": round(render.duration, 3),
                "url": f"/api/timeline/{key}/render/{render.pk}",
            }
            if render
            else None
        ),
        "subtitles": (
            {"srt": f"/api/dub/{key}/subtitles.srt", "vtt": f"/api/dub/{key}/subtitles.vtt"}
            if finished and dub.options.get("subtitles", True)
            else None
        ),
        "created_at": dub.created_at,
    }
    if with_segments:
        data["segments"] = dub.segments
    return data
