"""Reads of the voice library, always through what a user may see."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from clonyvoice.errors import NotFound
from synthesis.engines import TECHNOLOGIES, voice_rank
from voices.languages import codes_named
from voices.models import Category, Favorite, Voice, speaks
from voices.vocabulary import canonical_words

LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,8})*")


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
    if text := (filters.get("search") or filters.get("q") or "").strip():
        voices = voices.filter(_search(text))
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


def _search(text: str) -> Q:
    """What the cards show can be searched: names, description, tags, gender, how the voice is made, and its
    languages by code ("en-gb") or by name in English, natively or in a UI language ("British", "русский")."""
    match = (
        Q(name__icontains=text)
        | Q(description__icontains=text)
        | Q(accent__icontains=text)
        | Q(engine_voice_id__icontains=text)
        | Q(engine__iexact=text)
        | Q(technology__iexact=text)
        | Q(gender__iexact=text)
        | Q(tags__icontains=text)
    )
    for word in canonical_words(text):
        match |= Q(tags__icontains=f'"{word}"') | Q(gender__iexact=word) | Q(technology__iexact=word)
        match |= Q(kind__iexact=word)
    codes = codes_named(text)
    if LANGUAGE_CODE.fullmatch(text.lower()):
        codes.add(text.lower())
    for code in codes:
        # Tags are stored as a JSON list: a quote starts each tag, so this finds the code and its variants.
        match |= Q(languages__icontains=f'"{code}"') | Q(languages__icontains=f'"{code}-')
    return match


def _ranked(voices: QuerySet[Voice], *, language: str) -> QuerySet[Voice]:
    """The voices that speak `language`, best first: neural before the rest (an own clone spoken by a formant
    engine does not outrank a neural preset), the user's own first within that, then the most intelligible."""
    rows = [
        row
        for row in voices.values_list(
            "pk", "languages", "owner_id", "engine", "engine_voice_id", "technology", "profile", "name"
        )
        if speaks(row[1], language)
    ]
    base_technology = _preset_technologies()
    ranks = {
        pk: voice_rank(
            engine=engine,
            voice_id=voice_id,
            technology=_technology(technology, profile, base_technology),
            language=language,
        )
        for pk, _languages, _owner, engine, voice_id, technology, profile, _name in rows
    }
    ranked = sorted(rows, key=lambda row: (ranks[row[0]][0], row[2] is None, ranks[row[0]][1], row[7]))
    order = Case(*(When(pk=row[0], then=Value(n)) for n, row in enumerate(ranked)), output_field=IntegerField())
    return voices.filter(pk__in=[row[0] for row in ranked]).order_by(order)


def _preset_technologies() -> dict[tuple[str, str], str]:
    rows = Voice.objects.filter(kind=Voice.Kind.PRESET).values_list("engine", "engine_voice_id", "technology")
    return {(engine, voice_id): technology for engine, voice_id, technology in rows}


def _technology(technology: str, profile: dict[str, Any], presets: dict[tuple[str, str], str]) -> str:
    """How a voice's speech is made: its own technology, else (a voice spoken through a base preset, as voice
    matching does) the base preset's — an eSpeak-based clone sounds like eSpeak."""
    if technology:
        return technology
    base = (profile or {}).get("base") or {}
    return presets.get((str(base.get("engine", "")), str(base.get("voice_id", ""))), "")


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
    presets = _preset_technologies()
    return min(
        pool,
        key=lambda v: (
            not v.is_favorite,
            bool(gender) and v.gender != gender,
            voice_rank(
                engine=v.engine,
                voice_id=v.engine_voice_id,
                technology=_technology(v.technology, v.profile, presets),
                language=language,
            ),
            v.kind != Voice.Kind.PRESET,
            v.name,
        ),
    )
