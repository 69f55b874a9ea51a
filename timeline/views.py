"""Timeline and montage endpoints: thin — validate, call a service, answer with the layout."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from clonyvoice.api import ERROR_SCHEMA, FileView, ScopedView
from clonyvoice.audio import content_type
from clonyvoice.errors import ServiceError
from clonyvoice.pagination import PAGE_PARAMETERS, page_query, paginate, paginated
from clonyvoice.scopes import TTS_TIMELINE, VOICES_READ, VOICES_WRITE
from clonyvoice.serializers import JobAcceptedOut, accepted
from synthesis.models import Take
from synthesis.wordtimings import services as words_services
from synthesis.wordtimings.selectors import alignment_job
from synthesis.wordtimings.serializers import WordsOut
from synthesis.wordtimings.views import DOWNLOAD, SUBTITLE_FORMAT, subtitles_response
from timeline import selectors, services
from timeline.models import Timeline
from timeline.serializers import (
    ImportTrackIn,
    ImportVideoIn,
    LayoutIn,
    LayoutOut,
    LayoutQuery,
    MergeTimelineIn,
    MontageDetailOut,
    MontageIn,
    MontageOut,
    MontageTimelineIn,
    MontageUpdateIn,
)
from timeline.subtitles import timeline_words

ERRORS = {400: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA}
PEAKS = OpenApiParameter("peaks", int, description="Waveform peaks per second, 0 to 100 (default 50; 0: none).")
KEY_HELP = "`task_id` is a generation's task id (it opens with a default layout) or a timeline's `id`."


def _peaks(request: Request) -> int:
    query = LayoutQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data["peaks"]


def _layout(request: Request, timeline: Timeline, *, code: int = 200) -> Response:
    return Response(selectors.timeline_layout(timeline, peaks_per_second=_peaks(request)), status=code)


def _valid(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _content_length(request: Request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _check_upload_size(request: Request) -> None:
    """Refuse an oversized upload from its header, before a byte of it is buffered."""
    if _content_length(request) > services.MAX_IMPORT_BYTES:
        raise ServiceError(
            f"The upload is larger than {services.MAX_IMPORT_BYTES // 1024**2} MB.", code="too_large", status=413
        )


class TimelineView(ScopedView):
    required_scopes = {"GET": TTS_TIMELINE}

    @extend_schema(
        summary="Get timeline layout",
        description=f"Tracks, blocks (source by id, start, trims, gain, fades, mute), version and waveform "
        f"peaks per block. {KEY_HELP}",
        parameters=[PEAKS],
        responses={200: LayoutOut, **ERRORS},
    )
    def get(self, request: Request, task_id: str) -> Response:
        return _layout(request, services.timeline_get(owner=request.user, key=task_id))


class TimelineLayoutView(ScopedView):
    required_scopes = {"POST": TTS_TIMELINE}

    @extend_schema(
        summary="Save block positions",
        description="Saves the whole layout. `version` is the one it was loaded at; a stale one answers 409 "
        "with the current layout in `layout`. Blocks name takes or media files by id; at most "
        f"{services.MAX_BLOCKS} blocks. {KEY_HELP}",
        parameters=[PEAKS],
        request=LayoutIn,
        responses={200: LayoutOut, **ERRORS},
    )
    def post(self, request: Request, task_id: str) -> Response:
        if _content_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise ServiceError(
                f"The layout is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024**2} MB; send it without the "
                "read-only fields (peaks, audio_url, ...).",
                code="too_large",
                status=413,
            )
        tracks = request.data.get("tracks") if isinstance(request.data, dict) else None
        if isinstance(tracks, list):  # count before validating thousands of blocks one by one
            total = sum(len(t.get("blocks") or []) for t in tracks if isinstance(t, dict))
            if total > services.MAX_BLOCKS:
                raise ServiceError(
                    f"{total} blocks; at most {services.MAX_BLOCKS}.", code="too_many_blocks", limit=services.MAX_BLOCKS
                )
        data = _valid(LayoutIn, request.data)
        try:
            timeline = services.layout_save(
                owner=request.user, key=task_id, version=data["version"], tracks=data["tracks"]
            )
        except services.LayoutConflict as conflict:
            current = selectors.timeline_layout(conflict.timeline, peaks_per_second=_peaks(request))
            return Response(
                {"error": conflict.code, "detail": conflict.detail, **conflict.extra, "layout": current},
                status=status.HTTP_409_CONFLICT,
            )
        return _layout(request, timeline)


class TimelineImportTrackView(ScopedView):
    required_scopes = {"POST": TTS_TIMELINE}
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Import external audio track",
        description=f"An audio file becomes a new music track with one block at `start`. {KEY_HELP}",
        request={"multipart/form-data": ImportTrackIn},
        responses={201: LayoutOut, **ERRORS, 413: ERROR_SCHEMA},
    )
    def post(self, request: Request, task_id: str) -> Response:
        _check_upload_size(request)
        data = _valid(ImportTrackIn, request.data)
        timeline = services.track_import(owner=request.user, key=task_id, upload=data["file"], start=data["start"])
        return _layout(request, timeline, code=status.HTTP_201_CREATED)


class TimelineImportVideoView(ScopedView):
    required_scopes = {"POST": TTS_TIMELINE}
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Import video/image for timeline",
        description="A video or a still image becomes a block on the picture track; a video's own audio "
        f"becomes a music track when `with_audio`. {KEY_HELP}",
        request={"multipart/form-data": ImportVideoIn},
        responses={201: LayoutOut, **ERRORS, 413: ERROR_SCHEMA},
    )
    def post(self, request: Request, task_id: str) -> Response:
        _check_upload_size(request)
        data = _valid(ImportVideoIn, request.data)
        timeline = services.video_import(
            owner=request.user, key=task_id, upload=data["file"], with_audio=data["with_audio"], start=data["start"]
        )
        return _layout(request, timeline, code=status.HTTP_201_CREATED)


class MergeTimelineView(ScopedView):
    required_scopes = {"POST": TTS_TIMELINE}

    @extend_schema(
        summary="Merge timeline into single file",
        description="Renders every audible block (trims, gains, fades, mute/solo) into WAV/MP3/FLAC, or MP4 "
        "with the picture track. Progress on /ws; the finished job's `result.url` downloads the file.",
        request=MergeTimelineIn,
        responses={202: JobAcceptedOut, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = _valid(MergeTimelineIn, request.data)
        job = services.render_start(
            owner=request.user, key=data["task_id"], fmt=data["format"], sample_rate=data["sample_rate"]
        )
        return Response(accepted(job), status=status.HTTP_202_ACCEPTED)


class TimelineRenderView(FileView):
    required_scopes = {"GET": TTS_TIMELINE}

    @extend_schema(
        summary="Download a timeline render",
        parameters=[OpenApiParameter("download", int, description="1: as an attachment")],
        responses={(200, "*/*"): bytes, 404: ERROR_SCHEMA},
    )
    def get(self, request: Request, task_id: str, render_id: str) -> FileResponse:
        render = services.render_get(owner=request.user, key=task_id, render_id=render_id)
        return FileResponse(
            render.file.open("rb"),
            as_attachment=request.query_params.get("download") == "1",
            filename=f"clonyvoice-timeline-{str(render.timeline_id)[:8]}.{render.format}",
            content_type="video/mp4" if render.format == "mp4" else content_type(render.format),
        )


class TimelineWordsView(ScopedView):
    required_scopes = {"POST": TTS_TIMELINE}

    @extend_schema(
        summary="Time every word of a timeline's speech",
        description="Words of the speech blocks where they are heard; takes whose engine did not time them are "
        f"aligned by Whisper in the gpu worker: 200 when all are known, else 202 with the alignment job. {KEY_HELP}",
        request=None,
        responses={200: WordsOut, 202: WordsOut, 404: ERROR_SCHEMA},
    )
    def post(self, request: Request, task_id: str) -> Response:
        timeline = services.timeline_get(owner=request.user, key=task_id)
        words, missing = timeline_words(timeline)
        job = words_services.words_align_start(owner=request.user, subject=f"timeline:{timeline.pk}", takes=missing)
        if job is None:
            return Response({"status": "ready", "task_id": None, "words": words})
        return Response({"status": "aligning", "task_id": str(job.pk), "words": words}, status=status.HTTP_202_ACCEPTED)


class TimelineRenderSubtitlesView(FileView):
    required_scopes = {"GET": TTS_TIMELINE}

    @extend_schema(
        summary="Download a timeline render's subtitles (SRT or WebVTT)",
        operation_id="api_timeline_render_subtitles_retrieve",
        description="The words of its speech blocks, shifted to where each block plays. 409 `render_outdated` "
        "when the layout changed since the render, `words_not_ready` until POST /api/timeline/{task_id}/words "
        f"has timed every word. {KEY_HELP}",
        parameters=[SUBTITLE_FORMAT, DOWNLOAD],
        responses={(200, "text/vtt"): str, (200, "application/x-subrip"): str, **ERRORS},
    )
    def get(self, request: Request, task_id: str, render_id: str, fmt: str) -> HttpResponse:
        words_services.subtitles_content_type(fmt)
        render = services.render_get(owner=request.user, key=task_id, render_id=render_id)
        timeline = render.timeline
        if render.version != timeline.version:
            raise ServiceError(
                "The layout changed since this render: render it again for subtitles that match.",
                code="render_outdated",
                status=409,
            )
        words, missing = timeline_words(timeline)
        if missing:
            job = alignment_job(owner=request.user, subject=f"timeline:{timeline.pk}")
            raise ServiceError(
                "Not every word is timed yet: POST /api/timeline/{task_id}/words, then ask again.",
                code="words_not_ready",
                status=409,
                task_id=str(job.pk) if job else None,
            )
        content, content_type = words_services.subtitles_render(words=words, fmt=fmt)
        return subtitles_response(
            content=content,
            content_type=content_type,
            name=f"clonyvoice-timeline-{str(timeline.pk)[:8]}.{fmt}",
            download=request.query_params.get("download", "1") != "0",
        )


class TimelineSourceView(FileView):
    required_scopes = {"GET": TTS_TIMELINE}

    @extend_schema(
        summary="A block source's file (a take or one of your media files), for playback in the editor",
        responses={(200, "*/*"): bytes, 404: ERROR_SCHEMA},
    )
    def get(self, request: Request, task_id: str, kind: str, source_id: str) -> FileResponse:
        services.timeline_get(owner=request.user, key=task_id)
        source = services.source_file_get(owner=request.user, kind=kind, source_id=source_id)
        if isinstance(source, Take):
            return FileResponse(source.audio.open("rb"), content_type="audio/wav")
        kind_guess = mimetypes.guess_type(Path(source.file.name).name)[0] or "application/octet-stream"
        return FileResponse(source.file.open("rb"), content_type=kind_guess)


class MontageListView(ScopedView):
    required_scopes = {"GET": VOICES_READ, "POST": VOICES_WRITE}

    @extend_schema(
        summary="List all montages",
        parameters=PAGE_PARAMETERS,
        responses=paginated(MontageOut),
    )
    def get(self, request: Request) -> Response:
        page, page_size = page_query(request.query_params)
        montages, meta = paginate(selectors.montage_list(owner=request.user), page=page, page_size=page_size)
        return Response({**meta, "results": MontageOut(montages, many=True).data})

    @extend_schema(
        summary="Create a new montage", request=MontageIn, responses={201: MontageDetailOut, 400: ERROR_SCHEMA}
    )
    def post(self, request: Request) -> Response:
        data = _valid(MontageIn, request.data)
        montage = services.montage_create(
            owner=request.user, title=data["title"], notes=data["notes"], generation_ids=data["generation_ids"]
        )
        return Response(MontageDetailOut(selectors.montage_detail(montage)).data, status=status.HTTP_201_CREATED)


class MontageDetailView(ScopedView):
    required_scopes = {"GET": VOICES_READ, "PATCH": VOICES_WRITE, "DELETE": VOICES_WRITE}

    @extend_schema(summary="Get montage with generations", responses={200: MontageDetailOut, 404: ERROR_SCHEMA})
    def get(self, request: Request, montage_id: str) -> Response:
        montage = services.montage_get(owner=request.user, montage_id=montage_id)
        return Response(MontageDetailOut(selectors.montage_detail(montage)).data)

    @extend_schema(
        summary="Rename, annotate or reorder a montage",
        request=MontageUpdateIn,
        responses={200: MontageDetailOut, 400: ERROR_SCHEMA, 404: ERROR_SCHEMA},
    )
    def patch(self, request: Request, montage_id: str) -> Response:
        data = _valid(MontageUpdateIn, request.data)
        montage = services.montage_update(owner=request.user, montage_id=montage_id, **data)
        return Response(MontageDetailOut(selectors.montage_detail(montage)).data)

    @extend_schema(summary="Delete a montage", responses={204: None, 404: ERROR_SCHEMA})
    def delete(self, request: Request, montage_id: str) -> Response:
        services.montage_delete(owner=request.user, montage_id=montage_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MontageTimelineView(ScopedView):
    required_scopes = {"POST": TTS_TIMELINE}

    @extend_schema(
        summary="Open a montage as a timeline",
        description="Lays the montage's generations end to end on one timeline (201 when laid out now, 200 "
        "when it already existed). Use its `id` as the `task_id` of the other timeline endpoints.",
        parameters=[PEAKS],
        request=MontageTimelineIn,
        responses={200: LayoutOut, 201: LayoutOut, **ERRORS},
    )
    def post(self, request: Request, montage_id: str) -> Response:
        data = _valid(MontageTimelineIn, request.data)
        timeline, created = services.montage_timeline_open(
            owner=request.user, montage_id=montage_id, gap=data["gap_ms"] / 1000, rebuild=data["rebuild"]
        )
        return _layout(request, timeline, code=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
