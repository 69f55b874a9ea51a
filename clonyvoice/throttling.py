"""DRF throttle that applies a key's per-scope, per-minute limit through django-ratelimit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.throttling import BaseThrottle

from clonyvoice.models import ApiKey

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView
from clonyvoice.permissions import required_scope
from clonyvoice.ratelimits import hit_scope


class ScopeRateThrottle(BaseThrottle):
    def __init__(self) -> None:
        self._wait: float | None = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        api_key = request.auth
        scope = required_scope(request, view)
        if not isinstance(api_key, ApiKey) or scope is None:
            return True
        verdict = hit_scope(request._request, api_key=api_key, scope=scope)
        self._wait = verdict.retry_after
        return not verdict.limited

    def wait(self) -> float | None:
        return self._wait
