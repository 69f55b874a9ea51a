"""Errors that services raise and the API turns into `{"error": code, "detail": ...}` responses."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A request that cannot be carried out; `status` is the HTTP status the API answers with."""

    status = 400
    code = "bad_request"

    def __init__(self, detail: str, *, code: str | None = None, status: int | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        if status:
            self.status = status
        self.extra = extra


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class PermissionDenied(ServiceError):
    status = 403
    code = "permission_denied"


class NotImplementedYet(ServiceError):
    status = 501
    code = "not_implemented"
