"""Generation services, the request half: plan a generation into chunks, start the jobs that speak, regenerate
and merge them (their worker half is `synthesis.generation_worker`), select takes, cancel, delete."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import default_storage
from django.db import transaction

from clonyvoice.errors import NotFound, ServiceError
from clonyvoice.jobs import job_cancel, job_create
from clonyvoice.models import Job
from synthesis.generation_worker import generation_folder, selected_takes
from synthesis.models import Chunk, Generation, Take
from synthesis.scripts import detect_language, detect_sentence_languages, parse_script
from synthesis.selectors import generation_get
from synthesis.speakable import has_speech, speakable
from synthesis.tasks import merge_generation, regenerate_chunk, synthesize_generation
from synthesis.textsplit import split_head, split_text
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
    title: str = "",
    stream: bool = False,
) -> Job:
    """Plan the chunks and hand the generation to the gpu worker. Returns the job (its id is the task_id).

    `title` names the project (History, downloads); without one, the text's first words do. With `stream`,
    the worker also hands each sentence to the web process as soon as it is spoken (`synthesis.streaming`), and a
    long first sentence is spoken in two pieces, so the audio starts once its short first piece is there.
    """
    planned: list[tuple[Segment, str, str]] = []
    for segment in segments:
        pieces = split_text(segment.text, language=segment.language, max_chars=max_chars)
        sentences = [said for said in (speakable(piece.text) for piece in pieces) if has_speech(said)]
        detected = detect_sentence_languages(sentences)
        for sentence, clear in zip(sentences, detected, strict=True):
            language = segment.language
            if not segment.language_given:
                language = sentence_language(
                    user=owner, voice=segment.voice, text=sentence, detected=clear, fallback=language
                )
            planned.append((segment, sentence, language))
    if not planned:
        raise ServiceError(
            "The text has nothing to speak: no letter or digit once invisible characters and emoji are left out.",
            code="no_speakable_text",
        )
    if stream and len(planned) < MAX_CHUNKS:
        planned[:1] = _short_start(*planned[0])
    if len(planned) > MAX_CHUNKS:
        raise TextTooLong(f"The text makes {len(planned)} chunks; the limit is {MAX_CHUNKS}.", limit=MAX_CHUNKS)
    text = "\n".join(s.text for s in segments)
    settings_ = {"speed": speed, "pitch": pitch, "seed": seed, "format": fmt, "max_chars": max_chars, "stream": stream}
    with transaction.atomic():
        job = job_create(owner=owner, kind=f"generation.{mode}", actor=synthesize_generation, params={})
        generation = Generation.objects.create(
            job=job,
            owner=owner,
            mode=mode,
            title=_title(title) or _title(text),
            text=text,
            settings=settings_,
            output_format=fmt,
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


def _short_start(segment: Segment, sentence: str, language: str) -> list[tuple[Segment, str, str]]:
    """A stream's first sentence as a short first piece and the rest (each a chunk), when it is long."""
    pieces = split_head(sentence, language=language)
    if pieces is None or not all(has_speech(piece) for piece in pieces):
        return [(segment, sentence, language)]
    return [(segment, piece, language) for piece in pieces]


def _title(text: str) -> str:
    """The text itself when short; else its whole sentences that fit, else its first words and an ellipsis."""
    words = " ".join(text.split())
    if len(words) <= 80:
        return words
    head = words[:80].rsplit(" ", 1)[0]
    sentences = re.match(r"^(.*[.!?…])(?:\s|$)", head)
    if sentences and len(sentences.group(1)) >= 20:
        return sentences.group(1)
    return head[:77].rsplit(" ", 1)[0].rstrip(",;:—-") + "…"


def generation_rename(*, owner: AbstractBaseUser, generation_id: Any, title: str) -> Generation:
    """Name the project: History shows it and downloads are named after it."""
    generation = generation_get(owner=owner, generation_id=generation_id)
    name = _title(title)
    if not name:
        raise ServiceError("Give the project a name.", code="empty_title")
    generation.title = name
    generation.save(update_fields=["title", "updated_at"])
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
    generation = generation_get(owner=owner, generation_id=generation_id)
    selected_takes(generation, takes)  # every chunk must have a take now, not at the worker
    params = {
        "generation_id": str(generation.pk),
        "takes": {str(k): v for k, v in (takes or {}).items()},
        "gap": gap,
        "crossfade": crossfade,
        "normalize": normalize,
        "format": fmt,
    }
    return job_create(owner=owner, kind="generation.merge", actor=merge_generation, params=params)


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
    folder = generation_folder(generation)
    with transaction.atomic():
        generation.job.delete()

        def remove_files() -> None:
            for name in names:
                default_storage.delete(name)
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()

        transaction.on_commit(remove_files)
