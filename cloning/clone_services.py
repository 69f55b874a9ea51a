"""Clone, design and preview services: validate in the request, build the voice in the gpu worker.

A clone or design request stores its samples and a Voice that is not yet available (hidden from the library),
then enqueues a job. The job cleans the samples, transcribes them when no transcript was given, lets the best
installed cloning engine build the voice's profile, speaks a preview and scores it against held-out reference
audio. When the job fails or is cancelled, the voice, its samples and their files are removed.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from cloning import intake
from cloning.design import DesignParams, parse_description, transform_for, with_overrides
from cloning.texts import design_text, preview_text
from clonyvoice.audio import Audio, encode, join, write_wav
from clonyvoice.errors import Conflict, NotFound, ServiceError
from clonyvoice.jobs import ProgressReporter, job_cancel, job_create, job_get
from clonyvoice.media import move_into
from clonyvoice.models import Job
from synthesis.engines import EngineError, registry
from voices.models import Category, Voice, VoiceSample, speaks
from voices.selectors import voice_get

logger = logging.getLogger(__name__)

CLONE_KIND = "clone.create"
DESIGN_KIND = "design.create"
PREVIEW_KIND = "voice.preview"
MAX_PREVIEW_CHARS = 500


# --- engines -----------------------------------------------------------------------------------------------------


def cloning_engine(language: str) -> Any:
    """The best installed engine that can clone in `language` (neural first, voice matching always last)."""
    able = [
        engine
        for engine in registry().values()
        if engine.capabilities.cloning and getattr(engine, "can_clone", lambda _lang: False)(language)
    ]
    if not able:
        raise ServiceError("No cloning engine is installed.", code="model_not_installed", status=503)
    return min(able, key=lambda engine: getattr(engine, "clone_priority", 100))


# --- paths -------------------------------------------------------------------------------------------------------


def voice_dir(voice_id: Any) -> Path:
    return Path(settings.MEDIA_ROOT) / "voices" / str(voice_id)


def _remove_voice_files(voice_id: Any, names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
    shutil.rmtree(voice_dir(voice_id), ignore_errors=True)


def voice_discard(*, voice_id: Any) -> bool:
    """Remove a voice that never became available, with its samples and files. True when one was removed."""
    voice = Voice.objects.filter(pk=voice_id, is_available=False).exclude(kind=Voice.Kind.PRESET).first()
    if voice is None:
        return False
    names = [voice.preview.name] if voice.preview else []
    voice.delete()
    _remove_voice_files(voice_id, names)
    return True


def discard_unfinished(*, job_id: str) -> None:
    """After a clone/design job: if it did not succeed, nothing it half-made stays."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status == Job.Status.SUCCEEDED or job.kind not in (CLONE_KIND, DESIGN_KIND):
        return
    if job.status in (Job.Status.FAILED, Job.Status.CANCELLED) and job.params.get("voice_id"):
        voice_discard(voice_id=job.params["voice_id"])


# --- clone -------------------------------------------------------------------------------------------------------


def _category(owner: AbstractBaseUser, category: Any) -> Category | None:
    if category in (None, ""):
        return None
    found = Category.objects.filter(owner=owner, pk=category).first() if str(category).isdigit() else None
    if found is None:
        found = Category.objects.filter(owner=owner, name=str(category)).first()
    if found is None:
        raise ServiceError("No such category.", code="unknown_category")
    return found


def _language(language: str | None) -> str:
    tag = (language or "en").strip().lower()
    if not tag or len(tag) > 16 or not all(part.isalnum() for part in tag.split("-")):
        raise ServiceError(f"{language!r} is not a language tag such as en or en-us.", code="invalid_language")
    return tag


