"""The upload size cap (settings.CLONYVOICE_MAX_UPLOAD_BYTES), in one place: enforced before a body is buffered
(by Content-Length, and by counting chunked bodies), while streaming files, and on a file a service is handed."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse

from clonyvoice.errors import ServiceError


def max_upload_bytes() -> int:
    return int(settings.CLONYVOICE_MAX_UPLOAD_BYTES)


def _limit_detail() -> str:
    return f"The upload is larger than the {max_upload_bytes() // (1024 * 1024)} MB limit."


class UploadTooLarge(ServiceError):
    status = 413
    code = "too_large"


def upload_check_size(size: int | None) -> None:
    """Refuse a file over the cap (the middleware already refused bodies that declare more)."""
    limit = max_upload_bytes()
    if size is not None and size > limit:
        raise UploadTooLarge(f"The file is {size} bytes; the limit is {limit}.", limit=limit)


class UploadLimitMiddleware:
    """Answers 413 from the Content-Length header alone, so an oversized body is never read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"error": "bad_request", "detail": "Invalid Content-Length header."}, status=400)
        if length > max_upload_bytes():
            response = JsonResponse({"error": "too_large", "detail": _limit_detail()}, status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Streams uploads to temp files and stops once the request's files pass the cap (no Content-Length)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            if getattr(self, "file", None) is not None:
                self.file.close()
            raise UploadTooLarge(_limit_detail())
        return super().receive_data_chunk(raw_data, start)


class BodySizeLimit:
    """ASGI wrapper for bodies without a Content-Length (chunked): counts bytes as they arrive.

    Django reads a whole body before it routes the request; past the cap this tells Django the client
    went away (so it sends nothing) and answers 413 itself, without reading the rest.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = max_upload_bytes()
        received = 0
        exceeded = False

        async def counting_receive() -> dict:
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        await self.app(scope, counting_receive, send)
        if exceeded:
            body = json.dumps({"error": "too_large", "detail": _limit_detail()}).encode()
            headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
            await send({"type": "http.response.start", "status": 413, "headers": headers})
            await send({"type": "http.response.body", "body": body})
