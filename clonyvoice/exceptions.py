"""Every API error is JSON: `{"error": code, "detail": message}` plus optional fields."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from clonyvoice.errors import ServiceError

_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
    exceptions.ParseError: "malformed_request",
    exceptions.NotAcceptable: "not_acceptable",
}


def _first_message(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        prefix = "" if key == "non_field_errors" else f"{key}: "
        return prefix + _first_message(value)
    return str(detail)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ServiceError):
        return Response({"error": exc.code, "detail": exc.detail, **exc.extra}, status=exc.status)
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        # Django stops parsing a multipart body at the first part past its limits; say so, not "bad request".
        detail = (
            f"The form has too many parts: at most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields and "
            f"{settings.DATA_UPLOAD_MAX_NUMBER_FILES} files."
        )
        return Response({"error": "too_many_parts", "detail": detail}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"error": "invalid", "detail": _first_message(exc.detail), "fields": exc.detail}
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    code = next((c for cls, c in _CODES.items() if isinstance(exc, cls)), "error")
    if isinstance(exc, exceptions.PermissionDenied) and getattr(exc.detail, "code", "") == "missing_scope":
        code = "missing_scope"
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    body: dict[str, Any] = {"error": code, "detail": _first_message(detail)}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after"] = int(exc.wait)
    response.data = body
    return response