def clone_start(
    *,
    owner: AbstractBaseUser,
    files: list[UploadedFile],
    regions: Any = None,
    name: str = "",
    language: str | None = None,
    description: str = "",
    category: Any = None,
    transcript: str = "",
) -> Job:
    """Check and store the samples (regions: only those parts are used), create the hidden voice, start the job."""
    language = _language(language)
    chosen_category = _category(owner, category)
    staged = intake.stage_uploads(files, min_seconds=0.0 if regions is not None else intake.MIN_SAMPLE_SECONDS)
    voice_id = uuid.uuid4()
    try:
        parts = (
            [(r.file, r.start, r.end) for r in intake.parse_regions(regions, staged)]
            if regions is not None
            else [(index, None, None) for index in range(len(staged))]
        )
        from cloning.clone_tasks import clone_voice

        with transaction.atomic():
            voice = Voice.objects.create(
                id=voice_id,
                owner=owner,
                name=(name or Path(staged[0].name).stem or "Cloned voice")[:120],
                description=description,
                languages=[language],
                kind=Voice.Kind.CLONED,
                engine="matching",
                category=chosen_category,
                is_available=False,
                tags=["cloned"],
            )
            stored: dict[int, str] = {}
            for index in sorted({file for file, _, _ in parts}):
                item = staged[index]
                relative = f"voices/{voice.pk}/samples/{uuid.uuid4()}{item.path.suffix.lower()[:10]}"
                move_into(item.path, Path(settings.MEDIA_ROOT) / relative)
                stored[index] = relative
            VoiceSample.objects.bulk_create(
                VoiceSample(
                    voice=voice,
                    position=position,
                    name=staged[file].name,
                    original=stored[file],
                    start=start,
                    end=end,
                    transcript=transcript if position == 0 else "",
                    transcript_language=language if transcript and position == 0 else "",
                )
                for position, (file, start, end) in enumerate(parts)
            )
            job = job_create(
                owner=owner,
                kind=CLONE_KIND,
                actor=clone_voice,
                params={"voice_id": str(voice.pk), "language": language, "transcribe": not transcript},
            )
    except BaseException:
        intake.discard_all(staged)
        shutil.rmtree(voice_dir(voice_id), ignore_errors=True)
        raise
    intake.discard_all(staged)  # files not named by any region
    return job


def _clean_samples(voice: Voice, progress: ProgressReporter, *, total_steps: int) -> list[Audio]:
    cleaned = []
    samples = list(voice.samples.order_by("position"))
    for index, sample in enumerate(samples):
        progress.checkpoint()
        audio = intake.clean(Path(sample.original.path), start=sample.start, end=sample.end)
        name = f"voices/{voice.pk}/samples/{sample.pk}.clean.wav"
        write_wav(Path(settings.MEDIA_ROOT) / name, audio)
        VoiceSample.objects.filter(pk=sample.pk).update(cleaned=name, duration=round(audio.duration, 3))
        cleaned.append(audio)
        progress.update(index + 1, total_steps, message=f"cleaned sample {index + 1} of {len(samples)}")
    total = sum(a.duration for a in cleaned)
    if total < intake.MIN_SPEECH_SECONDS:
        raise ServiceError(f"Only {total:.1f} s of sound is left after trimming silence; record more speech.")
    return cleaned


def _transcribe(voice: Voice, cleaned: list[Audio], language: str) -> bool:
    """Transcribe each sample with the offline Whisper; any failure (no model yet) leaves the transcript empty."""
    try:
        from cloning.transcription import transcribe
    except ImportError:
        logger.info("no transcription module: clone %s keeps empty transcripts", voice.pk)
        return False
    done = False
    for sample, audio in zip(voice.samples.order_by("position"), cleaned, strict=False):
        try:
            result = transcribe(audio, language=language.split("-")[0], word_timestamps=False)
        except Exception as exc:  # noqa: BLE001 - a transcript is optional; the clone goes on without it
            logger.info("clone %s: no transcript (%s)", voice.pk, exc)
            return done
        VoiceSample.objects.filter(pk=sample.pk).update(
            transcript=str(getattr(result, "text", "") or "").strip(),
            transcript_language=str(getattr(result, "language", "") or language)[:16],
        )
        done = True
    return done


