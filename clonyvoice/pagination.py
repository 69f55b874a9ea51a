"""Page-number pagination with the same envelope everywhere: results, count, page, page_size."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers

from clonyvoice.errors import ServiceError

PAGE_PARAMETERS = [OpenApiParameter("page", int), OpenApiParameter("page_size", int)]


def page_query(params: Mapping[str, str]) -> tuple[int, int]:
    """(page, page_size) of a list view's query string: page from 1, page_size 1-200 (50 unless given); 400 when
    either is not a number."""
    try:
        page = max(1, int(params.get("page", 1)))
        page_size = min(200, max(1, int(params.get("page_size", 50))))
    except ValueError:
        raise ServiceError("page and page_size are numbers.", code="invalid") from None
    return page, page_size


def paginate(queryset: QuerySet, *, page: int, page_size: int) -> tuple[list[Any], dict[str, int]]:
    count = queryset.count()
    start = (page - 1) * page_size
    meta = {"count": count, "page": page, "page_size": page_size}
    # Past the end there is nothing to fetch, and a huge page number would overflow the database's integer.
    return (list(queryset[start : start + page_size]) if start < count else []), meta


def paginated(serializer_class: type[serializers.Serializer]) -> serializers.Serializer:
    """The schema of a page as `paginate` shapes it, for `extend_schema(responses=...)` of a list view."""
    return inline_serializer(
        f"Paginated{serializer_class.__name__.removesuffix('Serializer')}List",
        {
            "count": serializers.IntegerField(),
            "page": serializers.IntegerField(),
            "page_size": serializers.IntegerField(),
            "results": serializer_class(many=True),
        },
    )
