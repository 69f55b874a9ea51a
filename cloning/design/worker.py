"""The worker half of voice design: the best design engine makes the voice and speaks a reference clip (kept as
the voice's sample); the best cloning engine then builds the voice's profile from it, unless that is the same
engine; then the preview and its score, as for a clone.
"""

from __future__ import annotations

from typing import Any

from cloning import intake
from cloning.clone.voicefiles import voice_dir
from cloning.clone.worker import cloning_engine, finish_voice
from cloning.texts import design_text
from clonyvoice.audio import write_wav
from clonyvoice.errors import ServiceError
from clonyvoice.jobs import ProgressReporter
from clonyvoice.models import Job
from clonyvoice.paths import media_path
from synthesis.engines import DesignParams, EngineError, NoVoiceForLanguage, design_engine
from voices.models import Voice, VoiceSample


def design_run(*, job: Job, progress: ProgressReporter) -> None:
    """Worker: the design engine's reference clip (kept as a sample) → profile of the best cloning engine."""
    voice = Voice.objects.filter(pk=job.params["voice_id"]).first()
    if voice is None:
        raise ServiceError("The voice was deleted while it was being designed.")
    language, seed = job.params["language"], int(job.params["seed"])
    params = DesignParams(**job.params["design"])
    designer = design_engine(language)
    if designer is None:
        raise ServiceError(f"No installed preset voice speaks {language!r}.", code="no_voice_for_language")

    def step(number: int, message: str) -> None:
        if number:
            progress.checkpoint()
        progress.update(number, 4, message=message, force=True)

    try:
        designed = designer.design(
            params=params, language=language, text=design_text(language), seed=seed, on_step=step
        )
    except NoVoiceForLanguage as exc:
        raise ServiceError(str(exc), code="no_voice_for_language") from exc
    reference = intake.normalize_loudness(designed.reference)
    profile: dict[str, Any] = designed.profile
    name = f"voices/{voice.pk}/samples/design-{seed}.wav"
    write_wav(media_path(name), reference)
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
    progress.checkpoint()
    engine = cloning_engine(language)
    if engine.name != designer.name:
        progress.update(2, 4, message=f"cloning with {engine.label}", force=True)
        try:
            cloned = engine.clone(reference=reference, language=language, voice_dir=voice_dir(voice.pk))
        except EngineError as exc:
            raise ServiceError(str(exc)) from exc
        profile = {**cloned, "design": profile["design"], **designed.origin}
    else:
        engine = designer
    profile["similarity_reference"] = "the designed reference clip"
    result = finish_voice(voice, engine=engine, profile=profile, held_out=reference, progress=progress, step=3)
    progress.result = {**result, "ignored": params.ignored, "recognized": params.recognized, "seed": seed}
    if params.ignored:
        Job.objects.filter(pk=job.pk).update(message=("ignored: " + ", ".join(params.ignored))[:255])
