"""The word alignment actor: thin, takes a job id. On the gpu queue, where Whisper is loaded and kept warm."""

from __future__ import annotations

import dramatiq

from clonyvoice.jobs import job_run
from synthesis.wordtimings import worker


@dramatiq.actor(queue_name="gpu", max_retries=0, time_limit=60 * 60 * 1000)
def align_words(job_id: str) -> None:
    job_run(job_id, lambda job, progress: worker.words_align_run(job=job, progress=progress))
