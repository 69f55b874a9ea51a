"""The media files a user brought (uploads, URL downloads, extracted tracks): list, details, audio, delete."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.http import FileResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from clonyvoice.api import ERROR_SCHEMA, FileView, ScopedView
from clonyvoice.errors import NotFound
from clonyvoice.media import media_delete, media_get
from clonyvoice.models import MediaFile
from clonyvoice.scopes import VOICES_READ, VOICES_WRITE

NOT_FOUND = OpenApiResponse(ERROR_SCHEMA, description="Not found")


class MediaOut(serializers.ModelSerializer):
    duration = serializers.FloatField(read_only=True)
    audio_url = serializers.SerializerMethodField()

    class Meta:
        model = MediaFile
        fields = ["id", "name", "source", "origin_url", "size", "duration", "info", "audio_url", "created_at"]
        read_only_fields = fields

    def get_audio_url(self, media: MediaFile) -> str:
        return f"/api/media/{media.pk}/audio"


class MediaListView(ScopedView):
    required_scopes = {"GET": VOICES_READ}

    @extend_schema(
        summary="List your media files",
        parameters=[OpenApiParameter("source", enum=MediaFile.Source.values, required=False)],
        responses=MediaOut(many=True),
    )
    def get(self, request: Request) -> Response:
        media = MediaFile.objects.filter(owner=request.user)
        if (source := request.query_params.get("source")) in MediaFile.Source.values:
            media = media.filter(source=source)
        return Response(MediaOut(media[:500], many=True).data)


class MediaDetailView(ScopedView):
    required_scopes = {"GET": VOICES_READ, "DELETE": VOICES_WRITE}

    @extend_schema(summary="Get a media file's details", responses={200: MediaOut, 404: NOT_FOUND})
    def get(self, request: Request, media_id: str) -> Response:
        return Response(MediaOut(media_get(owner=request.user, media_id=media_id)).data)

    @extend_schema(summary="Delete a media file", responses={204: None, 404: NOT_FOUND})
    def delete(self, request: Request, media_id: str) -> Response:
        media_delete(media=media_get(owner=request.user, media_id=media_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MediaAudioView(FileView):
    required_scopes = {"GET": VOICES_READ}

    @extend_schema(summary="Fetch a media file", responses={(200, "audio/*"): bytes, 404: NOT_FOUND})
    def get(self, request: Request, media_id: str) -> FileResponse:
        media = media_get(owner=request.user, media_id=media_id)
        path = Path(media.file.path)
        if not path.is_file():
            raise NotFound("The media file is missing from storage.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return FileResponse(open(path, "rb"), filename=media.name, content_type=content_type)
