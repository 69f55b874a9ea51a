"""Generation services: plan a generation into chunks, speak them in the worker, regenerate, merge, delete."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from clonyvoice import audio
from clonyvoice.errors import NotFound, ServiceError
from clonyvoice.jobs import ProgressReporter, failure_message, job_cancel, job_create
from clonyvoice.models import Job
from synthesis.models import Chunk, Generation, Take
from synthesis.scripts import detect_language, detect_sentence_languages, parse_script
from synthesis.speech import speak
from synthesis.textsplit import split_text
from voices.models import Voice
from voices.selectors import default_voice_for, voice_get, voice_list

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 20_000
MAX_CHUNKS = 2_000


class TextTooLong(ServiceError):
    status = 413
    code = "text_too_long"


@dataclass(frozen=True)
class Segment:
    """A piece of the script with the voice and language that will speak it.

    `language_given` is False when nobody named the language: each sentence's own language is then detected,
    and a sentence the voice cannot say is refused (`language_mismatch`) instead of being spelled out.
    """

    text: str
    voice: Voice
    language: str
    speaker: str = ""
    language_given: bool = True


def _check_text(text: str) -> str:
    if not text or not text.strip():
        raise ServiceError("The text is empty.", code="empty_text")
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLong(f"The text is {len(text)} characters; the limit is {MAX_TEXT_CHARS}.", limit=MAX_TEXT_CHARS)
    return text


def _language_for(voice: Voice, language: str | None) -> str:
    if not voice.is_available:
        raise ServiceError(
            f"The voice {voice.name!r} is not available: its engine or model is missing.", code="voice_unavailable"
        )
    if language is None or language == "auto":
        return voice.languages[0] if voice.languages else "en"
    if not voice.speaks(language):
        raise ServiceError(
            f"The voice {voice.name!r} cannot speak {language!r}; it speaks {', '.join(voice.languages)}.",
            code="language_not_supported",
            languages=voice.languages,
        )
    return language.lower()


def _is_given(language: str | None) -> bool:
    return bool(language) and language != "auto"


def sentence_language(*, user: AbstractBaseUser, voice: Voice, text: str, detected: str | None, fallback: str) -> str:
    """The language `voice` should speak `text` in when none was named: `detected` (the text's own language, when
    it is clear) or else `fallback`.

    Raises `language_mismatch` (400) naming voices that can, when the text is clearly in a language the voice
    does not speak.
    """
    if detected is None:
        return fallback
    if not voice.speaks(detected):
        able = list(voice_list(user=user, filters={"language": detected})[:5])
        names = ", ".join(v.name for v in able) or "none is installed"
        raise ServiceError(
            f"This text is in {detected!r}, which the voice {voice.name!r} does not speak "
            f"(it speaks {', '.join(voice.languages)}). Voices that do: {names}.",
            code="language_mismatch",
            language=detected,
            voice_languages=voice.languages,
            voices=[{"id": str(v.pk), "name": v.name} for v in able],
        )
    exact = [tag for tag in voice.languages if tag == detected or tag.split("-")[0] == detected]
    return fallback if fallback.split("-")[0] == detected else exact[0]


def segments_single(*, user: AbstractBaseUser, text: str, voice_id: str, language: str | None) -> list[Segment]:
    voice = voice_get(user=user, voice_id=voice_id)
    return [
        Segment(
            text=_check_text(text),
            voice=voice,
            language=_language_for(voice, language),
            language_given=_is_given(language),
        )
    ]


def segments_multivoice(
    *,
    user: AbstractBaseUser,
    segments: list[dict[str, Any]] | None,
    script: str | None,
    voices: dict[str, str] | None,
) -> list[Segment]:
    """Segments each with its own voice, or a script whose speaker names map to voices."""
    if script is not None:
        lines = parse_script(_check_text(script))
        names = voices or {}
        unknown = sorted({line.speaker or "(no speaker)" for line in lines if line.speaker not in names})
        if unknown:
            raise ServiceError(
                f"Map every speaker to a voice; missing: {', '.join(unknown)}.",
                code="unknown_speaker",
                speakers=unknown,
            )
        segments = [{"text": line.text, "voice_id": names[line.speaker], "speaker": line.speaker} for line in lines]
    if not segments:
        raise ServiceError("Give segments or a script.", code="empty_text")
    _check_text("\n".join(s["text"] for s in segments))
    out = []
    for item in segments:
        voice = voice_get(user=user, voice_id=item["voice_id"])
        out.append(
            Segment(
                text=_check_text(item["text"]),
                voice=voice,
                language=_language_for(voice, item.get("language")),
                speaker=item.get("speaker", ""),
                language_given=_is_given(item.get("language")),
            )
        )
    return out


def segments_multilang(
    *, user: AbstractBaseUser, segments: list[dict[str, Any]], voices: dict[str, str] | None
) -> list[Segment]:
    """A language per segment (detected when missing), spoken by the mapped or best voice for it."""
    _check_text("\n".join(s["text"] for s in segments))
    chosen = {lang.lower(): voice_id for lang, voice_id in (voices or {}).items()}
    out = []
    for item in segments:
        text = _check_text(item["text"])
        language = (item.get("language") or detect_language(text)).lower()
        voice_id = item.get("voice_id") or chosen.get(language) or chosen.get(language.split("-")[0])
        voice = voice_get(user=user, voice_id=voice_id) if voice_id else default_voice_for(user=user, language=language)
        if voice is None:
            raise ServiceError(
                f"No installed voice speaks {language!r}.", code="no_voice_for_language", language=language
            )
        out.append(Segment(text=text, voice=voice, language=_language_for(voice, language)))
    return out


def generation_start(
    *,
    owner: AbstractBaseUser,
    mode: str,
    segments: list[Segment],
    speed: float = 1.0,
    pitch: float = 0.0,
    seed: int | None = None,
    fmt: str = "wav",
    max_chars: int = 300,
) -> Job:
    """Plan the chunks and hand the generation to the gpu worker. Returns the job (its id is the task_id)."""
    from synthesis.tasks import synthesize_generation

    planned: list[tuple[Segment, str, str]] = []
    for segment in segments:
        pieces = split_text(segment.text, language=segment.language, max_chars=max_chars)
        detected = detect_sentence_languages([piece.text for piece in pieces])
        for piece, clear in zip(pieces, detected, strict=True):
            language = segment.language
            if not segment.language_given:
                language = sentence_language(
                    user=owner, voice=segment.voice, text=piece.text, detected=clear, fallback=language
                )
            planned.append((segment, piece.text, language))
    if not planned:
        raise ServiceError("The text has nothing to say.", code="empty_text")
    if len(planned) > MAX_CHUNKS:
        raise TextTooLong(f"The text makes {len(planned)} chunks; the limit is {MAX_CHUNKS}.", limit=MAX_CHUNKS)
    text = "\n".join(s.text for s in segments)
    settings_ = {"speed": speed, "pitch": pitch, "seed": seed, "format": fmt, "max_chars": max_chars}
    with transaction.atomic():
        job = job_create(owner=owner, kind=f"generation.{mode}", actor=synthesize_generation, params={})
        generation = Generation.objects.create(
            job=job, owner=owner, mode=mode, title=_title(text), text=text, settings=settings_, output_format=fmt
        )
        Chunk.objects.bulk_create(
            Chunk(
                generation=generation,
                index=index,
                text=piece,
                language=language,
                voice=segment.voice,
                speaker=segment.speaker,
            )
            for index, (segment, piece, language) in enumerate(planned)
        )
        Job.objects.filter(pk=job.pk).update(total=len(planned))
    return job


def _title(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= 80 else words[:77].rsplit(" ", 1)[0] + "…"


def _make_take(
    *, chunk: Chunk, text: str, voice: Voice, seed: int | None, speed: float, pitch: float
) -> tuple[Take, audio.Audio]:
    started = time.monotonic()
    spoken = speak(voice=voice, text=text, language=chunk.language or None, speed=speed, pitch=pitch, seed=seed)
    elapsed = time.monotonic() - started
    number = (chunk.takes.aggregate(n=Max("number"))["n"] or 0) + 1
    take = Take(
        chunk=chunk,
        number=number,
        text=text,
        voice=voice,
        seed=seed,
        sample_rate=spoken.sample_rate,
        duration=spoken.duration,
        synthesis_seconds=elapsed,
    )
    name = take.audio.field.generate_filename(take, "take.wav")
    path = Path(default_storage.path(name))
    audio.write_wav(path, spoken)
    take.audio.name = name
    try:
        with transaction.atomic():
            take.save()
            chunk.selected_take = take
            chunk.status = Chunk.Status.DONE
            chunk.error = ""
            chunk.save(update_fields=["selected_take", "status", "error"])
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return take, spoken


def chunk_audio_url(generation_id: Any, index: int) -> str:
    return f"/api/audio/chunk/{generation_id}/{index}"


def _generation_folder(generation: Generation) -> Path:
    return Path(settings.MEDIA_ROOT) / "generations" / str(generation.pk)


def _remove_orphans(generation: Generation) -> None:
    """A worker killed while writing leaves a file no row points at; the attempt that resumes removes it."""
    folder = _generation_folder(generation)
    if not folder.is_dir():
        return
    kept = set(Take.objects.filter(chunk__generation=generation).values_list("audio", flat=True))
    kept.add(generation.output.name)
    for path in folder.iterdir():
        if path.is_file() and f"generations/{generation.pk}/{path.name}" not in kept:
            path.unlink(missing_ok=True)


def generation_run(*, generation: Generation, progress: ProgressReporter) -> None:
    """Speak every chunk that has no take yet (so a redelivered job resumes), then the single file."""
    if generation.job.attempts > 1:
        _remove_orphans(generation)
    opts = generation.settings
    chunks = list(generation.chunks.select_related("voice"))
    total = len(chunks)
    spoken: dict[int, audio.Audio] = {}
    for chunk in chunks:
        progress.checkpoint()
        if chunk.selected_take_id is None:
            if chunk.voice is None:
                raise ServiceError(f"Chunk {chunk.index} has no voice (it was deleted).")
            try:
                _, spoken[chunk.index] = _make_take(
                    chunk=chunk,
                    text=chunk.text,
                    voice=chunk.voice,
                    seed=opts.get("seed"),
                    speed=opts.get("speed", 1.0),
                    pitch=opts.get("pitch", 0.0),
                )
            except Exception as exc:
                Chunk.objects.filter(pk=chunk.pk).update(status=Chunk.Status.FAILED, error=failure_message(exc)[:2000])
                raise
        progress.update(
            chunk.index + 1,
            total,
            message=f"chunk {chunk.index + 1} of {total}",
            force=True,
            chunk_index=chunk.index,
            chunk_url=chunk_audio_url(generation.pk, chunk.index),
        )
    if generation.mode == Generation.Mode.SINGLE:
        progress.checkpoint()
        _write_output(
            generation=generation, takes=None, gap=0.0, crossfade=0.0, normalize=False, fmt=opts["format"], fresh=spoken
        )
    progress.result = generation_result(generation)


def generation_result(generation: Generation) -> dict[str, Any]:
    generation.refresh_from_db()
    return {
        "generation_id": str(generation.pk),
        "chunks": generation.chunks.count(),
        "audio_url": f"/api/generations/{generation.pk}/audio" if generation.output else None,
        "duration": generation.duration,
        "format": generation.output_format,
    }


def _selected_takes(generation: Generation, takes: dict[int, int] | None) -> list[Take]:
    chosen = takes or {}
    out = []
    for chunk in generation.chunks.select_related("selected_take"):
        if chunk.index in chosen:
            take = chunk.takes.select_related("chunk").filter(number=chosen[chunk.index]).first()
            if take is None:
                raise ServiceError(f"Chunk {chunk.index} has no take {chosen[chunk.index]}.", code="no_such_take")
        else:
            take = chunk.selected_take
            if take is None:
                raise ServiceError(f"Chunk {chunk.index} has no take yet.", code="chunk_not_ready", index=chunk.index)
            take.chunk = chunk
        out.append(take)
    unknown = set(chosen) - {t.chunk.index for t in out}
    if unknown:
        raise ServiceError(f"No chunk {min(unknown)} in this generation.", code="no_such_chunk")
    return out


def _write_output(
    *,
    generation: Generation,
    takes: dict[int, int] | None,
    gap: float,
    crossfade: float,
    normalize: bool,
    fmt: str,
    fresh: dict[int, audio.Audio] | None = None,
) -> None:
    """Join the chosen takes into the generation's file; `fresh` holds takes just made, so they are not re-read."""
    fresh = fresh or {}
    parts = [fresh.get(t.chunk.index) or audio.read_wav(Path(t.audio.path)) for t in _selected_takes(generation, takes)]
    joined = audio.join(parts, gap=gap, crossfade=crossfade)
    name = generation.output.field.generate_filename(generation, f"output.{fmt}")
    old = generation.output.name if generation.output else None
    audio.encode(joined, Path(default_storage.path(name)), fmt, normalize=normalize)
    Generation.objects.filter(pk=generation.pk).update(output=name, output_format=fmt, duration=joined.duration)
    if old and old != name:
        default_storage.delete(old)


