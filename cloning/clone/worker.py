"""The worker half of cloning: clean the samples, transcribe them, let the best cloning engine build the voice's
profile, speak a preview and score it against held-out reference audio. Also what design, previews and dubbing
share: fitting a profile, storing and scoring a preview, finishing a made voice.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.files.storage import default_storage

from cloning import intake, judge
from cloning.clone.voicefiles import voice_dir
from cloning.similarity import cosine
from cloning.speakers import check_speakers
from cloning.texts import preview_text
from cloning.transcription import transcribe
from clonyvoice.audio import Audio, encode, join, write_wav
from clonyvoice.errors import ServiceError
from clonyvoice.jobs import ProgressReporter
from clonyvoice.models import Job
from clonyvoice.paths import media_path
from synthesis.engines import CloneOptions, CloningEngine, EngineError, SynthesisRequest, get_engine
from synthesis.engines import cloning_engine as best_cloning_engine
from synthesis.speech import speak
from voices.models import Voice, VoiceSample, speaks

logger = logging.getLogger(__name__)


def cloning_engine(language: str) -> CloningEngine:
    """The best installed engine that can clone in `language` (neural first, voice matching always last)."""
    engine = best_cloning_engine(language)
    if engine is None:
        raise ServiceError("No cloning engine is installed.", code="model_not_installed", status=503)
    return engine


def clean_samples(voice: Voice, progress: ProgressReporter, *, total_steps: int) -> list[Audio]:
    cleaned = []
    samples = list(voice.samples.order_by("position"))
    for index, sample in enumerate(samples):
        progress.checkpoint()
        audio = intake.clean(Path(sample.original.path), start=sample.start, end=sample.end)
        name = f"voices/{voice.pk}/samples/{sample.pk}.clean.wav"
        write_wav(media_path(name), audio)
        VoiceSample.objects.filter(pk=sample.pk).update(cleaned=name, duration=round(audio.duration, 3))
        cleaned.append(audio)
        progress.update(index + 1, total_steps, message=f"cleaned sample {index + 1} of {len(samples)}")
    total = sum(a.duration for a in cleaned)
    if total < intake.MIN_SPEECH_SECONDS:
        raise ServiceError(f"Only {total:.1f} s of sound is left after trimming silence; record more speech.")
    return cleaned


def transcribe_samples(voice: Voice, cleaned: list[Audio], language: str) -> bool:
    """Transcribe each sample with the offline Whisper; any failure (no model yet) leaves the transcript empty."""
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


def speaker_warnings(reference: Audio) -> list[dict[str, Any]]:
    """A warning when the samples hold two voices: the clone is made from both and will sound like neither."""
    check = check_speakers(reference)
    if check is None or not check.several:
        return []
    return [
        {
            "code": "several_speakers",
            "detail": f"The samples seem to hold more than one voice (about {check.share:.0%} sounds like someone "
            "else); the clone blends them. Use recordings of one person, or choose regions with only that voice.",
            "share": check.share,
        }
    ]


def store_preview(voice: Voice, text: str) -> Audio:
    language = voice.languages[0] if voice.languages else "en"
    spoken = speak(voice=voice, text=text, language=language, speed=1.0, pitch=0.0, seed=voice.default_seed or 0)
    name = f"previews/{voice.pk}-{uuid.uuid4().hex[:8]}.wav"
    encode(spoken, media_path(name), "wav")
    old = voice.preview.name if voice.preview else ""
    voice.preview.name = name
    Voice.objects.filter(pk=voice.pk).update(preview=name)
    if old and old != name:
        default_storage.delete(old)
    return spoken


def judge_heldout(held_out: Audio) -> dict[str, Any] | None:
    """The judge's view of the held-out reference audio, kept in the profile to score every preview against."""
    band = min(held_out.sample_rate, judge.RATE)
    try:
        embedding = judge.embedding(held_out, band_rate=band)
    except judge.JudgeUnavailable as exc:
        logger.warning("no similarity score: %s", exc)
        return None
    return {"encoder": judge.NAME, "band_rate": band, "heldout": [round(float(v), 5) for v in embedding]}


def score(preview: Audio, profile: dict[str, Any]) -> float | None:
    """The judge's cosine between `preview` and the held-out reference (never the fitting encoder's)."""
    stored = profile.get("judge") or {}
    if not stored.get("heldout"):
        return None
    try:
        embedding = judge.embedding(preview, band_rate=int(stored.get("band_rate") or judge.RATE))
    except judge.JudgeUnavailable:
        return None
    return round(cosine(embedding, np.asarray(stored["heldout"], dtype=np.float32)), 4)


def preset_score(profile: dict[str, Any], text: str, language: str) -> dict[str, Any] | None:
    """The preset voice the clone started from, speaking the same preview, scored by the judge: what cloning added."""
    start = profile.get("start") or profile.get("base") or {}
    if not start.get("engine") or not start.get("voice_id"):
        return None
    try:
        spoken = get_engine(start["engine"]).synthesize(
            SynthesisRequest(text=text, voice_id=str(start["voice_id"]), language=language)
        )
    except EngineError as exc:
        logger.info("no preset comparison: %s", exc)
        return None
    return {"engine": start["engine"], "voice_id": str(start["voice_id"]), "similarity": score(spoken, profile)}


