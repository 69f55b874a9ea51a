"""A made voice's files and the job kinds that make voices: shared by both halves of cloning and design.

A voice that never became available (its clone or design job failed or was cancelled) is removed with its
samples and files, by the cancel in the request and by the actor when its job ends.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage

from clonyvoice.models import Job
from clonyvoice.paths import media_path
from voices.models import Voice

CLONE_KIND = "clone.create"


DESIGN_KIND = "design.create"


PREVIEW_KIND = "voice.preview"


def voice_dir(voice_id: Any) -> Path:
    return media_path("voices", voice_id)


def _remove_voice_files(voice_id: Any, names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
    shutil.rmtree(voice_dir(voice_id), ignore_errors=True)


def voice_discard(*, voice_id: Any) -> bool:
    """Remove a voice that never became available, with its samples and files. True when one was removed."""
    voice = Voice.objects.filter(pk=voice_id, is_available=False).exclude(kind=Voice.Kind.PRESET).first()
    if voice is None:
        return False
    names = [voice.preview.name] if voice.preview else []
    voice.delete()
    _remove_voice_files(voice_id, names)
    return True


def discard_unfinished(*, job_id: str) -> None:
    """After a clone/design job: if it did not succeed, nothing it half-made stays."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status == Job.Status.SUCCEEDED or job.kind not in (CLONE_KIND, DESIGN_KIND):
        return
    if job.status in (Job.Status.FAILED, Job.Status.CANCELLED) and job.params.get("voice_id"):
        voice_discard(voice_id=job.params["voice_id"])
