"""Cross-cutting models: API keys, background jobs and the media files users bring."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from clonyvoice import scopes


def _default_scopes() -> list[str]:
    return list(scopes.ALL_SCOPES)


def _default_limits() -> dict[str, int]:
    return dict(scopes.DEFAULT_LIMITS)


class ApiKey(models.Model):
    """A key for scripts: `cv_<key_id>_<secret>`. Only a hash of the secret is stored."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    key_id = models.CharField(max_length=8, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=_default_scopes)
    limits = models.JSONField(default=_default_limits, help_text="Requests per minute, per scope.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} (cv_{self.key_id}_…)"

    @property
    def prefix(self) -> str:
        return f"cv_{self.key_id}_"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def limit_for(self, scope: str) -> int:
        return int(self.limits.get(scope, scopes.DEFAULT_LIMITS.get(scope, 0)))


class Job(models.Model):
    """One long operation run by a worker, with progress the owner can follow on /ws."""

    class Status(models.TextChoices):
        PENDING = "pending"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        CANCELLED = "cancelled"

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=64)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    queue = models.CharField(max_length=16)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    cancel_requested = models.BooleanField(default=False)
    progress = models.FloatField(default=0)
    total = models.FloatField(default=0)
    message = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    error_code = models.CharField(
        max_length=64, blank=True, help_text="What failed, as a code the UI words in its own language."
    )
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=64, blank=True, help_text="Dramatiq message id.")
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "status"]), models.Index(fields=["queue", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def fraction(self) -> float:
        return min(1.0, self.progress / self.total) if self.total else 0.0


def _media_path(instance: MediaFile, filename: str) -> str:
    return f"files/{instance.owner_id}/{instance.id}{Path(filename).suffix.lower()[:10]}"


class MediaFile(models.Model):
    """An audio or video file a user brought (upload, URL download, extracted track), probed on arrival.

    Timeline tracks and clone samples point at these by id, never by path.
    """

    class Source(models.TextChoices):
        UPLOAD = "upload"
        DOWNLOAD = "download"
        EXTRACTED = "extracted"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media_files")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.UPLOAD)
    name = models.CharField(max_length=255, help_text="The original file name or page title.")
    origin_url = models.URLField(max_length=2000, blank=True)
    file = models.FileField(upload_to=_media_path, max_length=255)
    size = models.BigIntegerField(default=0)
    info = models.JSONField(default=dict, help_text="ffprobe's view: duration, codec, rate, channels, ...")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def duration(self) -> float:
        return float(self.info.get("duration") or 0.0)
