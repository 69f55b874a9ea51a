"""Transcription endpoints: thin — validate, call a service, serialize."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cloning.transcription import services as transcription
from cloning.transcription.serializers import TranscribeIn
from clonyvoice.api import ERROR_SCHEMA, FileView, ScopedView
from clonyvoice.scopes import AUDIO_PROCESS
from clonyvoice.serializers import JobAcceptedOut, accepted


class TranscribeView(ScopedView):
    required_scopes = {"POST": AUDIO_PROCESS}

    @extend_schema(
        summary="Transcribe audio (Whisper)",
        description="Multipart `file`, or the id of a stored sample, media file or generation. Answers 202 with a "
        "task id; progress (seconds of audio done) arrives on /ws and the transcript is the job's `result` on "
        "GET /api/jobs/{task_id}: text, segments with times, word timestamps, language, SRT and WebVTT. "
        "An unknown model is a 400 listing the installed ones; a known one that is not installed a 503.",
        request={"multipart/form-data": TranscribeIn, "application/json": TranscribeIn},
        responses={202: JobAcceptedOut, 400: ERROR_SCHEMA, 404: ERROR_SCHEMA, 413: ERROR_SCHEMA, 503: ERROR_SCHEMA},
    )
    def post(self, request: Request) -> Response:
        data = TranscribeIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        job = transcription.transcription_start(
            owner=request.user,
            upload=d.get("file"),
            sample_id=d.get("sample_id"),
            media_id=d.get("media_id"),
            generation_id=d.get("generation_id"),
            language=d["language"],
            model=d["model"],
            word_timestamps=d["word_timestamps"],
        )
        return Response(accepted(job), status=status.HTTP_202_ACCEPTED)


class TranscriptFileView(FileView):
    required_scopes = {"GET": AUDIO_PROCESS}

    @extend_schema(
        summary="Download a transcription as SRT, WebVTT, text or JSON",
        responses={(200, "text/plain"): str, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA},
    )
    def get(self, request: Request, task_id: str, fmt: str) -> HttpResponse:
        content, filename, content_type = transcription.transcript_export(owner=request.user, job_id=task_id, fmt=fmt)
        response = HttpResponse(content.encode("utf-8"), content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=request.query_params.get("download", "1") != "0", filename=filename
        )
        return response
