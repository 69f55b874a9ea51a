"""Design services, the request half: parse the description, create the hidden voice, start the design job.

The worker half is `cloning.design.worker`; a failed or cancelled design removes its voice like a clone.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cloning.clone.services import language_tag
from cloning.clone.voicefiles import DESIGN_KIND
from cloning.design.description import parse_description, with_overrides
from cloning.design.tasks import design_voice
from clonyvoice.errors import ServiceError
from clonyvoice.jobs import job_create
from clonyvoice.models import Job
from synthesis.engines import DesignParams
from voices.models import Voice


def design_start(
    *,
    owner: AbstractBaseUser,
    description: str,
    name: str = "",
    language: str | None = None,
    gender: str | None = None,
    age: str | None = None,
    seed: int | None = None,
) -> tuple[Job, DesignParams]:
    """Parse the description now (an empty one is a 400; unknown words are reported), design in the worker."""
    if not description or not description.strip():
        raise ServiceError(
            "Describe the voice, e.g. 'a warm, low-pitched older man, slow and calm'.", code="empty_description"
        )
    params = with_overrides(parse_description(description), gender=gender, age=age, language=language)
    language = language_tag(language or (params.accent if params.accent and "-" not in params.accent else "en"))
    if seed is None:
        seed = uuid.uuid4().int % 2**31
    with transaction.atomic():
        voice = Voice.objects.create(
            owner=owner,
            name=(name or description.strip())[:120],
            description=description.strip(),
            languages=[language],
            gender=params.gender,
            age=params.age,
            accent=params.accent,
            kind=Voice.Kind.DESIGNED,
            engine="matching",
            default_seed=seed,
            is_available=False,
            tags=["designed"],
        )
        job = job_create(
            owner=owner,
            kind=DESIGN_KIND,
            actor=design_voice,
            params={"voice_id": str(voice.pk), "language": language, "seed": seed, "design": params.as_dict()},
        )
    return job, params
