"""The worker half of translation: the gpu worker loads the model (kept warm for the next request) and translates."""

from __future__ import annotations

from clonyvoice.jobs import ProgressReporter
from clonyvoice.models import Job
from synthesis.translation.plan import translate_now


def translation_run(*, job: Job, progress: ProgressReporter) -> None:
    """The gpu worker's side: load the model (kept warm for the next request) and translate."""
    plan = job.params["plan"]
    progress.update(0, 1, message=f"translating {plan['source']} → {plan['target']} with {plan['model']}")
    progress.result = translate_now(text=job.params["text"], plan=plan)
