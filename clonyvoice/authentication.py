"""DRF authentication: `X-API-Key` for scripts, the session (with CSRF) for the browser."""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.request import Request

from clonyvoice.keys import apikey_verify
from clonyvoice.models import ApiKey
from clonyvoice.ratelimits import auth_failures

QUERY_KEY_NAMES = ("api_key", "apikey", "key", "x-api-key", "token")


def authenticate_token(request: HttpRequest, token: str) -> ApiKey:
    """The key for `token`, or an exception: 401, or 429 once this address has failed too often.

    A valid key always passes: on a local install every client shares 127.0.0.1, and one process sending bad
    keys must not lock every script out. The limit answers the failures only.
    """
    api_key = apikey_verify(token=token)
    if api_key is not None:
        return api_key
    failures = auth_failures(request, record=True)
    if failures.limited:
        raise exceptions.Throttled(wait=failures.retry_after, detail="Too many failed authentications.")
    raise exceptions.AuthenticationFailed("Invalid, revoked or expired API key.")


def _bearer(header: str) -> str | None:
    """`Authorization: Bearer <key>`, which OpenAI-style clients send."""
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class ApiKeyAuthentication(BaseAuthentication):
    """Authenticates `X-API-Key: cv_<id>_<secret>` (or `Authorization: Bearer`); sets request.auth to the ApiKey."""

    def authenticate(self, request: Request) -> tuple | None:
        token = request.META.get("HTTP_X_API_KEY") or _bearer(request.META.get("HTTP_AUTHORIZATION", ""))
        if not token:
            # A key in a URL ends up in logs and browser history: refuse it outright.
            if any(name in request.query_params for name in QUERY_KEY_NAMES):
                raise exceptions.AuthenticationFailed("Send the API key in the X-API-Key header, not in the URL.")
            return None
        api_key = authenticate_token(request._request, token)
        return api_key.owner, api_key

    def authenticate_header(self, request: Request) -> str:
        return "X-API-Key"


class CsrfSessionAuthentication(SessionAuthentication):
    """Browser sessions; unsafe methods need the CSRF token (DRF's SessionAuthentication does that)."""
