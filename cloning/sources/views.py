"""POST /api/audio-duration: thin — validate, call a service, serialize."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from cloning.sources import services
from cloning.sources.serializers import AudioDurationOut, AudioSourceIn
from clonyvoice.api import ERROR_SCHEMA, ScopedView
from clonyvoice.scopes import AUDIO_PROCESS

# --- audio tools: transcribe, duration ----------------------------------------------------------------------------


class AudioDurationView(ScopedView):
    required_scopes = {"POST": AUDIO_PROCESS}

    @extend_schema(
        summary="Get audio file duration",
        description="ffprobe only (nothing is decoded): duration, sample rate, channels, codec and container of an "
        "upload, a stored sample or a media file.",
        request={"multipart/form-data": AudioSourceIn, "application/json": AudioSourceIn},
        responses={200: AudioDurationOut, 400: OpenApiResponse(ERROR_SCHEMA), 404: ERROR_SCHEMA, 413: ERROR_SCHEMA},
    )
    def post(self, request: Request) -> Response:
        data = AudioSourceIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        info = services.audio_duration(
            owner=request.user, upload=d.get("file"), sample_id=d.get("sample_id"), media_id=d.get("media_id")
        )
        return Response(AudioDurationOut(info).data)
