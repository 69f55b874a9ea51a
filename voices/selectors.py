"""Reads of the voice library, always through what a user may see."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from clonyvoice.errors import NotFound
from voices.models import Category, Favorite, Voice, speaks


def voices_visible(*, user: AbstractBaseUser) -> QuerySet[Voice]:
    """Shared presets and the user's own voices, each annotated with `is_favorite`."""
    favorite = Favorite.objects.filter(user=user, voice=OuterRef("pk"))
    return (
        Voice.objects.filter(Q(owner__isnull=True) | Q(owner=user))
        .select_related("category")
        .annotate(is_favorite=Exists(favorite))
    )


def voice_list(*, user: AbstractBaseUser, filters: dict[str, Any]) -> QuerySet[Voice]:
    voices = voices_visible(user=user)
    if q := filters.get("q"):
        voices = voices.filter(
            Q(name__icontains=q)
            | Q(description__icontains=q)
            | Q(accent__icontains=q)
            | Q(engine_voice_id__icontains=q)
        )
    if category := filters.get("category"):
        voices = (
            voices.filter(category_id=category) if str(category).isdigit() else voices.filter(category__name=category)
        )
    if engine := filters.get("engine"):
        voices = voices.filter(engine=engine)
    if kind := filters.get("kind"):
        voices = voices.filter(kind=kind)
    if gender := filters.get("gender"):
        voices = voices.filter(gender=gender)
    if filters.get("favorite") is True:
        voices = voices.filter(is_favorite=True)
    if filters.get("available", True):
        voices = voices.filter(is_available=True)
    if language := filters.get("language"):
        # JSON containment is not portable to SQLite, and the library is small: filter on the tags.
        ids = [pk for pk, tags in voices.values_list("pk", "languages") if speaks(tags, language)]
        voices = voices.filter(pk__in=ids)
    return voices.order_by("kind", "name")


def voice_get(*, user: AbstractBaseUser, voice_id: str | uuid.UUID) -> Voice:
    """A voice the user may use; anyone else's is a 404."""
    try:
        voice_uuid = uuid.UUID(str(voice_id))
    except ValueError:
        raise NotFound("No such voice.") from None
    voice = voices_visible(user=user).filter(pk=voice_uuid).first()
    if voice is None:
        raise NotFound("No such voice.")
    return voice


def categories_of(*, user: AbstractBaseUser) -> QuerySet[Category]:
    return Category.objects.filter(owner=user)


def default_voice_for(*, user: AbstractBaseUser, language: str) -> Voice | None:
    """The voice to use for a language nobody chose one for: favorites first, then neural presets."""
    candidates = [v for v in voices_visible(user=user).filter(is_available=True) if v.speaks(language)]
    if not candidates:
        return None
    exact = [v for v in candidates if language.lower() in v.languages]
    pool = exact or candidates
    rank = {"piper": 0, "vits": 1, "festival": 2, "espeak": 3}
    return min(pool, key=lambda v: (not v.is_favorite, v.kind == Voice.Kind.PRESET, rank.get(v.engine, 9), v.name))