def store_profile(voice: Voice, *, engine: Any, profile: dict[str, Any], language: str) -> None:
    """The profile and the engine that speaks it, and the languages it speaks (`language` first if missing)."""
    languages = [tag for tag in profile.get("languages") or [] if tag] or voice.languages or [language]
    if not speaks(languages, language):
        languages = [language, *languages]
    voice.engine, voice.engine_voice_id, voice.profile, voice.languages = engine.name, str(voice.pk), profile, languages
    Voice.objects.filter(pk=voice.pk).update(
        engine=voice.engine,
        engine_voice_id=voice.engine_voice_id,
        profile=profile,
        languages=languages,
        technology=getattr(engine, "technology", ""),
    )


def finish_voice(
    voice: Voice, *, engine: Any, profile: dict[str, Any], held_out: Audio, progress: ProgressReporter, step: int
) -> dict[str, Any]:
    """Store the profile, speak and score the preview, make the voice available; returns the job result."""
    judged = judge_heldout(held_out)
    if judged is not None:
        profile["judge"] = judged
    language = voice.languages[0] if voice.languages else "en"
    store_profile(voice, engine=engine, profile=profile, language=language)
    progress.checkpoint()
    progress.update(step, step + 1, message="speaking the preview")
    text = preview_text(language)
    preview = store_preview(voice, text)
    similarity = score(preview, profile)
    preset = preset_score(profile, text, language) if similarity is not None else None
    if preset is not None:
        profile["judge"]["preset"] = preset
        Voice.objects.filter(pk=voice.pk).update(profile=profile)
    progress.checkpoint()
    Voice.objects.filter(pk=voice.pk).update(similarity=similarity, is_available=True)
    return {
        "voice_id": str(voice.pk),
        "engine": engine.name,
        "engine_label": engine.label,
        "method": profile.get("method", ""),
        "similarity": similarity,
        "similarity_judge": f"{judge.NAME}, the preview against held-out reference audio"
        if similarity is not None
        else "",
        "preset": preset,
        "preview_url": f"/api/voices/{voice.pk}/preview",
    }


def fit_profile(
    engine: CloningEngine,
    *,
    voice: Voice,
    reference: Audio,
    language: str,
    quality: str,
    seed: int,
    progress: ProgressReporter,
    on_step: Callable[[int, int, float], None],
) -> dict[str, Any]:
    """The engine's profile of `voice` fitted to `reference`, cancellable between steps, within
    CLONYVOICE_CLONE_MAX_SECONDS; an engine's failure is the job's error."""

    def should_stop() -> bool:
        progress.checkpoint()  # raises when the owner cancelled
        return False

    options = CloneOptions(
        quality=quality,
        seed=seed,
        on_step=on_step,
        should_stop=should_stop,
        max_seconds=float(settings.CLONYVOICE_CLONE_MAX_SECONDS),
    )
    try:
        return engine.clone(reference=reference, language=language, voice_dir=voice_dir(voice.pk), options=options)
    except EngineError as exc:
        raise ServiceError(str(exc)) from exc


def clone_run(*, job: Job, progress: ProgressReporter) -> None:
    """Worker: clean, transcribe, build the profile with the best engine, preview and score."""
    voice = Voice.objects.filter(pk=job.params["voice_id"]).first()
    if voice is None:
        raise ServiceError("The voice was deleted while it was being cloned.")
    language = job.params.get("language") or "en"
    steps = voice.samples.count() + 3
    cleaned = clean_samples(voice, progress, total_steps=steps)
    transcribed = False
    if job.params.get("transcribe"):
        progress.update(len(cleaned), steps, message="transcribing", force=True)
        transcribed = transcribe_samples(voice, cleaned, language)
    progress.checkpoint()
    reference = join(cleaned, gap=0.25)
    warnings = speaker_warnings(reference)
    fit, held_out, really = intake.split_held_out(reference)
    engine = cloning_engine(language)
    progress.update(len(cleaned) + 1, steps, message=f"cloning with {engine.label}", force=True)

    def on_step(step: int, total: int, score: float) -> None:
        # The fitting objective, not a similarity: the judge scores the finished voice.
        progress.update(step, total, message=f"fitting the voice: step {step} of {total}", force=True, fit=score)

    profile = fit_profile(
        engine,
        voice=voice,
        reference=fit,
        language=language,
        quality=job.params.get("quality") or "fast",
        seed=int(job.params.get("seed") or 0),
        progress=progress,
        on_step=on_step,
    )
    profile["similarity_reference"] = "held-out audio" if really else "the whole sample (too short to hold out)"
    result = finish_voice(voice, engine=engine, profile=profile, held_out=held_out, progress=progress, step=steps - 1)
    progress.result = {**result, "transcribed": transcribed, "warnings": warnings}


def preview_run(*, job: Job, progress: ProgressReporter) -> None:
    voice = Voice.objects.filter(pk=job.params["voice_id"]).first()
    if voice is None:
        raise ServiceError("The voice was deleted.")
    language = voice.languages[0] if voice.languages else "en"
    progress.update(0, 1, message="speaking the preview", force=True)
    preview = store_preview(voice, job.params.get("text") or preview_text(language))
    similarity = score(preview, voice.profile or {})
    if similarity is not None:
        Voice.objects.filter(pk=voice.pk).update(similarity=similarity)
    progress.result = {
        "voice_id": str(voice.pk),
        "preview_url": f"/api/voices/{voice.pk}/preview",
        "similarity": similarity if similarity is not None else voice.similarity,
        "duration": round(preview.duration, 3),
    }