def _store_preview(voice: Voice, text: str) -> Audio:
    from synthesis.speech import speak

    language = voice.languages[0] if voice.languages else "en"
    spoken = speak(voice=voice, text=text, language=language, speed=1.0, pitch=0.0, seed=voice.default_seed or 0)
    name = f"previews/{voice.pk}-{uuid.uuid4().hex[:8]}.wav"
    encode(spoken, Path(settings.MEDIA_ROOT) / name, "wav")
    old = voice.preview.name if voice.preview else ""
    voice.preview.name = name
    Voice.objects.filter(pk=voice.pk).update(preview=name)
    if old and old != name:
        default_storage.delete(old)
    return spoken


def _score(preview: Audio, profile: dict[str, Any]) -> float | None:
    from cloning.similarity import SimilarityUnavailable, cosine, embed

    reference = profile.get("heldout_embedding")
    if not reference:
        return None
    import numpy as np

    try:
        return round(cosine(embed(preview), np.asarray(reference, dtype=np.float32)), 4)
    except SimilarityUnavailable:
        return None


def _finish_voice(
    voice: Voice, *, engine: Any, profile: dict[str, Any], held_out: Audio, progress: ProgressReporter, step: int
) -> dict[str, Any]:
    """Store the profile, speak and score the preview, make the voice available; returns the job result."""
    from cloning.similarity import SimilarityUnavailable, embed

    try:
        profile["heldout_embedding"] = [round(float(v), 5) for v in embed(held_out)]
    except SimilarityUnavailable as exc:
        logger.warning("no similarity score: %s", exc)
    languages = [tag for tag in profile.get("languages") or [] if tag] or voice.languages
    language = voice.languages[0] if voice.languages else "en"
    if not speaks(languages, language):
        languages = [language, *languages]
    voice.engine = engine.name
    voice.engine_voice_id = str(voice.pk)
    voice.profile = profile
    voice.languages = languages
    Voice.objects.filter(pk=voice.pk).update(
        engine=voice.engine, engine_voice_id=voice.engine_voice_id, profile=profile, languages=languages
    )
    progress.checkpoint()
    progress.update(step, step + 1, message="speaking the preview")
    preview = _store_preview(voice, preview_text(language))
    similarity = _score(preview, profile)
    progress.checkpoint()
    Voice.objects.filter(pk=voice.pk).update(similarity=similarity, is_available=True)
    return {
        "voice_id": str(voice.pk),
        "engine": engine.name,
        "engine_label": engine.label,
        "similarity": similarity,
        "preview_url": f"/api/voices/{voice.pk}/preview",
    }


def clone_run(*, job: Job, progress: ProgressReporter) -> None:
    """Worker: clean, transcribe, build the profile with the best engine, preview and score."""
    voice = Voice.objects.filter(pk=job.params["voice_id"]).first()
    if voice is None:
        raise ServiceError("The voice was deleted while it was being cloned.")
    language = job.params.get("language") or "en"
    steps = voice.samples.count() + 3
    cleaned = _clean_samples(voice, progress, total_steps=steps)
    transcribed = False
    if job.params.get("transcribe"):
        progress.update(len(cleaned), steps, message="transcribing", force=True)
        transcribed = _transcribe(voice, cleaned, language)
    progress.checkpoint()
    fit, held_out, really = intake.split_held_out(join(cleaned, gap=0.25))
    engine = cloning_engine(language)
    progress.update(len(cleaned) + 1, steps, message=f"cloning with {engine.label}", force=True)
    try:
        profile = engine.clone(reference=fit, language=language, voice_dir=voice_dir(voice.pk))
    except EngineError as exc:
        raise ServiceError(str(exc)) from exc
    profile["similarity_reference"] = "held-out audio" if really else "the whole sample (too short to hold out)"
    result = _finish_voice(voice, engine=engine, profile=profile, held_out=held_out, progress=progress, step=steps - 1)
    progress.result = {**result, "transcribed": transcribed}