def generation_get(*, owner: AbstractBaseUser, generation_id: Any) -> Generation:
    from clonyvoice.jobs import job_get

    job = job_get(owner=owner, job_id=generation_id)
    generation = Generation.objects.filter(pk=job.pk).first()
    if generation is None:
        raise NotFound("No such generation.")
    return generation


def chunk_regenerate_start(
    *,
    owner: AbstractBaseUser,
    generation_id: Any,
    index: int,
    text: str | None = None,
    voice_id: str | None = None,
    seed: int | None = None,
) -> Job:
    """A new take of one chunk, in the gpu worker. Earlier takes stay."""
    from synthesis.tasks import regenerate_chunk

    generation = generation_get(owner=owner, generation_id=generation_id)
    chunk = generation.chunks.filter(index=index).first()
    if chunk is None:
        raise NotFound(f"No chunk {index} in this generation.")
    params: dict[str, Any] = {"generation_id": str(generation.pk), "index": index, "seed": seed}
    if text is not None:
        params["text"] = _check_text(text)
    if voice_id is not None:
        voice = voice_get(user=owner, voice_id=voice_id)
        _language_for(voice, chunk.language or None)
        params["voice_id"] = str(voice.pk)
    return job_create(owner=owner, kind="generation.regenerate", actor=regenerate_chunk, params=params)


