"""Montages: ordered sets of the owner's generations that open as one timeline."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from clonyvoice.errors import NotFound, ServiceError
from synthesis.models import Generation
from timeline.models import Montage, MontageItem, Timeline, Track
from timeline.services.layout import _lay_out_speech, _ready_takes, _uuid, generation_gap

MAX_MONTAGE_GENERATIONS = 200


def _owned_generations(owner: AbstractBaseUser, ids: list[str]) -> list[Generation]:
    if len(ids) > MAX_MONTAGE_GENERATIONS:
        raise ServiceError(f"At most {MAX_MONTAGE_GENERATIONS} generations in a montage.", code="too_many_generations")
    parsed: list[uuid.UUID | None] = []
    for value in ids:
        try:
            parsed.append(uuid.UUID(str(value)))
        except ValueError:
            parsed.append(None)
    found = {g.pk: g for g in Generation.objects.filter(owner=owner, pk__in=[p for p in parsed if p])}
    missing = [ids[i] for i, p in enumerate(parsed) if p not in found]
    if missing:
        raise ServiceError(
            f"You have no generation {missing[0]!r}.", code="unknown_generation", generation_ids=missing[:20]
        )
    return [found[p] for p in parsed]


def montage_get(*, owner: AbstractBaseUser, montage_id: Any) -> Montage:
    montage = Montage.objects.filter(pk=_uuid(montage_id, "montage"), owner=owner).first()
    if montage is None:
        raise NotFound("No such montage.")
    return montage


def _set_items(montage: Montage, generations: list[Generation]) -> None:
    MontageItem.objects.filter(montage=montage).delete()
    MontageItem.objects.bulk_create(
        MontageItem(montage=montage, generation=g, position=i) for i, g in enumerate(generations)
    )


def montage_create(*, owner: AbstractBaseUser, title: str, notes: str, generation_ids: list[str]) -> Montage:
    """A montage of the owner's generations in the given order."""
    generations = _owned_generations(owner, generation_ids)
    with transaction.atomic():
        montage = Montage.objects.create(owner=owner, title=title.strip() or "Untitled montage", notes=notes)
        _set_items(montage, generations)
    return montage


def montage_update(
    *,
    owner: AbstractBaseUser,
    montage_id: Any,
    title: str | None = None,
    notes: str | None = None,
    generation_ids: list[str] | None = None,
) -> Montage:
    """Rename, annotate or reorder; an open timeline keeps its layout until it is rebuilt."""
    montage = montage_get(owner=owner, montage_id=montage_id)
    generations = _owned_generations(owner, generation_ids) if generation_ids is not None else None
    with transaction.atomic():
        if title is not None:
            montage.title = title.strip() or montage.title
        if notes is not None:
            montage.notes = notes
        montage.save()
        if generations is not None:
            _set_items(montage, generations)
    return montage


def montage_delete(*, owner: AbstractBaseUser, montage_id: Any) -> None:
    """Delete a montage and its timeline and renders; the generations stay."""
    montage_get(owner=owner, montage_id=montage_id).delete()


def montage_timeline_open(
    *, owner: AbstractBaseUser, montage_id: Any, gap: float = 1.0, rebuild: bool = False
) -> tuple[Timeline, bool]:
    """The montage's timeline: its generations end to end, `gap` s apart (each with its own chunk gap).

    Made on first call; `rebuild` lays it out again from the montage (a new version). Returns it and
    whether it was laid out now.
    """
    montage = montage_get(owner=owner, montage_id=montage_id)
    existing = Timeline.objects.filter(montage=montage).first()
    if existing is not None and not rebuild:
        return existing, False
    generations = [item.generation for item in montage.items.select_related("generation")]
    if not generations:
        raise ServiceError("The montage has no generations.", code="empty_montage")
    parts = [(_ready_takes(g), generation_gap(g)) for g in generations]
    try:
        with transaction.atomic():
            if existing is None:
                timeline = Timeline.objects.create(owner=owner, montage=montage, title=montage.title)
            else:
                timeline = Timeline.objects.select_for_update().get(pk=existing.pk)
                Track.objects.filter(timeline=timeline).delete()
                timeline.version += 1
                timeline.save(update_fields=["version", "updated_at"])
            _lay_out_speech(timeline, parts, between=gap)
    except IntegrityError:
        return Timeline.objects.get(montage=montage), False
    return timeline, True
