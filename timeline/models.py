"""Timelines (tracks of blocks pointing at stored audio, video and images), their renders, and montages."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from clonyvoice.models import Job, MediaFile


class Montage(models.Model):
    """An ordered set of the owner's generations with a title and notes; it opens as one timeline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="montages")
    title = models.CharField(max_length=120)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class MontageItem(models.Model):
    """One generation at one position of a montage (deleting the generation removes it from montages)."""

    montage = models.ForeignKey(Montage, on_delete=models.CASCADE, related_name="items")
    generation = models.ForeignKey("synthesis.Generation", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["montage", "position"], name="unique_montage_position")]

    def __str__(self) -> str:
        return f"{self.montage_id}#{self.position}"


class Timeline(models.Model):
    """The multi-track layout of one generation or one montage. `version` counts saved layouts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timelines")
    generation = models.OneToOneField(
        "synthesis.Generation", null=True, blank=True, on_delete=models.CASCADE, related_name="timeline"
    )
    montage = models.OneToOneField(Montage, null=True, blank=True, on_delete=models.CASCADE, related_name="timeline")
    title = models.CharField(max_length=120)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(generation__isnull=False, montage__isnull=True)
                | Q(generation__isnull=True, montage__isnull=False),
                name="timeline_of_generation_or_montage",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Track(models.Model):
    """A lane of blocks: speech, music/ambience, or the picture (video or still images)."""

    class Kind(models.TextChoices):
        VOICE = "voice"
        MUSIC = "music"
        VIDEO = "video"

    timeline = models.ForeignKey(Timeline, on_delete=models.CASCADE, related_name="tracks")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=100)
    gain_db = models.FloatField(default=0.0)
    mute = models.BooleanField(default=False)
    solo = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.timeline_id}: {self.name}"


class Block(models.Model):
    """A piece of a stored source on a track: a take (speech) or a media file, by id, never by path.

    `in_point`/`out_point` are seconds into the source; the block plays them from `start` on the timeline.
    """

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="blocks")
    take = models.ForeignKey("synthesis.Take", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    media = models.ForeignKey(MediaFile, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    start = models.FloatField()
    in_point = models.FloatField(default=0.0)
    out_point = models.FloatField()
    gain_db = models.FloatField(default=0.0)
    fade_in = models.FloatField(default=0.0)
    fade_out = models.FloatField(default=0.0)
    mute = models.BooleanField(default=False)
    label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(take__isnull=False, media__isnull=True) | Q(take__isnull=True, media__isnull=False),
                name="block_source_take_or_media",
            )
        ]

    def __str__(self) -> str:
        return f"{self.track_id}@{self.start:.3f}"

    @property
    def end(self) -> float:
        return self.start + self.out_point - self.in_point


class SourcePeaks(models.Model):
    """Waveform peaks of a source, computed once: max |sample| per 1/rate s, scaled to 0..255."""

    take = models.OneToOneField(
        "synthesis.Take", null=True, blank=True, on_delete=models.CASCADE, related_name="timeline_peaks"
    )
    media = models.OneToOneField(
        MediaFile, null=True, blank=True, on_delete=models.CASCADE, related_name="timeline_peaks"
    )
    rate = models.PositiveIntegerField(help_text="Peaks per second.")
    data = models.BinaryField()

    class Meta:
        verbose_name_plural = "source peaks"

    def __str__(self) -> str:
        return f"peaks of {'take ' + str(self.take_id) if self.take_id else 'media ' + str(self.media_id)}"


def _render_path(render: TimelineRender, filename: str) -> str:
    return f"timelines/{render.timeline_id}/{filename}"


class TimelineRender(models.Model):
    """The file one merge-timeline job wrote. Its primary key is the job's id."""

    job = models.OneToOneField(Job, primary_key=True, on_delete=models.CASCADE, related_name="timeline_render")
    timeline = models.ForeignKey(Timeline, on_delete=models.CASCADE, related_name="renders")
    file = models.FileField(upload_to=_render_path, max_length=255)
    format = models.CharField(max_length=8)
    sample_rate = models.PositiveIntegerField()
    channels = models.PositiveSmallIntegerField()
    frames = models.BigIntegerField()
    duration = models.FloatField()
    version = models.PositiveIntegerField(help_text="The layout version that was rendered.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.timeline_id} → {self.format}"


class Dub(models.Model):
    """A source video (or audio) dubbed into another language. Its primary key is the dub job's id, which is also
    the id of its generation (the spoken lines) and so the key of its timeline."""

    job = models.OneToOneField(Job, primary_key=True, on_delete=models.CASCADE, related_name="dub")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dubs")
    title = models.CharField(max_length=120)
    source = models.ForeignKey(MediaFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_is_own = models.BooleanField(
        default=False, help_text="The dub brought the source (upload, URL): it goes if the dub does not finish."
    )
    source_url = models.URLField(max_length=2000, blank=True)
    source_language = models.CharField(max_length=16, default="auto")
    target_language = models.CharField(max_length=16)
    options = models.JSONField(default=dict, help_text="voice_id, background_db, subtitles, quality.")
    stage = models.CharField(max_length=16, blank=True)
    duration = models.FloatField(null=True, blank=True)
    speakers = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    segments = models.JSONField(default=list, blank=True)
    stages = models.JSONField(default=list, blank=True, help_text="[{name, seconds}] in the order they ran.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