def chunk_regenerate_run(*, job: Job, progress: ProgressReporter) -> None:
    params = job.params
    generation = Generation.objects.filter(pk=params["generation_id"]).first()
    chunk = generation.chunks.filter(index=params["index"]).select_related("voice").first() if generation else None
    if chunk is None:
        raise ServiceError("The generation or chunk was deleted.")
    voice = Voice.objects.get(pk=params["voice_id"]) if params.get("voice_id") else chunk.voice
    text = params.get("text") or chunk.text
    progress.update(0, 1, message=f"regenerating chunk {chunk.index}")
    opts = generation.settings
    take, _ = _make_take(
        chunk=chunk,
        text=text,
        voice=voice,
        seed=params.get("seed", opts.get("seed")),
        speed=opts.get("speed", 1.0),
        pitch=opts.get("pitch", 0.0),
    )
    if params.get("text"):
        Chunk.objects.filter(pk=chunk.pk).update(text=text)
    progress.update(
        1, 1, chunk_index=chunk.index, chunk_url=chunk_audio_url(generation.pk, chunk.index), take=take.number
    )
    progress.result = {"generation_id": str(generation.pk), "index": chunk.index, "take": take.number}


def take_select(*, owner: AbstractBaseUser, generation_id: Any, index: int, number: int) -> Chunk:
    generation = generation_get(owner=owner, generation_id=generation_id)
    chunk = generation.chunks.filter(index=index).first()
    if chunk is None:
        raise NotFound(f"No chunk {index} in this generation.")
    take = chunk.takes.filter(number=number).first()
    if take is None:
        raise NotFound(f"Chunk {index} has no take {number}.")
    chunk.selected_take = take
    chunk.save(update_fields=["selected_take"])
    return chunk


