"""A render's file goes with its row (a deleted timeline, montage or generation takes its renders along)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from timeline.models import TimelineRender


@receiver(post_delete, sender=TimelineRender)
def _render_deleted(sender, instance: TimelineRender, **kwargs) -> None:
    if not instance.file:
        return
    path = Path(instance.file.path)

    def remove() -> None:
        path.unlink(missing_ok=True)
        if path.parent.is_dir() and not any(path.parent.iterdir()):
            path.parent.rmdir()

    transaction.on_commit(remove)
