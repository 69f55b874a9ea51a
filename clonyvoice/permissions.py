"""Scope checks: every API view names the scope each of its methods needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import BasePermission

from clonyvoice.models import ApiKey

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


def required_scopes_of(request: Request, view: APIView) -> tuple[str, ...] | None:
    """The scopes the request's method needs: one, or several that a key must all carry (a dub: speech and audio)."""
    scopes_by_method: dict[str, str | tuple[str, ...]] = getattr(view, "required_scopes", {})
    if request.method in scopes_by_method:
        needed = scopes_by_method[request.method]
    elif request.method in ("HEAD", "OPTIONS") and "GET" in scopes_by_method:
        needed = scopes_by_method["GET"]
    else:
        needed = getattr(view, "required_scope", None)
    if needed is None:
        return None
    return (needed,) if isinstance(needed, str) else tuple(needed)


class HasScope(BasePermission):
    """A key must carry the view's scope; the owner's browser session has every scope."""

    message = "This API key lacks the scope this endpoint needs."
    code = "missing_scope"

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not hasattr(view, request.method.lower()):
            return True  # DRF answers 405 next
        needed = required_scopes_of(request, view)
        if not needed:
            return False  # a view that names no scope is closed, never open by accident
        api_key = request.auth
        if isinstance(api_key, ApiKey):
            for scope in needed:
                if not api_key.has_scope(scope):
                    self.message = f"This API key lacks the scope {scope}."
                    return False
        return True