# --- design ------------------------------------------------------------------------------------------------------


def design_start(
    *,
    owner: AbstractBaseUser,
    description: str,
    name: str = "",
    language: str | None = None,
    gender: str | None = None,
    age: str | None = None,
    seed: int | None = None,
) -> tuple[Job, DesignParams]:
    """Parse the description now (an empty one is a 400; unknown words are reported), design in the worker."""
    from cloning.clone_tasks import design_voice

    if not description or not description.strip():
        raise ServiceError(
            "Describe the voice, e.g. 'a warm, low-pitched older man, slow and calm'.", code="empty_description"
        )
    params = with_overrides(parse_description(description), gender=gender, age=age, language=language)
    language = _language(language or (params.accent if params.accent and "-" not in params.accent else "en"))
    if seed is None:
        seed = uuid.uuid4().int % 2**31
    with transaction.atomic():
        voice = Voice.objects.create(
            owner=owner,
            name=(name or description.strip())[:120],
            description=description.strip(),
            languages=[language],
            gender=params.gender,
            age=params.age,
            accent=params.accent,
            kind=Voice.Kind.DESIGNED,
            engine="matching",
            default_seed=seed,
            is_available=False,
            tags=["designed"],
        )
        job = job_create(
            owner=owner,
            kind=DESIGN_KIND,
            actor=design_voice,
            params={"voice_id": str(voice.pk), "language": language, "seed": seed, "design": params.as_dict()},
        )
    return job, params


def _design_base(params: DesignParams, language: str, seed: int) -> Any:
    """The preset to start from: same language (accent first), same gender, better engines first; seed breaks ties."""
    import random

    from cloning.matching import candidates

    pool = candidates(params.accent if "-" in params.accent else language)
    if not pool:
        raise ServiceError(f"No installed preset voice speaks {language!r}.", code="no_voice_for_language")
    quality = {"piper": 3, "vits": 3, "festival": 2}
    rng = random.Random(seed)
    keyed = [
        (
            (params.accent in voice.languages) * 2
            + (bool(params.gender) and voice.gender == params.gender) * 3
            + quality.get(voice.engine, 1) * 0.5,
            rng.random(),
            voice,
        )
        for voice in pool
    ]
    return max(keyed, key=lambda item: (item[0], item[1]))[2]


def design_run(*, job: Job, progress: ProgressReporter) -> None:
    """Worker: base voice + transform → reference clip (kept as a sample) → profile of the best engine."""
    from cloning.matching import preset_stats
    from synthesis.engines.matching import apply_transform

    voice = Voice.objects.filter(pk=job.params["voice_id"]).first()
    if voice is None:
        raise ServiceError("The voice was deleted while it was being designed.")
    language, seed = job.params["language"], int(job.params["seed"])
    params = DesignParams(**job.params["design"])
    progress.update(0, 4, message="choosing a base voice", force=True)
    base = _design_base(params, language, seed)
    stats = preset_stats(base, language)
    if stats is None:
        raise ServiceError(f"The base voice {base.name} could not speak.")
    transform = transform_for(params, base_gender=base.gender, base_f0=stats.f0, seed=seed)
    profile: dict[str, Any] = {
        "method": "voice matching",
        "base": stats.ref(),
        "transform": transform,
        "design": {**params.as_dict(), "seed": seed},
        "languages": list(base.languages),
    }
    if params.ignored:
        profile["design"]["ignored_note"] = "ignored: " + ", ".join(params.ignored)
    progress.checkpoint()
    progress.update(1, 4, message="speaking the reference clip", force=True)
    from synthesis.engines import SynthesisRequest, get_engine

    base_engine = get_engine(base.engine)
    pace = transform["pace"]
    spoken = base_engine.synthesize(
        SynthesisRequest(
            text=design_text(language),
            voice_id=base.voice_id,
            language=language,
            speed=pace if base_engine.capabilities.speed else 1.0,
            seed=seed,
            # Neural presets that take no seed sample noise; without it the same design gives the same clip.
            options={} if base_engine.capabilities.seed else {"noise_scale": 0.0, "noise_w": 0.0},
        )
    )
    if not base_engine.capabilities.speed:
        from clonyvoice.audio import change_speed_and_pitch

        spoken = change_speed_and_pitch(spoken, speed=pace)
    reference = intake.normalize_loudness(apply_transform(spoken, transform))
    name = f"voices/{voice.pk}/samples/design-{seed}.wav"
    write_wav(Path(settings.MEDIA_ROOT) / name, reference)
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
    if engine.name != "matching":
        progress.update(2, 4, message=f"cloning with {engine.label}", force=True)
        try:
            cloned = engine.clone(reference=reference, language=language, voice_dir=voice_dir(voice.pk))
        except EngineError as exc:
            raise ServiceError(str(exc)) from exc
        profile = {**cloned, "design": profile["design"], "design_base": profile["base"], "design_transform": transform}
    else:
        engine = registry()["matching"]
    profile["similarity_reference"] = "the designed reference clip"
    result = _finish_voice(voice, engine=engine, profile=profile, held_out=reference, progress=progress, step=3)
    progress.result = {**result, "ignored": params.ignored, "recognized": params.recognized, "seed": seed}
    if params.ignored:
        Job.objects.filter(pk=job.pk).update(message=("ignored: " + ", ".join(params.ignored))[:255])


