"""Writes to the voice library."""

from __future__ import annotations

import logging
import shutil
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from clonyvoice.errors import Conflict, NotFound, ServiceError
from clonyvoice.paths import media_path
from synthesis.engines import EngineError, mixing_engine, registry
from voices.models import Category, Favorite, Voice
from voices.selectors import voice_get

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = (
    "name",
    "description",
    "languages",
    "gender",
    "age",
    "accent",
    "tags",
    "default_speed",
    "default_pitch",
    "default_seed",
)


def voice_mix_create(
    *, owner: AbstractBaseUser, name: str, components: list[dict[str, Any]], description: str = ""
) -> Voice:
    """A new library voice blended from weighted voices of one engine that mixes (Kokoro).

    Components are `{"voice_id": <library voice id>, "weight": <number ≥ 0>}`; presets and the user's own mixes
    can be blended. The mix is stored as the engine's formula (`jf_alpha*0.7+jm_kumo*0.3`), so it needs no files.
    """
    chosen: list[tuple[Voice, float]] = []
    for item in components:
        try:
            chosen.append((voice_get(user=owner, voice_id=item["voice_id"]), float(item["weight"])))
        except NotFound:
            raise ServiceError(f"No such voice: {item['voice_id']}.", code="unknown_voice") from None
    engines = {voice.engine for voice, _ in chosen}
    engine = mixing_engine(next(iter(engines))) if len(engines) == 1 else None
    if engine is None:
        mixable = sorted(e.label for e in registry().values() if e.capabilities.mixing)
        raise ServiceError(
            f"Only voices of one engine that mixes ({', '.join(mixable)}) can be blended; "
            f"these are {', '.join(sorted(engines))}.",
            code="not_mixable",
        )
    try:
        made = engine.mix([(voice.engine_voice_id, weight) for voice, weight in chosen])
    except EngineError as exc:
        raise ServiceError(str(exc), code="invalid_mix") from None
    genders = {voice.gender for voice, _ in chosen}
    parts = ", ".join(f"{voice.name} {weight:g}" for voice, weight in chosen)
    return Voice.objects.create(
        owner=owner,
        name=name.strip() or made.name,
        description=description or f"A mix of {parts}.",
        languages=list(made.languages),
        gender=genders.pop() if len(genders) == 1 else "",
        tags=list(made.tags),
        kind=Voice.Kind.MIXED,
        engine=made.engine,
        engine_voice_id=made.voice_id,
        technology=made.technology,
        profile={"mix": [{"voice_id": str(voice.pk), "name": voice.name, "weight": w} for voice, w in chosen]},
    )


def voice_update(*, user: AbstractBaseUser, voice: Voice, data: dict[str, Any]) -> Voice:
    """Update metadata of a cloned or designed voice. Presets are shared by everyone: read-only."""
    if voice.is_preset:
        raise Conflict("Preset voices are read-only; favorite them or use them as they are.", code="preset_read_only")
    fields = []
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(voice, name, data[name])
            fields.append(name)
    if "category" in data:
        voice.category = _own_category(user=user, category_id=data["category"])
        fields.append("category")
    if fields:
        voice.save(update_fields=[*fields, "updated_at"])
    return voice


def _own_category(*, user: AbstractBaseUser, category_id: int | None) -> Category | None:
    if category_id is None:
        return None
    category = Category.objects.filter(owner=user, pk=category_id).first()
    if category is None:
        raise ServiceError("No such category.", code="unknown_category")
    return category


def voice_delete(*, voice: Voice) -> None:
    if voice.is_preset:
        raise Conflict("Preset voices come with their engine and cannot be deleted.", code="preset_voice")
    files = [f for f in (voice.preview,) if f]
    # Samples, the cleaned clips and engine profiles (a Pocket TTS prompt, ...) live in the voice's folder.
    folder = media_path("voices", voice.pk)

    def remove_files() -> None:
        for f in files:
            f.storage.delete(f.name)
        shutil.rmtree(folder, ignore_errors=True)

    with transaction.atomic():
        voice.delete()
        transaction.on_commit(remove_files)


def category_create(*, owner: AbstractBaseUser, name: str) -> Category:
    name = name.strip()
    if not name:
        raise ServiceError("A category needs a name.", code="invalid_name")
    try:
        with transaction.atomic():
            return Category.objects.create(owner=owner, name=name)
    except IntegrityError:
        raise Conflict(f"You already have a category named {name!r}.", code="duplicate_category") from None


def category_delete(*, owner: AbstractBaseUser, category_id: int) -> None:
    deleted, _ = Category.objects.filter(owner=owner, pk=category_id).delete()
    if not deleted:
        raise NotFound("No such category.")


def favorite_toggle(*, user: AbstractBaseUser, voice: Voice) -> bool:
    """Flip the favorite mark; returns whether the voice is now a favorite."""
    deleted, _ = Favorite.objects.filter(user=user, voice=voice).delete()
    if deleted:
        return False
    Favorite.objects.get_or_create(user=user, voice=voice)
    return True


def presets_sync() -> dict[str, int]:
    """Create or refresh a preset Voice for every voice of every installed engine. Idempotent.

    Voices whose engine or model has gone are kept (generations refer to them) but marked unavailable.
    """
    seen: set[tuple[str, str]] = set()
    created = updated = 0
    for engine in registry().values():
        if not engine.is_installed():
            continue
        try:
            offered = engine.voices()
        except Exception:
            logger.exception("could not list the voices of %s", engine.name)
            continue
        for preset in offered:
            seen.add((preset.engine, preset.voice_id))
            _, was_created = Voice.objects.update_or_create(
                kind=Voice.Kind.PRESET,
                engine=preset.engine,
                engine_voice_id=preset.voice_id,
                defaults={
                    "owner": None,
                    "name": preset.name,
                    "description": preset.description,
                    "languages": list(preset.languages),
                    "gender": preset.gender,
                    "age": preset.age,
                    "accent": preset.accent,
                    "tags": list(preset.tags),
                    "technology": preset.technology,
                    "is_available": True,
                },
            )
            created += was_created
            updated += not was_created
    gone = [v.pk for v in Voice.objects.filter(kind=Voice.Kind.PRESET) if (v.engine, v.engine_voice_id) not in seen]
    Voice.objects.filter(pk__in=gone).update(is_available=False)
    return {"created": created, "updated": updated, "unavailable": len(gone)}
