"""DRF throttle that applies a key's per-scope, per-minute limit through django-ratelimit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.throttling import BaseThrottle

from clonyvoice.models import ApiKey

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView
from clonyvoice.permissions import required_scopes_of
from clonyvoice.ratelimits import hit_scope


class ScopeRateThrottle(BaseThrottle):
    def __init__(self) -> None:
        self._wait: float | None = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        api_key = request.auth
        needed = required_scopes_of(request, view)
        if not isinstance(api_key, ApiKey) or not needed:
            return True
        # A request that needs several scopes counts against each of their limits.
        verdicts = [hit_scope(request._request, api_key=api_key, scope=scope) for scope in needed]
        limited = [v for v in verdicts if v.limited]
        self._wait = max((v.retry_after for v in limited), default=0)
        return not limited

    def wait(self) -> float | None:
        return self._wait