# --- preview and cancel ------------------------------------------------------------------------------------------


def preview_start(*, owner: AbstractBaseUser, voice_id: Any, text: str | None = None) -> Job:
    """Speak a preview (default: a sentence in the voice's language) in the worker and store it on the voice."""
    from cloning.clone_tasks import preview_voice

    voice = voice_get(user=owner, voice_id=voice_id)
    text = (text or "").strip()
    if voice.is_preset and text:
        # Everyone shares a preset's preview, so it always speaks the standard sentence of its language.
        raise Conflict(
            "A preset voice's preview is shared and always speaks the standard sentence; leave out text.",
            code="preset_read_only",
        )
    if not voice.is_available:
        raise Conflict(
            "This voice is not ready (still being made, or its engine is missing).", code="voice_unavailable"
        )
    if len(text) > MAX_PREVIEW_CHARS:
        raise ServiceError(f"A preview text has at most {MAX_PREVIEW_CHARS} characters.", code="text_too_long")
    return job_create(
        owner=owner, kind=PREVIEW_KIND, actor=preview_voice, params={"voice_id": str(voice.pk), "text": text}
    )


def preview_run(*, job: Job, progress: ProgressReporter) -> None:
    voice = Voice.objects.filter(pk=job.params["voice_id"]).first()
    if voice is None:
        raise ServiceError("The voice was deleted.")
    language = voice.languages[0] if voice.languages else "en"
    progress.update(0, 1, message="speaking the preview", force=True)
    preview = _store_preview(voice, job.params.get("text") or preview_text(language))
    similarity = _score(preview, voice.profile or {})
    if similarity is not None:
        Voice.objects.filter(pk=voice.pk).update(similarity=similarity)
    progress.result = {
        "voice_id": str(voice.pk),
        "preview_url": f"/api/voices/{voice.pk}/preview",
        "similarity": similarity if similarity is not None else voice.similarity,
        "duration": round(preview.duration, 3),
    }


def making_cancel(*, owner: AbstractBaseUser, job_id: Any, kind: str) -> Job:
    """Cancel a clone or design job; a pending one's voice is removed now, a running one's when it stops."""
    job = job_get(owner=owner, job_id=job_id)
    if job.kind != kind:
        raise NotFound(f"No such {kind.split('.')[0]} job.")
    job = job_cancel(owner=owner, job_id=job.pk)
    if job.status == Job.Status.CANCELLED:
        voice_discard(voice_id=job.params.get("voice_id"))
    return job
