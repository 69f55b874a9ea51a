"""Dramatiq actors of the synthesis app: thin wrappers that take ids and call the worker half.

Workers autodiscover `<app>.tasks`: translation's and word alignment's actors (synthesis.translation.tasks,
synthesis.wordtimings.tasks) are imported here to register."""

from __future__ import annotations

import dramatiq

from clonyvoice.jobs import job_run
from synthesis import generation_worker
from synthesis.models import Generation
from synthesis.streaming.relay import sentence_relay
from synthesis.translation.tasks import translate_text
from synthesis.wordtimings.tasks import align_words

__all__ = ["align_words", "merge_generation", "regenerate_chunk", "synthesize_generation", "translate_text"]

# One chunk takes seconds; a whole generation of 2,000 chunks may take a long while on a CPU.
GENERATION_TIME_LIMIT_MS = 6 * 60 * 60 * 1000


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=GENERATION_TIME_LIMIT_MS)
def synthesize_generation(job_id: str) -> None:
    with sentence_relay(job_id) as relay:
        job_run(
            job_id,
            lambda job, progress: generation_worker.generation_run(
                generation=Generation.objects.get(pk=job.pk),
                progress=progress,
                on_sentence=relay.publish if relay else None,
            ),
        )


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=10 * 60 * 1000)
def regenerate_chunk(job_id: str) -> None:
    job_run(job_id, lambda job, progress: generation_worker.chunk_regenerate_run(job=job, progress=progress))


@dramatiq.actor(queue_name="cpu", max_retries=0, time_limit=60 * 60 * 1000)
def merge_generation(job_id: str) -> None:
    job_run(job_id, lambda job, progress: generation_worker.merge_run(job=job, progress=progress))
