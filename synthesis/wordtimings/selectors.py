"""Reads: a generation's words in the time base of its audio, and whether they are all known yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clonyvoice.models import Job
from synthesis.models import Generation, Take
from synthesis.wordtimings.words import join_offsets, shifted

ALIGN_KIND = "words.align"


@dataclass
class GenerationWords:
    """`words` of the takes heard so far; `missing` are takes whose words are not aligned yet."""

    words: list[dict[str, Any]] = field(default_factory=list)
    missing: list[Take] = field(default_factory=list)
    complete: bool = False  # every chunk has a take (the generation is spoken through)

    @property
    def ready(self) -> bool:
        return self.complete and not self.missing


def heard_takes(generation: Generation) -> tuple[list[Take], bool]:
    """The take each chunk plays in the generation's audio (those of its file, else the selected ones), in order,
    up to the first chunk with none; and whether every chunk has one. Reads prefetched chunks and takes."""
    layout = generation.output_layout if generation.output else {}
    chosen = {int(index): number for index, number in (layout.get("takes") or {}).items()}
    takes: list[Take] = []
    for chunk in generation.chunks.all():
        options = list(chunk.takes.all())
        wanted = chosen.get(chunk.index)
        take = next(
            (t for t in options if (t.number == wanted if wanted else t.pk == chunk.selected_take_id)),
            None,
        )
        if take is None:
            return takes, False
        take.chunk = chunk
        takes.append(take)
    return takes, True


def generation_words(generation: Generation) -> GenerationWords:
    """Words as `[{word, start, end, chunk}]`, in seconds of the generation's file (or, before one is joined, of
    its chunks played one after another)."""
    takes, complete = heard_takes(generation)
    layout = generation.output_layout if generation.output else {}
    offsets = join_offsets(
        [t.duration for t in takes],
        gap=float(layout.get("gap") or 0.0),
        crossfade=float(layout.get("crossfade") or 0.0),
    )
    result = GenerationWords(complete=complete)
    for take, offset in zip(takes, offsets, strict=True):
        if take.words is None:
            result.missing.append(take)
        else:
            result.words += shifted(take.words, offset=offset, chunk=take.chunk.index)
    return result


def alignment_job(*, owner: Any, subject: str) -> Job | None:
    """The pending or running alignment of `subject` ("generation:<id>", "timeline:<id>"), if any."""
    return (
        Job.objects.filter(owner=owner, kind=ALIGN_KIND, params__subject=subject)
        .exclude(status__in=Job.FINISHED)
        .order_by("-created_at")
        .first()
    )
