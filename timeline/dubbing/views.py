"""POST /api/dub, GET /api/dub/{job_id}, GET /api/dubs and the dub's subtitles: thin views."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from clonyvoice.api import ERROR_SCHEMA, FileView, ScopedView
from clonyvoice.errors import NotFound
from clonyvoice.pagination import PAGE_PARAMETERS, page_query, paginate, paginated
from clonyvoice.scopes import AUDIO_PROCESS, TTS_GENERATE, VOICES_READ
from synthesis.wordtimings.subtitles import FORMATS as SUBTITLE_FORMATS
from synthesis.wordtimings.views import subtitles_response
from timeline.dubbing import selectors, services
from timeline.dubbing.assembly import subtitles
from timeline.dubbing.serializers import DubAcceptedOut, DubIn, DubOut


class DubView(ScopedView):
    required_scopes = {"POST": (TTS_GENERATE, AUDIO_PROCESS)}

    @extend_schema(
        summary="Dub a video or audio into another language",
        description="Needs both `tts:generate` and `audio:process`. Exactly one source: multipart `file`, "
        "`media_id` (one of your media files) or `url` (a video page, downloaded behind the same guards as "
        "/api/download-video). Everything is checked before a job exists: the source (ffprobe, at most "
        f"{services.MAX_SOURCE_SECONDS // 60} min, someone speaking: else 400 `no_speech`), the languages (400 "
        "`invalid_language`), the voice, and that a translation model covers the pair (503 "
        "`model_not_installed` with `install`). Then one job on /ws: `job.progress` names its `stage` among "
        f"{', '.join(services.STAGES)}. Each translated line is spoken into its source segment's time slot "
        "(speaking speed 1-1.25, then a time-stretch up to 1.15, then the silence after it). The result is a "
        "timeline (picture, the original audio at `background_db`, one speech block per line) that renders to "
        "MP4 (audio without a picture), and SRT/VTT in the target language. Without `voice_id` the speaker "
        "(or each of two speakers told apart) is cloned into a library voice. Cancel with POST /api/job/cancel.",
        request={"multipart/form-data": DubIn, "application/json": DubIn},
        responses={
            202: DubAcceptedOut,
            400: ERROR_SCHEMA,
            403: ERROR_SCHEMA,
            404: ERROR_SCHEMA,
            413: ERROR_SCHEMA,
            503: ERROR_SCHEMA,
        },
    )
    def post(self, request: Request) -> Response:
        data = DubIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        job = services.dub_start(
            owner=request.user,
            upload=d.get("file"),
            media_id=d.get("media_id"),
            url=d.get("url"),
            target_language=d["target_language"],
            source_language=d["source_language"],
            voice_id=d.get("voice_id"),
            background_db=d["background_db"],
            subtitles=d["subtitles"],
            quality=d["quality"],
            title=d["title"],
        )
        body = {"task_id": str(job.pk), "job_id": str(job.pk), "status": job.status, "kind": job.kind}
        return Response(body, status=status.HTTP_202_ACCEPTED)


class DubDetailView(ScopedView):
    required_scopes = {"GET": VOICES_READ}

    @extend_schema(
        summary="Get a dub: its stage, speakers, segments, notes, timeline, render and subtitles",
        responses={200: DubOut, 404: ERROR_SCHEMA},
    )
    def get(self, request: Request, job_id: str) -> Response:
        return Response(DubOut(selectors.dub_json(selectors.dub_get(owner=request.user, job_id=job_id))).data)


class DubListView(ScopedView):
    required_scopes = {"GET": VOICES_READ}

    @extend_schema(
        summary="List your dubs, newest first (without segments)",
        parameters=PAGE_PARAMETERS,
        responses=paginated(DubOut),
    )
    def get(self, request: Request) -> Response:
        page, page_size = page_query(request.query_params)
        dubs, meta = paginate(selectors.dub_list(owner=request.user), page=page, page_size=page_size)
        rows = [selectors.dub_json(dub, with_segments=False) for dub in dubs]
        return Response({**meta, "results": DubOut(rows, many=True).data})


class DubSubtitlesView(FileView):
    required_scopes = {"GET": VOICES_READ}

    @extend_schema(
        summary="Download a dub's subtitles (SRT or WebVTT) in the target language",
        operation_id="api_dub_subtitles_retrieve",
        parameters=[OpenApiParameter("download", int, description="0: inline (default: as an attachment)")],
        responses={(200, "text/vtt"): str, (200, "application/x-subrip"): str, 404: ERROR_SCHEMA},
    )
    def get(self, request: Request, job_id: str, fmt: str) -> HttpResponse:
        if fmt not in SUBTITLE_FORMATS:
            raise NotFound(f"Unknown subtitle format {fmt!r}; srt or vtt.")
        dub = selectors.dub_get(owner=request.user, job_id=job_id)
        if not selectors.dub_json(dub, with_segments=False)["subtitles"]:
            raise NotFound("This dub has no subtitles (it is not finished, or they were not asked for).")
        return subtitles_response(
            content=subtitles(dub.segments, fmt),
            content_type=SUBTITLE_FORMATS[fmt],
            name=f"dub-{str(dub.pk)[:8]}.{fmt}",
            download=request.query_params.get("download", "1") != "0",
        )
