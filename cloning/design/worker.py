"""The worker half of voice design: each candidate is designed by the best design engine (seed, seed + 1, ...)
and speaks a reference clip, kept as the voice's sample. When the designing engine keeps the voice's own files (a
Kokoro style table) that clip is also its preview: the voice is the clip, so there is no similarity to score.
Otherwise the best cloning engine makes the voice from the clip, and the judge scores its preview against the clip.
Candidates stay hidden; the owner keeps one (see services).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.storage import default_storage

from cloning import intake
from cloning.clone.voicefiles import voice_dir
from cloning.clone.worker import cloning_engine, judge_heldout, score, store_preview, store_profile
from cloning.design.candidates import CANDIDATE, candidate_ids
from cloning.texts import design_text, preview_text
from clonyvoice.audio import Audio, write_wav
from clonyvoice.errors import ServiceError
from clonyvoice.jobs import ProgressReporter
from clonyvoice.models import Job
from clonyvoice.paths import media_path
from synthesis.engines import DesignEngine, DesignParams, EngineError, NoVoiceForLanguage, design_engine
from voices.models import Voice, VoiceSample

STEPS = 4  # per candidate: place, speak the reference, build the profile, preview and score


def design_run(*, job: Job, progress: ProgressReporter) -> None:
    """Worker: design every candidate of the job, in order; the result lists them with their previews."""
    language, seed = job.params["language"], int(job.params["seed"])
    params = DesignParams(**job.params["design"])
    designer = design_engine(language)
    if designer is None:
        raise ServiceError(f"No installed engine can design a voice in {language!r}.", code="no_voice_for_language")
    ids = candidate_ids(job)
    made = []
    for index, voice_id in enumerate(ids):
        voice = Voice.objects.filter(pk=voice_id).first()
        if voice is None:
            raise ServiceError("A candidate was deleted while it was being designed.")

        def step(number: int, message: str, index: int = index) -> None:
            progress.checkpoint()
            text = f"candidate {index + 1} of {len(ids)}: {message}"
            progress.update(index * STEPS + number, len(ids) * STEPS, message=text, force=True)

        made.append(
            _candidate(voice, designer=designer, params=params, language=language, seed=seed + index, step=step)
        )
        made[-1]["index"] = index
    progress.result = {"candidates": made, "ignored": params.ignored, "recognized": params.recognized, "seed": seed}
    if params.ignored:
        Job.objects.filter(pk=job.pk).update(message=("ignored: " + ", ".join(params.ignored))[:255])


def _candidate(
    voice: Voice, *, designer: DesignEngine, params: DesignParams, language: str, seed: int, step: Any
) -> dict[str, Any]:
    try:
        designed = designer.design(
            params=params, language=language, text=design_text(language), seed=seed, on_step=step
        )
    except NoVoiceForLanguage as exc:
        raise ServiceError(str(exc), code="no_voice_for_language") from exc
    except EngineError as exc:
        raise ServiceError(str(exc)) from exc
    reference = intake.normalize_loudness(designed.reference)
    _keep_reference(voice, reference, language=language, seed=seed)
    step(2, "building the voice")
    if designed.keep is not None:
        # The designing engine speaks the voice itself: its clip is the preview, and there is no speaker to score
        # a similarity against (the clip is the voice).
        profile = {**designed.profile, **designed.keep(voice_dir(voice.pk)), CANDIDATE: True}
        store_profile(voice, engine=designer, profile=profile, language=language)
        _clip_as_preview(voice, reference)
        return _described(voice, engine=designer, profile=profile, similarity=None, preview=reference)
    engine: Any = cloning_engine(language)
    if engine.name == designer.name:
        profile = dict(designed.profile)
    else:
        try:
            cloned = engine.clone(reference=reference, language=language, voice_dir=voice_dir(voice.pk))
        except EngineError as exc:
            raise ServiceError(str(exc)) from exc
        profile = {**cloned, "design": designed.profile["design"], **designed.origin}
    profile.update({CANDIDATE: True, "similarity_reference": "the designed reference clip"})
    judged = judge_heldout(reference)
    if judged is not None:
        profile["judge"] = judged
    store_profile(voice, engine=engine, profile=profile, language=language)
    step(3, "speaking the preview")
    preview = store_preview(voice, preview_text(language))
    similarity = score(preview, profile)
    Voice.objects.filter(pk=voice.pk).update(similarity=similarity)
    return _described(voice, engine=engine, profile=profile, similarity=similarity, preview=preview)


def _keep_reference(voice: Voice, reference: Audio, *, language: str, seed: int) -> None:
    """The designed clip as the voice's one sample (a redelivered job writes it again, not twice)."""
    name = f"voices/{voice.pk}/samples/design-{seed}.wav"
    write_wav(media_path(name), reference)
    VoiceSample.objects.filter(voice=voice).delete()
    VoiceSample.objects.create(
        voice=voice,
        position=0,
        name="designed reference",
        original=name,
        cleaned=name,
        duration=round(reference.duration, 3),
        transcript=design_text(language),
        transcript_language=language,
    )


def _clip_as_preview(voice: Voice, clip: Audio) -> None:
    name = f"previews/{voice.pk}-{uuid.uuid4().hex[:8]}.wav"
    write_wav(media_path(name), clip)
    old = Voice.objects.filter(pk=voice.pk).values_list("preview", flat=True).first()
    Voice.objects.filter(pk=voice.pk).update(preview=name)
    if old and old != name:
        default_storage.delete(old)


def _described(
    voice: Voice, *, engine: Any, profile: dict[str, Any], similarity: float | None, preview: Audio
) -> dict[str, Any]:
    """A candidate as the job's result lists it."""
    return {
        "voice_id": str(voice.pk),
        "seed": int(voice.default_seed or 0),
        "engine": engine.name,
        "engine_label": engine.label,
        "method": profile.get("method", ""),
        "start": (profile.get("start") or {}).get("voice_id", ""),
        "similarity": similarity,
        "preview_url": f"/api/voices/{voice.pk}/preview",
        "duration": round(preview.duration, 3),
    }
