"""Word timings and subtitles of a generation: thin views over `services`."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from clonyvoice.api import ERROR_SCHEMA, FileView, ScopedView
from clonyvoice.errors import ServiceError
from clonyvoice.scopes import TTS_GENERATE, VOICES_READ
from synthesis import selectors as generation_selectors
from synthesis.wordtimings import services
from synthesis.wordtimings.selectors import alignment_job, generation_words
from synthesis.wordtimings.serializers import WordsOut

SUBTITLE_FORMAT = OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["srt", "vtt"])
DOWNLOAD = OpenApiParameter("download", int, description="0: inline; default 1 (an attachment)")


def subtitles_response(*, content: str, content_type: str, name: str, download: bool) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=download, filename=name)
    return response


class GenerationWordsView(ScopedView):
    required_scopes = {"POST": TTS_GENERATE}

    @extend_schema(
        summary="Time every word of a generation",
        description=(
            "Words an engine timed itself (Kokoro) are there as soon as a chunk is spoken; the others are aligned "
            "to the audio by Whisper in the gpu worker on first request. 200 with the words when all are known, "
            "else 202 with the alignment job (follow it on /ws or GET /api/jobs/{task_id}, then ask again)."
        ),
        request=None,
        responses={200: WordsOut, 202: WordsOut, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA},
    )
    def post(self, request: Request, generation_id: str) -> Response:
        generation = generation_selectors.generation_detail(
            generation_selectors.generation_get(owner=request.user, generation_id=generation_id)
        )
        words, job = services.generation_words_ensure(owner=request.user, generation=generation)
        if job is None:
            return Response({"status": "ready", "task_id": None, "words": words.words})
        return Response(
            {"status": "aligning", "task_id": str(job.pk), "words": words.words}, status=status.HTTP_202_ACCEPTED
        )


class GenerationSubtitlesView(FileView):
    required_scopes = {"GET": VOICES_READ}

    @extend_schema(
        summary="Download a generation's subtitles (SRT or WebVTT)",
        operation_id="api_generations_subtitles_retrieve",
        description="A cue per sentence, split when too long to read. 409 `words_not_ready` until every word is "
        "timed: POST /api/generations/{id}/words first.",
        parameters=[SUBTITLE_FORMAT, DOWNLOAD],
        responses={
            (200, "text/vtt"): str,
            (200, "application/x-subrip"): str,
            404: ERROR_SCHEMA,
            409: OpenApiResponse(ERROR_SCHEMA),
        },
    )
    def get(self, request: Request, generation_id: str, fmt: str) -> HttpResponse:
        services.subtitles_content_type(fmt)
        generation = generation_selectors.generation_detail(
            generation_selectors.generation_get(owner=request.user, generation_id=generation_id)
        )
        words = generation_words(generation)
        if not words.ready:
            job = alignment_job(owner=request.user, subject=f"generation:{generation.pk}")
            raise ServiceError(
                "Not every word is timed yet: POST /api/generations/{id}/words, then ask again.",
                code="words_not_ready",
                status=409,
                task_id=str(job.pk) if job else None,
            )
        content, content_type = services.subtitles_render(words=words.words, fmt=fmt)
        name, _ascii = generation_selectors.generation_file_names(generation)
        return subtitles_response(
            content=content,
            content_type=content_type,
            name=f"{name}.{fmt}",
            download=request.query_params.get("download", "1") != "0",
        )
