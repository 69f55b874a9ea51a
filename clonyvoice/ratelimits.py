"""Per-key, per-scope limits and failed-authentication limits, counted in the shared Redis cache."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from clonyvoice.models import ApiKey


@dataclass(frozen=True)
class Verdict:
    limited: bool
    retry_after: int


def _verdict(usage: dict | None) -> Verdict:
    if not usage:
        return Verdict(limited=False, retry_after=0)
    return Verdict(limited=bool(usage["should_limit"]), retry_after=max(1, int(usage["time_left"])))


def hit_scope(request: HttpRequest, *, api_key: ApiKey, scope: str) -> Verdict:
    """Count one request of `api_key` against its per-minute limit for `scope`."""
    usage = get_usage(
        request,
        group=f"scope:{scope}",
        key=lambda _group, _request: api_key.key_id,
        rate=f"{api_key.limit_for(scope)}/m",
        increment=True,
    )
    return _verdict(usage)


def auth_failures(request: HttpRequest, *, record: bool) -> Verdict:
    """Failed authentications from the client's address; `record` counts one more (limited past the rate)."""
    usage = get_usage(
        request,
        group="auth-failure",
        # A server behind a proxy on a unix socket sees no client address: those clients share one budget.
        key="ip" if request.META.get("REMOTE_ADDR") else (lambda _group, _request: "no-address"),
        rate=settings.CLONYVOICE_AUTH_FAILURE_RATE,
        increment=record,
    )
    if usage and not record:
        # A peek: the next failure would be one too many once the budget is used up.
        usage = {**usage, "should_limit": usage["count"] >= usage["limit"]}
    return _verdict(usage)
