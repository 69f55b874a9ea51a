"""JSON from clients, parsed with a size and a nesting limit.

Python's decoder recurses once per level: a document of 100,000 `[` exhausts the stack (RecursionError),
and one of a few megabytes takes the worker's time. Every JSON a client sends (request bodies, WebSocket
frames, manifests inside archives) goes through `loads`.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64


class JSONRejected(ValueError):
    """Not JSON, or JSON past a limit; `code` says which (`invalid_json`, `too_large`, `too_deep`)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def nesting_depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed document (a scalar is 0), without recursing."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            stack.extend((child, depth) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def loads(data: str | bytes, *, max_bytes: int, max_depth: int = MAX_DEPTH) -> Any:
    """Parse `data` (UTF-8 when bytes) or raise JSONRejected; never RecursionError or UnicodeDecodeError."""
    if len(data) > max_bytes:
        raise JSONRejected(f"The JSON is larger than {max_bytes} bytes.", code="too_large")
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise JSONRejected("The JSON is not UTF-8.", code="invalid_json") from exc
    too_deep = JSONRejected(f"The JSON is nested deeper than {max_depth} levels.", code="too_deep")
    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise too_deep from exc
    except ValueError as exc:
        raise JSONRejected(f"Not valid JSON: {exc}", code="invalid_json") from exc
    if nesting_depth(value) > max_depth:
        raise too_deep
    return value
