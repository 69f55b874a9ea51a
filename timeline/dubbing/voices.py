"""The dub's voices: the source's speakers told apart, and each cloned from its own speech. Worker code.

Each segment is embedded with the d-vector (cloning/similarity.py) and split by spherical 2-means, as
cloning/speakers.py splits windows; two speakers are kept apart when their centroids are further apart than one
speaker's halves ever were (speakers.SEPARATE) and each has enough speech to clone. The clone is a real library
voice: the best cloning engine fits it to the speaker's speech, the judge scores its preview on held-out audio.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from cloning import intake, similarity, speakers
from cloning.clone.voicefiles import voice_discard
from cloning.clone.worker import cloning_engine, finish_voice, fit_profile
from clonyvoice.audio import Audio, join
from clonyvoice.errors import ServiceError
from clonyvoice.jobs import ProgressReporter
from timeline.dubbing.notes import one_voice
from voices.models import Voice

MIN_CLONE_SECONDS = 6.0
LABELS = "AB"


@dataclass(frozen=True)
class SpeakerSplit:
    labels: list[str]  # one per segment
    note: dict[str, Any] | None  # why one voice speaks every line (notes.one_voice)


def _cut(audio: Audio, start: float, end: float) -> Audio:
    rate = audio.sample_rate
    return Audio(samples=audio.samples[int(start * rate) : int(end * rate)], sample_rate=rate)


def split_speakers(audio: Audio, spans: list[tuple[float, float]]) -> SpeakerSplit:
    """Label each span A or B when two speakers are clearly apart and each speaks ≥ 6 s; else all A with a note."""
    one = ["A"] * len(spans)
    if len(spans) < 2:
        return SpeakerSplit(one, None)
    try:
        vectors = np.stack([similarity.embed(_cut(audio, s, e)) for s, e in spans]).astype(np.float64)
    except similarity.SimilarityUnavailable:
        return SpeakerSplit(one, one_voice("no_speaker_encoder"))
    groups = speakers.two_means(vectors)
    if len(set(groups.tolist())) < 2:
        return SpeakerSplit(one, one_voice("one_speaker"))
    centroids = []
    for group in (0, 1):
        mean = vectors[groups == group].mean(axis=0)
        centroids.append(mean / (np.linalg.norm(mean) or 1.0))
    apart = float(centroids[0] @ centroids[1]) < speakers.SEPARATE
    seconds = [sum(e - s for (s, e), g in zip(spans, groups, strict=True) if g == group) for group in (0, 1)]
    if not apart:
        return SpeakerSplit(one, one_voice("one_voice"))
    if min(seconds) < MIN_CLONE_SECONDS:
        return SpeakerSplit(one, one_voice("second_speaker_short", seconds=min(seconds), needed=MIN_CLONE_SECONDS))
    first = int(groups[0])  # the first to speak is A
    return SpeakerSplit([LABELS[0] if g == first else LABELS[1] for g in groups.tolist()], None)


def reference_of(audio: Audio, spans: list[tuple[float, float]]) -> Audio:
    """One speaker's speech: their segments, trimmed of silence and joined, at a level the engines expect."""
    parts = [intake.trim_silence(_cut(audio, s, e), pad=0.05) for s, e in spans]
    return intake.normalize_loudness(join([p for p in parts if len(p.samples)], gap=0.2))


def clone_speaker(
    *,
    owner: Any,
    name: str,
    reference: Audio,
    language: str,
    quality: str,
    progress: ProgressReporter,
    on_created: Callable[[Voice], None],
) -> dict[str, Any]:
    """Make a library voice from `reference` that speaks `language`; returns its voice_id and judged similarity."""
    if reference.duration < intake.MIN_SPEECH_SECONDS:
        raise ServiceError(
            f"Only {reference.duration:.1f} s of speech to clone the speaker from; choose a voice_id.",
            code="no_speech",
        )
    engine = cloning_engine(language)
    voice = Voice.objects.create(
        id=uuid.uuid4(),
        owner=owner,
        name=name[:120],
        description="Cloned from a dubbed source's speech.",
        languages=[language],
        kind=Voice.Kind.CLONED,
        engine="matching",
        is_available=False,
        tags=["cloned", "dub"],
    )
    on_created(voice)
    fit, held_out, _really = intake.split_held_out(reference)

    def on_step(step: int, total: int, score: float) -> None:
        progress.update(step, total, message=f"fitting {voice.name}: step {step} of {total}", fit=score)

    profile = fit_profile(
        engine,
        voice=voice,
        reference=fit,
        language=language,
        quality=quality,
        seed=0,
        progress=progress,
        on_step=on_step,
    )
    result = finish_voice(voice, engine=engine, profile=profile, held_out=held_out, progress=progress, step=1)
    return {"voice_id": result["voice_id"], "similarity": result["similarity"], "engine": result["engine"]}


def discard_voice(voice_id: Any) -> None:
    """A dub that did not finish keeps none of its clones (made available or not)."""
    Voice.objects.filter(pk=voice_id).exclude(kind=Voice.Kind.PRESET).update(is_available=False)
    voice_discard(voice_id=voice_id)
