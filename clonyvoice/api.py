"""Building blocks for API views: scoped views and placeholders for endpoints still to come."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

ERROR_SCHEMA = inline_serializer("Error", {"error": serializers.CharField(), "detail": serializers.CharField()})


class ScopedView(APIView):
    """An API view; subclasses set `required_scopes = {"GET": "voices:read", ...}`."""

    required_scopes: dict[str, str] = {}


class IgnoreAcceptNegotiation(DefaultContentNegotiation):
    """Files answer with their own type whatever Accept says; errors still render as JSON."""

    def select_renderer(self, request: Request, renderers: list, format_suffix: str | None = None) -> tuple:
        return renderers[0], renderers[0].media_type


class FileView(ScopedView):
    """A scoped view whose success response is a file (audio), for clients that Accept audio/*."""

    content_negotiation_class = IgnoreAcceptNegotiation


def planned(name: str, scopes: dict[str, str], summaries: dict[str, str]) -> Callable[..., Any]:
    """A routed endpoint of the API contract whose feature has not landed yet: 501 with a JSON body.

    It is authenticated, scope-checked and rate-limited like the real one will be, so clients can
    see the whole contract now.
    """

    def handler(self: APIView, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(
            {"error": "not_implemented", "detail": f"{request.method} {request.path} is not available yet."},
            status=501,
        )

    attrs: dict[str, Any] = {"required_scopes": scopes, "__doc__": f"Planned endpoint {name}."}
    for method, summary in summaries.items():
        attrs[method.lower()] = extend_schema(
            summary=summary,
            description=f"{summary}. Not available yet: answers 501 until its feature lands.",
            request=None,
            responses={501: OpenApiResponse(ERROR_SCHEMA, description="Not implemented yet")},
            operation_id=f"{name}_{method.lower()}",
        )(handler)
    class_name = "".join(part.title() for part in name.split("_")) + "PlannedView"
    return type(class_name, (ScopedView,), attrs).as_view()
