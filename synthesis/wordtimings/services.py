"""The request half of word timings: start an alignment when some words are missing, render subtitles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from clonyvoice.errors import ServiceError
from clonyvoice.jobs import job_create
from clonyvoice.models import Job
from synthesis.models import Generation, Take
from synthesis.wordtimings import subtitles
from synthesis.wordtimings.selectors import ALIGN_KIND, GenerationWords, alignment_job, generation_words
from synthesis.wordtimings.tasks import align_words


def words_align_start(*, owner: AbstractBaseUser, subject: str, takes: Sequence[Take]) -> Job | None:
    """Align the takes among `takes` that have no words yet (None when there are none). One alignment per
    subject at a time: asking again while one runs returns it."""
    missing = [t.pk for t in takes if t.words is None]
    if not missing:
        return None
    running = alignment_job(owner=owner, subject=subject)
    if running is not None:
        return running
    return job_create(owner=owner, kind=ALIGN_KIND, actor=align_words, params={"subject": subject, "take_ids": missing})


def generation_words_ensure(*, owner: AbstractBaseUser, generation: Generation) -> tuple[GenerationWords, Job | None]:
    """The generation's words, and the alignment job started (or running) for the takes that lack them."""
    words = generation_words(generation)
    if not words.complete:
        raise ServiceError("The generation is not spoken through yet.", code="generation_not_ready", status=409)
    job = words_align_start(owner=owner, subject=f"generation:{generation.pk}", takes=words.missing)
    return words, job


def subtitles_content_type(fmt: str) -> str:
    if fmt not in subtitles.FORMATS:
        raise ServiceError(f"Subtitles come as {' or '.join(subtitles.FORMATS)}.", code="unsupported_format")
    return subtitles.FORMATS[fmt]


def subtitles_render(*, words: Sequence[dict[str, Any]], fmt: str) -> tuple[str, str]:
    """(content, content type) of subtitles in `fmt`."""
    content_type = subtitles_content_type(fmt)
    return subtitles.render(words, fmt), content_type
