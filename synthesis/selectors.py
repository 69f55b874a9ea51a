"""Reads of generations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, QuerySet
from django.utils.text import slugify

from clonyvoice.errors import NotFound
from clonyvoice.jobs import job_get
from synthesis.models import Chunk, Generation, Take


def generation_list(*, owner: AbstractBaseUser, filters: dict[str, Any]) -> QuerySet[Generation]:
    generations = Generation.objects.filter(owner=owner).select_related("job").annotate(chunk_count=Count("chunks"))
    if q := filters.get("q"):
        generations = generations.filter(text__icontains=q)
    if mode := filters.get("mode"):
        generations = generations.filter(mode=mode)
    if status := filters.get("status"):
        generations = generations.filter(job__status=status)
    if voice := filters.get("voice_id"):
        generations = generations.filter(chunks__voice_id=voice).distinct()
    return generations.order_by("-created_at")


def generation_detail(generation: Generation) -> Generation:
    takes = Prefetch("takes", queryset=Take.objects.order_by("number"))
    chunks = Prefetch("chunks", queryset=Chunk.objects.select_related("voice").prefetch_related(takes))
    return Generation.objects.select_related("job").prefetch_related(chunks).get(pk=generation.pk)


def generation_file_names(generation: Generation) -> tuple[str, str]:
    """What a download of the generation is called, without extension: its project name as a slug (Unicode
    kept: "Глава 1" → "глава-1") and an ASCII-only one for clients that cannot read the Unicode name."""
    fallback = f"clonyvoice-{str(generation.pk)[:8]}"
    name = slugify(generation.title, allow_unicode=True)[:80] or fallback
    return name, name if name.isascii() else fallback


def generation_get(*, owner: AbstractBaseUser, generation_id: Any) -> Generation:
    job = job_get(owner=owner, job_id=generation_id)
    generation = Generation.objects.filter(pk=job.pk).first()
    if generation is None:
        raise NotFound("No such generation.")
    return generation
