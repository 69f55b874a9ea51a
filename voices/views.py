"""Voice library endpoints: thin — validate, call a service or selector, serialize."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from clonyvoice.api import ERROR_SCHEMA, FileView, ScopedView
from clonyvoice.errors import NotFound
from clonyvoice.pagination import paginate, paginated
from clonyvoice.scopes import VOICES_READ, VOICES_WRITE
from voices import selectors, services
from voices.serializers import (
    CategoryDeleteIn,
    CategoryIn,
    CategoryOut,
    FavoriteOut,
    VoiceDetailOut,
    VoiceListQuery,
    VoiceMixIn,
    VoiceOut,
    VoiceUpdateIn,
)

NOT_FOUND = OpenApiResponse(ERROR_SCHEMA, description="Not found")


class VoiceListView(ScopedView):
    required_scopes = {"GET": VOICES_READ, "POST": VOICES_WRITE}

    @extend_schema(summary="List all voices", parameters=[VoiceListQuery], responses=paginated(VoiceOut))
    def get(self, request: Request) -> Response:
        query = VoiceListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        voices = selectors.voice_list(user=request.user, filters=filters)
        page, meta = paginate(voices, page=filters["page"], page_size=filters["page_size"])
        return Response({**meta, "results": VoiceOut(page, many=True).data})

    @extend_schema(
        summary="Create a voice by mixing voices",
        description=(
            "Blends weighted voices of an engine that mixes (Kokoro) into a new library voice: "
            '`{"name": "Warm narrator", "mix": [{"voice_id": "<id>", "weight": 0.7}, {"voice_id": "<id>", '
            '"weight": 0.3}]}`. Weights are relative (scaled to sum to 1). Presets and your own mixes can be '
            "blended; the new voice speaks the languages all of them speak."
        ),
        request=VoiceMixIn,
        responses={201: VoiceDetailOut, 400: ERROR_SCHEMA},
    )
    def post(self, request: Request) -> Response:
        data = VoiceMixIn(data=request.data)
        data.is_valid(raise_exception=True)
        voice = services.voice_mix_create(
            owner=request.user,
            name=data.validated_data["name"],
            description=data.validated_data["description"],
            components=data.validated_data["mix"],
        )
        return Response(
            VoiceDetailOut(selectors.voice_get(user=request.user, voice_id=voice.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class VoiceDetailView(ScopedView):
    required_scopes = {"GET": VOICES_READ, "PUT": VOICES_WRITE, "DELETE": VOICES_WRITE}

    @extend_schema(summary="Get voice details", responses={200: VoiceDetailOut, 404: NOT_FOUND})
    def get(self, request: Request, voice_id: str) -> Response:
        return Response(VoiceDetailOut(selectors.voice_get(user=request.user, voice_id=voice_id)).data)

    @extend_schema(
        summary="Update voice metadata", request=VoiceUpdateIn, responses={200: VoiceDetailOut, 404: NOT_FOUND}
    )
    def put(self, request: Request, voice_id: str) -> Response:
        voice = selectors.voice_get(user=request.user, voice_id=voice_id)
        data = VoiceUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.voice_update(user=request.user, voice=voice, data=data.validated_data)
        return Response(VoiceDetailOut(selectors.voice_get(user=request.user, voice_id=voice_id)).data)

    @extend_schema(summary="Delete voice", responses={204: None, 404: NOT_FOUND, 409: ERROR_SCHEMA})
    def delete(self, request: Request, voice_id: str) -> Response:
        services.voice_delete(voice=selectors.voice_get(user=request.user, voice_id=voice_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class VoicePreviewView(FileView):
    required_scopes = {"GET": VOICES_READ}

    @extend_schema(summary="Play a voice's preview audio", responses={(200, "audio/*"): bytes, 404: NOT_FOUND})
    def get(self, request: Request, voice_id: str) -> FileResponse:
        voice = selectors.voice_get(user=request.user, voice_id=voice_id)
        if not voice.preview:
            raise NotFound("This voice has no preview yet.")
        return FileResponse(voice.preview.open("rb"), filename=voice.preview.name.rsplit("/", 1)[-1])


class CategoryView(ScopedView):
    required_scopes = {"GET": VOICES_READ, "POST": VOICES_WRITE, "DELETE": VOICES_WRITE}

    @extend_schema(summary="List categories", responses=CategoryOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(CategoryOut(selectors.categories_of(user=request.user), many=True).data)

    @extend_schema(summary="Create a category", request=CategoryIn, responses={201: CategoryOut, 409: ERROR_SCHEMA})
    def post(self, request: Request) -> Response:
        data = CategoryIn(data=request.data)
        data.is_valid(raise_exception=True)
        category = services.category_create(owner=request.user, name=data.validated_data["name"])
        return Response(CategoryOut(category).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Delete a category",
        description='The category id goes in the body (`{"id": 3}`) or the query string (`?id=3`).',
        request=CategoryDeleteIn,
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request: Request) -> Response:
        data = CategoryDeleteIn(data=request.data or request.query_params)
        data.is_valid(raise_exception=True)
        services.category_delete(owner=request.user, category_id=data.validated_data["id"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class FavoriteListView(ScopedView):
    required_scopes = {"GET": VOICES_READ}

    @extend_schema(summary="Get favorite voices", responses=VoiceOut(many=True))
    def get(self, request: Request) -> Response:
        voices = selectors.voice_list(user=request.user, filters={"favorite": True, "available": False})
        return Response(VoiceOut(voices, many=True).data)


class FavoriteToggleView(ScopedView):
    required_scopes = {"POST": VOICES_WRITE}

    @extend_schema(summary="Toggle favorite", request=None, responses={200: FavoriteOut, 404: NOT_FOUND})
    def post(self, request: Request, voice_id: str) -> Response:
        voice = selectors.voice_get(user=request.user, voice_id=voice_id)
        is_favorite = services.favorite_toggle(user=request.user, voice=voice)
        return Response({"voice_id": str(voice.pk), "is_favorite": is_favorite})