def merge_start(
    *,
    owner: AbstractBaseUser,
    generation_id: Any,
    takes: dict[int, int] | None,
    gap: float,
    crossfade: float,
    normalize: bool,
    fmt: str,
) -> Job:
    from synthesis.tasks import merge_generation

    generation = generation_get(owner=owner, generation_id=generation_id)
    _selected_takes(generation, takes)  # every chunk must have a take now, not at the worker
    params = {
        "generation_id": str(generation.pk),
        "takes": {str(k): v for k, v in (takes or {}).items()},
        "gap": gap,
        "crossfade": crossfade,
        "normalize": normalize,
        "format": fmt,
    }
    return job_create(owner=owner, kind="generation.merge", actor=merge_generation, params=params)


def merge_run(*, job: Job, progress: ProgressReporter) -> None:
    params = job.params
    generation = Generation.objects.filter(pk=params["generation_id"]).first()
    if generation is None:
        raise ServiceError("The generation was deleted.")
    progress.update(0, 1, message="merging")
    _write_output(
        generation=generation,
        takes={int(k): v for k, v in params["takes"].items()},
        gap=params["gap"],
        crossfade=params["crossfade"],
        normalize=params["normalize"],
        fmt=params["format"],
    )
    progress.result = generation_result(generation)


def generation_cancel(*, owner: AbstractBaseUser, task_id: Any) -> Job:
    """Stop a generation (or its regenerate/merge job) at the next chunk; chunks already made stay."""
    return job_cancel(owner=owner, job_id=task_id)


def generation_delete(*, owner: AbstractBaseUser, generation_id: Any) -> None:
    """Delete a generation, its chunks, takes and files. A running one is stopped first."""
    generation = generation_get(owner=owner, generation_id=generation_id)
    if not generation.job.is_finished:
        job_cancel(owner=owner, job_id=generation.pk)
    names = [t.audio.name for t in Take.objects.filter(chunk__generation=generation)]
    if generation.output:
        names.append(generation.output.name)
    folder = _generation_folder(generation)
    with transaction.atomic():
        generation.job.delete()

        def remove_files() -> None:
            for name in names:
                default_storage.delete(name)
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()

        transaction.on_commit(remove_files)
