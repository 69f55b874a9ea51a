"""The worker half of word alignment: align the takes that have no words yet, a window's worth at a time."""

from __future__ import annotations

from pathlib import Path

from clonyvoice import audio
from clonyvoice.jobs import ProgressReporter
from clonyvoice.models import Job
from synthesis.models import Take
from synthesis.wordtimings.align import align_many
from synthesis.wordtimings.words import stored

BATCH = 12  # takes read and aligned together: bounded memory, a cancel checkpoint between batches


def words_align_run(*, job: Job, progress: ProgressReporter) -> None:
    """Idempotent: a take aligned by an earlier (or concurrent) run is skipped."""
    ids = list(job.params.get("take_ids") or [])
    pending = list(
        Take.objects.filter(pk__in=ids, words__isnull=True).select_related("chunk").order_by("chunk__index", "pk")
    )
    total = len(pending)
    progress.update(0, total, message="aligning words", force=True)
    for start in range(0, total, BATCH):
        progress.checkpoint()
        batch = pending[start : start + BATCH]
        items = [(audio.read_wav(Path(t.audio.path)), t.text, t.chunk.language or None) for t in batch]
        for take, words in zip(batch, align_many(items), strict=True):
            Take.objects.filter(pk=take.pk, words__isnull=True).update(words=stored(words))
        progress.update(start + len(batch), total, message=f"aligned {start + len(batch)} of {total}")
    progress.result = {"subject": job.params.get("subject", ""), "aligned": total}
