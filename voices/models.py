"""The voice library: voices (preset, cloned, designed), their samples, categories and favorites."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q


def speaks(languages: list[str], language: str) -> bool:
    """Whether a voice with these language tags speaks `language` (same tag or same base language)."""
    wanted = language.lower()
    base = wanted.split("-")[0]
    return any(tag == wanted or tag.split("-")[0] == base for tag in languages)


class Category(models.Model):
    """A user's folder for voices."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="voice_categories")
    name = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="unique_category_name_per_owner")]

    def __str__(self) -> str:
        return self.name


class Voice(models.Model):
    """A voice that can speak: an engine's preset (shared, no owner) or a user's cloned/designed voice."""

    class Kind(models.TextChoices):
        PRESET = "preset"
        CLONED = "cloned"
        DESIGNED = "designed"
        MIXED = "mixed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="voices"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    languages = models.JSONField(default=list, help_text="Lower-case BCP-47 tags, most specific first.")
    gender = models.CharField(max_length=16, blank=True)
    age = models.CharField(max_length=32, blank=True)
    accent = models.CharField(max_length=64, blank=True)
    tags = models.JSONField(default=list, blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="voices")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    engine = models.CharField(max_length=32)
    engine_voice_id = models.CharField(max_length=200, blank=True)
    technology = models.CharField(
        max_length=16, blank=True, help_text="How its engine makes speech: neural, parametric, diphone or formant."
    )
    profile = models.JSONField(default=dict, blank=True, help_text="Clone profile for cloned/designed voices.")
    default_speed = models.FloatField(default=1.0)
    default_pitch = models.FloatField(default=0.0)
    default_seed = models.BigIntegerField(null=True, blank=True)
    preview = models.FileField(upload_to="previews/", blank=True)
    similarity = models.FloatField(
        null=True, blank=True, help_text="Cosine similarity of the clone's speech to held-out reference audio."
    )
    is_available = models.BooleanField(default=True, help_text="False when its engine or model is gone.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["engine", "engine_voice_id"],
                condition=Q(kind="preset"),
                name="unique_preset_per_engine_voice",
            )
        ]
        indexes = [models.Index(fields=["kind", "engine"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.engine})"

    @property
    def is_preset(self) -> bool:
        return self.kind == self.Kind.PRESET

    def speaks(self, language: str) -> bool:
        return speaks(self.languages, language)


class Favorite(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorite_voices")
    voice = models.ForeignKey(Voice, on_delete=models.CASCADE, related_name="favorited_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "voice"], name="unique_favorite")]

    def __str__(self) -> str:
        return f"{self.user} ♥ {self.voice}"


def _sample_path(instance: VoiceSample, filename: str) -> str:
    return f"voices/{instance.voice_id}/samples/{instance.id}{Path(filename).suffix.lower()[:10]}"


class VoiceSample(models.Model):
    """One recording a cloned voice was made from: the file as it arrived and the cleaned clip the engines use.

    A designed voice keeps its generated reference clip here too, so any cloning engine can use it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    voice = models.ForeignKey(Voice, on_delete=models.CASCADE, related_name="samples")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=255, blank=True)
    original = models.FileField(upload_to=_sample_path, max_length=255)
    cleaned = models.FileField(upload_to=_sample_path, max_length=255, blank=True)
    start = models.FloatField(null=True, blank=True, help_text="Region start in the original, seconds.")
    end = models.FloatField(null=True, blank=True, help_text="Region end in the original, seconds.")
    duration = models.FloatField(default=0.0, help_text="Length of the cleaned clip, seconds.")
    transcript = models.TextField(blank=True)
    transcript_language = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["voice", "position"]

    def __str__(self) -> str:
        return f"{self.voice} #{self.position}"
