"""Makes sure nothing under /api answers with an HTML error page."""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(("/api/", "/v1/")) or request.path == "/api"


class ApiErrorMiddleware:
    """Outermost middleware: turns any non-JSON error response on the API into a JSON one.

    Errors raised before a view runs (a disallowed Host, an unknown URL, an unhandled exception)
    are rendered by Django as HTML; API clients get `{"error", "detail"}` instead.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not _is_api(request):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        code = "server_error" if status >= 500 else _CODES.get(status, "error")
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Error"
        detail = {
            400: "Bad request (is the Host header one this server allows?).",
            404: "No such API endpoint.",
        }.get(status, reason)
        replacement = JsonResponse({"error": code, "detail": detail}, status=status)
        for header in ("Retry-After", "Allow"):
            if header in response:
                replacement[header] = response[header]
        return replacement
