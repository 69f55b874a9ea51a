"""Design candidates: the voices a design job makes, hidden until the owner keeps one. Shared by both halves.

A candidate is a designed voice with `is_available=False` and `CANDIDATE` in its profile; the job's params list
them (`candidates`). Keeping one makes it available and removes the rest. Nothing else keeps them: a failed or
cancelled design removes all of its candidates when its actor ends, and the candidates of finished designs that
were never kept are swept when their owner starts the next design.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from cloning.clone.voicefiles import DESIGN_KIND, voice_discard
from clonyvoice.models import Job
from voices.models import Voice

CANDIDATE = "design_candidate"  # profile key of a voice not kept yet
UNFINISHED = (Job.Status.PENDING, Job.Status.RUNNING)


def candidate_ids(job: Job) -> list[str]:
    return [str(voice_id) for voice_id in job.params.get("candidates") or []]


def candidates_discard(job: Job, *, keep: Any = None) -> int:
    """Remove the job's candidates that were not kept (and `keep` if not None is spared); how many went."""
    return sum(voice_discard(voice_id=voice_id) for voice_id in candidate_ids(job) if voice_id != str(keep))


def discard_unfinished(*, job_id: str) -> None:
    """After a design job: if it failed or was cancelled, none of its candidates stays."""
    job = Job.objects.filter(pk=job_id, kind=DESIGN_KIND).first()
    if job is not None and job.status in (Job.Status.FAILED, Job.Status.CANCELLED):
        candidates_discard(job)


def candidates_sweep(*, owner: AbstractBaseUser) -> int:
    """Remove the owner's candidates that no running design will still offer: left on a page and never kept."""
    offered = {
        voice_id
        for params in Job.objects.filter(owner=owner, kind=DESIGN_KIND, status__in=UNFINISHED).values_list(
            "params", flat=True
        )
        for voice_id in (params or {}).get("candidates") or []
    }
    stale = (
        Voice.objects.filter(owner=owner, kind=Voice.Kind.DESIGNED, is_available=False, profile__has_key=CANDIDATE)
        .exclude(pk__in=offered)
        .values_list("pk", flat=True)
    )
    return sum(voice_discard(voice_id=voice_id) for voice_id in list(stale))
