"""POST /api/download-video: check the URL, then fetch its audio in a cpu worker."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from cloning.download import download_start
from clonyvoice.api import ERROR_SCHEMA, ScopedView
from clonyvoice.scopes import AUDIO_PROCESS
from clonyvoice.serializers import JobAcceptedOut, accepted


class DownloadVideoIn(serializers.Serializer):
    url = serializers.CharField(max_length=2000)


class DownloadVideoView(ScopedView):
    required_scopes = {"POST": AUDIO_PROCESS}

    @extend_schema(
        summary="Download audio from video URL",
        description="Checks the URL at once (http(s) only, public hosts only on every redirect, a single video of "
        "a site yt-dlp knows, within the size and duration caps), then a cpu worker downloads it and keeps its "
        "audio (FLAC, mono) as a media file usable as a clone sample or a timeline track. Progress arrives on "
        "/ws; the finished job's result gives `media_id`, `name`, `duration` and `audio_url`.",
        request=DownloadVideoIn,
        responses={202: JobAcceptedOut, 400: OpenApiResponse(ERROR_SCHEMA, description="URL refused, with the reason")},
    )
    def post(self, request: Request) -> Response:
        data = DownloadVideoIn(data=request.data)
        data.is_valid(raise_exception=True)
        job = download_start(owner=request.user, url=data.validated_data["url"])
        return Response({**accepted(job), "title": job.params.get("title", "")}, status=status.HTTP_202_ACCEPTED)
