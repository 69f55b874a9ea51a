"""Subtitles of a timeline: the words of its audible speech blocks, placed where the blocks play them.

A block plays `in_point`..`out_point` of a take from `start`, so a word of the take at t is heard at
start - in_point + t, and words outside the trimmed span are not heard at all. Mute and solo count as they do
in a render; blocks keep their own cues (a cue never spans two blocks), in the order the blocks start.
"""

from __future__ import annotations

from typing import Any

from synthesis.models import Take
from synthesis.wordtimings.words import shifted
from timeline.models import Block, Timeline, Track


def timeline_words(timeline: Timeline) -> tuple[list[dict[str, Any]], list[Take]]:
    """The heard words (`chunk` is the block's position among the speech blocks), and the takes without words."""
    tracks = [t for t in timeline.tracks.all() if t.kind != Track.Kind.VIDEO]
    soloed = any(t.solo for t in tracks)
    audible = {t.pk for t in tracks if not t.mute and (t.solo or not soloed)}
    blocks = (
        Block.objects.filter(track_id__in=audible, take__isnull=False, mute=False)
        .select_related("take")
        .order_by("start", "id")
    )
    words: list[dict[str, Any]] = []
    missing: list[Take] = []
    for position, block in enumerate(blocks):
        take = block.take
        if take.words is None:
            missing.append(take)
            continue
        words += shifted(
            take.words, offset=block.start - block.in_point, chunk=position, clip=(block.in_point, block.out_point)
        )
    return words, missing
