"""Generations: a script spoken chunk by chunk, each chunk with one or more takes, and the final file."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from clonyvoice.models import Job


def take_path(take: Take, filename: str) -> str:
    return f"generations/{take.chunk.generation_id}/chunk-{take.chunk.index:04d}-take-{take.number:03d}.wav"


def output_path(generation: Generation, filename: str) -> str:
    return f"generations/{generation.pk}/{filename}"


class Generation(models.Model):
    """One generation request. Its primary key is the id of the Job that made it (the `task_id`)."""

    class Mode(models.TextChoices):
        SINGLE = "single"
        CHUNKED = "chunked"
        MULTIVOICE = "multivoice"
        MULTILANG = "multilang"
        DUB = "dub"  # a dub's speech: a chunk per source segment, each fitted into its time slot

    job = models.OneToOneField(Job, primary_key=True, on_delete=models.CASCADE, related_name="generation")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generations")
    mode = models.CharField(max_length=16, choices=Mode.choices)
    title = models.CharField(max_length=120)
    text = models.TextField()
    settings = models.JSONField(default=dict, help_text="speed, pitch, seed, format, language, max_chars…")
    output = models.FileField(upload_to=output_path, blank=True, max_length=255)
    output_format = models.CharField(max_length=8, blank=True)
    duration = models.FloatField(null=True, blank=True)
    output_layout = models.JSONField(
        default=dict, blank=True, help_text="How `output` was joined: {takes: {index: number}, gap, crossfade} (s)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def task_id(self) -> str:
        return str(self.pk)


class Chunk(models.Model):
    """One sentence (or segment) of a generation, with its voice and language."""

    class Status(models.TextChoices):
        PENDING = "pending"
        DONE = "done"
        FAILED = "failed"

    generation = models.ForeignKey(Generation, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    text = models.TextField()
    language = models.CharField(max_length=16, blank=True)
    voice = models.ForeignKey("voices.Voice", null=True, on_delete=models.SET_NULL, related_name="+")
    speaker = models.CharField(max_length=60, blank=True, help_text="Script name, for multi-voice scripts.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    selected_take = models.ForeignKey("Take", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["index"]
        constraints = [models.UniqueConstraint(fields=["generation", "index"], name="unique_chunk_index")]

    def __str__(self) -> str:
        return f"{self.generation_id}#{self.index}"


class Take(models.Model):
    """One rendering of a chunk. Regenerating adds a take; earlier ones stay selectable."""

    chunk = models.ForeignKey(Chunk, on_delete=models.CASCADE, related_name="takes")
    number = models.PositiveIntegerField()
    text = models.TextField()
    voice = models.ForeignKey("voices.Voice", null=True, on_delete=models.SET_NULL, related_name="+")
    seed = models.BigIntegerField(null=True, blank=True)
    audio = models.FileField(upload_to=take_path, max_length=255)
    sample_rate = models.PositiveIntegerField()
    duration = models.FloatField()
    synthesis_seconds = models.FloatField(help_text="Wall time the engine took.")
    words = models.JSONField(
        null=True, blank=True, help_text="[{word, start, end}] in seconds of this take; null until known."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["chunk", "number"], name="unique_take_number")]

    def __str__(self) -> str:
        return f"{self.chunk} take {self.number}"
