"""Reads of the voice library, always through what a user may see."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from clonyvoice.errors import NotFound
from synthesis.engines import TECHNOLOGIES, voice_rank
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
        # What the cards show can be searched: tags, gender and how the voice is made, besides names.
        voices = voices.filter(
            Q(name__icontains=q)
            | Q(description__icontains=q)
            | Q(accent__icontains=q)
            | Q(engine_voice_id__icontains=q)
            | Q(engine__iexact=q)
            | Q(technology__iexact=q)
            | Q(gender__iexact=q)
            | Q(tags__icontains=q)
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
        # JSON containment is not portable to SQLite, and the library is small: filter and rank in Python.
        return _ranked(voices, language=language)
    tier = Case(
        *(When(technology=name, then=Value(n)) for n, name in enumerate(TECHNOLOGIES)),
        default=Value(len(TECHNOLOGIES)),
        output_field=IntegerField(),
    )
    own_first = Case(When(owner__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField())
    return voices.order_by(own_first, tier, "name")


def _ranked(voices: QuerySet[Voice], *, language: str) -> QuerySet[Voice]:
    """The voices that speak `language`: the user's own first, then the most intelligible (as measured) first."""
    rows = voices.values_list("pk", "languages", "owner_id", "engine", "engine_voice_id", "technology", "name")
    ranked = sorted(
        (row for row in rows if speaks(row[1], language)),
        key=lambda row: (
            row[2] is None,
            voice_rank(engine=row[3], voice_id=row[4], technology=row[5], language=language),
            row[6],
        ),
    )
    order = Case(*(When(pk=row[0], then=Value(n)) for n, row in enumerate(ranked)), output_field=IntegerField())
    return voices.filter(pk__in=[row[0] for row in ranked]).order_by(order)


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


def default_voice_for(*, user: AbstractBaseUser, language: str, gender: str = "") -> Voice | None:
    """The voice to use for a language nobody chose one for: a favorite that speaks it, else the most
    intelligible voice measured in it (neural first), preferring `gender` when one is asked for."""
    candidates = [v for v in voices_visible(user=user).filter(is_available=True) if v.speaks(language)]
    if not candidates:
        return None
    exact = [v for v in candidates if language.lower() in v.languages]
    pool = exact or candidates
    return min(
        pool,
        key=lambda v: (
            not v.is_favorite,
            bool(gender) and v.gender != gender,
            voice_rank(engine=v.engine, voice_id=v.engine_voice_id, technology=v.technology, language=language),
            v.kind != Voice.Kind.PRESET,
            v.name,
        ),
    )
