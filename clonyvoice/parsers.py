"""Request parsers that fail with a 400, not a crash, on pathological bodies."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from clonyvoice import jsonsafe


class SafeJSONParser(JSONParser):
    """JSON bodies through `jsonsafe.loads`: a nesting limit (Python's decoder recurses) and the size cap for
    bodies held in memory."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        try:
            return jsonsafe.loads(raw, max_bytes=limit)
        except jsonsafe.JSONRejected as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
