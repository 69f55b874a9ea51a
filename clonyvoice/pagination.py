"""Page-number pagination with the same envelope everywhere: results, count, page, page_size."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def paginate(queryset: QuerySet, *, page: int, page_size: int) -> tuple[list[Any], dict[str, int]]:
    count = queryset.count()
    start = (page - 1) * page_size
    return list(queryset[start : start + page_size]), {"count": count, "page": page, "page_size": page_size}
