"""Design services, the request half: parse the description, create the hidden candidates, start the design job;
keep one candidate, discard them all, cancel.

The worker half is `cloning.design.worker`. Candidates stay out of the Library (`is_available=False`) until one is
kept; see `cloning.design.candidates` for what removes the others.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cloning.clone.services import language_tag
from cloning.clone.voicefiles import DESIGN_KIND
from cloning.design.candidates import CANDIDATE, candidates_discard, candidates_sweep
from cloning.design.description import parse_description, with_overrides
from cloning.design.tasks import design_voice
from clonyvoice.errors import Conflict, NotFound, ServiceError
from clonyvoice.jobs import job_cancel, job_create, job_get
from clonyvoice.models import Job
from synthesis.engines import DesignParams, design_engine
from synthesis.scripts import detect_language_confident
from voices.models import Voice

MAX_CANDIDATES = 3


def design_start(
    *,
    owner: AbstractBaseUser,
    description: str,
    name: str = "",
    language: str | None = None,
    gender: str | None = None,
    age: str | None = None,
    seed: int | None = None,
    candidates: int = MAX_CANDIDATES,
) -> tuple[Job, DesignParams]:
    """Parse the description now (an empty one is a 400; unknown words are reported), design `candidates` voices
    (seeds `seed`, `seed + 1`, ...) in the worker. The owner's unkept candidates of earlier designs go first."""
    if not description or not description.strip():
        raise ServiceError(
            "Describe the voice, e.g. 'a warm, low-pitched older man, slow and calm'.", code="empty_description"
        )
    if not 1 <= candidates <= MAX_CANDIDATES:
        raise ServiceError(f"candidates must be 1 to {MAX_CANDIDATES}.", code="bad_candidates")
    params = with_overrides(parse_description(description), gender=gender, age=age, language=language)
    # The voice's first language: the one asked for, else an accent's, else the description's own (a Russian
    # description makes a voice that speaks Russian first), else English.
    accent = params.accent if params.accent and "-" not in params.accent else None
    language = language_tag(language or accent or detect_language_confident(description) or "en")
    designer = design_engine(language)
    if designer is None:
        raise ServiceError(f"No installed engine can design a voice in {language!r}.", code="no_voice_for_language")
    if seed is None:
        seed = uuid.uuid4().int % (2**31 - MAX_CANDIDATES)
    candidates_sweep(owner=owner)
    with transaction.atomic():
        voices = [
            Voice.objects.create(
                owner=owner,
                name=(name or description.strip())[:120],
                description=description.strip(),
                languages=[language],
                gender=params.gender,
                age=params.age,
                accent=params.accent,
                kind=Voice.Kind.DESIGNED,
                engine=designer.name,
                default_seed=seed + index,
                is_available=False,
                tags=["designed"],
                profile={CANDIDATE: True},
            )
            for index in range(candidates)
        ]
        job = job_create(
            owner=owner,
            kind=DESIGN_KIND,
            actor=design_voice,
            params={
                "candidates": [str(voice.pk) for voice in voices],
                "language": language,
                "seed": seed,
                "design": params.as_dict(),
            },
        )
    return job, params


def _design_job(*, owner: AbstractBaseUser, job_id: Any) -> Job:
    job = job_get(owner=owner, job_id=job_id)
    if job.kind != DESIGN_KIND:
        raise NotFound("No such design job.")
    return job


def design_keep(*, owner: AbstractBaseUser, job_id: Any, index: int | None, voice_id: Any, name: str = "") -> Voice:
    """Keep one candidate of a finished design (by its index or voice id): it joins the Library, under `name` if
    given; the other candidates are removed with their files."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=_design_job(owner=owner, job_id=job_id).pk)
        if job.status != Job.Status.SUCCEEDED:
            raise Conflict("The design has not finished; keep a voice once its candidates are ready.", code="not_ready")
        if (job.result or {}).get("kept"):
            raise Conflict("A voice of this design was kept already.", code="already_kept")
        made = [str(item["voice_id"]) for item in (job.result or {}).get("candidates") or []]
        if voice_id is not None:
            chosen = str(voice_id)
        elif index is not None and 0 <= index < len(made):
            chosen = made[index]
        else:
            raise ServiceError(f"Choose a candidate: index 0 to {len(made) - 1} or its voice_id.", code="bad_candidate")
        voice = Voice.objects.filter(pk=chosen, owner=owner, is_available=False).first()
        if chosen not in made or voice is None:
            raise NotFound("No such candidate (discarded, or not of this design).", code="no_candidate")
        voice.profile = {key: value for key, value in voice.profile.items() if key != CANDIDATE}
        voice.is_available = True
        if name.strip():
            voice.name = name.strip()[:120]
        voice.save(update_fields=["profile", "is_available", "name", "updated_at"])
        job.result = {**job.result, "kept": chosen}
        Job.objects.filter(pk=job.pk).update(result=job.result)
        candidates_discard(job, keep=chosen)
    return voice


def design_discard(*, owner: AbstractBaseUser, job_id: Any) -> tuple[Job, int]:
    """Keep none: a design still running is cancelled (its actor removes everything when it stops); a finished
    one's unkept candidates are removed now. Answers the job and how many voices went."""
    job = _design_job(owner=owner, job_id=job_id)
    if job.status in (Job.Status.PENDING, Job.Status.RUNNING):
        job = job_cancel(owner=owner, job_id=job.pk)
    if job.status in (Job.Status.PENDING, Job.Status.RUNNING):
        return job, 0
    return job, candidates_discard(job, keep=(job.result or {}).get("kept"))


def design_cancel(*, owner: AbstractBaseUser, job_id: Any) -> Job:
    """Cancel a design: a pending one's candidates are removed now, a running one's when it stops."""
    job = job_cancel(owner=owner, job_id=_design_job(owner=owner, job_id=job_id).pk)
    if job.status == Job.Status.CANCELLED:
        candidates_discard(job)
    return job
