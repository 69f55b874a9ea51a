"""The worker half of generations: speak chunks, make takes, join them into the generation's file.

Runs in the gpu/cpu workers (called by the actors in `synthesis.tasks`); the request half that plans a
generation and starts these jobs is `synthesis.services`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from clonyvoice import audio
from clonyvoice.errors import ServiceError
from clonyvoice.jobs import ProgressReporter, failure_message
from clonyvoice.models import Job
from clonyvoice.paths import media_path
from synthesis.models import Chunk, Generation, Take
from synthesis.speech import speak_timed
from synthesis.wordtimings.words import from_engine, stored
from voices.models import Voice


def _make_take(
    *, chunk: Chunk, text: str, voice: Voice, seed: int | None, speed: float, pitch: float
) -> tuple[Take, audio.Audio]:
    started = time.monotonic()
    spoken, timings = speak_timed(
        voice=voice, text=text, language=chunk.language or None, speed=speed, pitch=pitch, seed=seed
    )
    elapsed = time.monotonic() - started
    # The engine's own timings cost nothing; the others are aligned later, when first asked for.
    words = None if timings is None else stored(from_engine(text, timings, spoken.duration))
    take = take_save(chunk=chunk, text=text, voice=voice, seed=seed, spoken=spoken, words=words, seconds=elapsed)
    return take, spoken


def take_save(
    *,
    chunk: Chunk,
    text: str,
    voice: Voice,
    seed: int | None,
    spoken: audio.Audio,
    words: list[dict[str, Any]] | None,
    seconds: float,
) -> Take:
    """Keep `spoken` as the chunk's next take and select it (the file goes again if the row cannot be saved)."""
    number = (chunk.takes.aggregate(n=Max("number"))["n"] or 0) + 1
    take = Take(
        chunk=chunk,
        number=number,
        text=text,
        voice=voice,
        seed=seed,
        sample_rate=spoken.sample_rate,
        duration=spoken.duration,
        synthesis_seconds=seconds,
        words=words,
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
    return take


# Modes whose takes are not simply spoken: a dub fits each line into its time slot. The app that owns such a
# mode registers its maker here (timeline.dubbing), called as maker(chunk=, text=, voice=, seed=) -> Take.
TAKE_MAKERS: dict[str, Callable[..., Take]] = {}


def chunk_audio_url(generation_id: Any, index: int) -> str:
    return f"/api/audio/chunk/{generation_id}/{index}"


def generation_folder(generation: Generation) -> Path:
    return media_path("generations", generation.pk)


def _remove_orphans(generation: Generation) -> None:
    """A worker killed while writing leaves a file no row points at; the attempt that resumes removes it."""
    folder = generation_folder(generation)
    if not folder.is_dir():
        return
    kept = set(Take.objects.filter(chunk__generation=generation).values_list("audio", flat=True))
    kept.add(generation.output.name)
    for path in folder.iterdir():
        if path.is_file() and f"generations/{generation.pk}/{path.name}" not in kept:
            path.unlink(missing_ok=True)


def generation_run(
    *,
    generation: Generation,
    progress: ProgressReporter,
    on_sentence: Callable[[int, int, audio.Audio], None] | None = None,
) -> None:
    """Speak every chunk that has no take yet (so a redelivered job resumes), then the single file.

    `on_sentence(index, total, audio)` hears each chunk's selected take as soon as it is there (a stream).
    """
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
        if on_sentence is not None:
            on_sentence(
                chunk.index, total, spoken.get(chunk.index) or audio.read_wav(Path(chunk.selected_take.audio.path))
            )
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


def selected_takes(generation: Generation, takes: dict[int, int] | None) -> list[Take]:
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
    chosen = selected_takes(generation, takes)
    parts = [fresh.get(t.chunk.index) or audio.read_wav(Path(t.audio.path)) for t in chosen]
    joined = audio.join(parts, gap=gap, crossfade=crossfade)
    layout = {"takes": {str(t.chunk.index): t.number for t in chosen}, "gap": gap, "crossfade": crossfade}
    name = generation.output.field.generate_filename(generation, f"output.{fmt}")
    old = generation.output.name if generation.output else None
    audio.encode(joined, Path(default_storage.path(name)), fmt, normalize=normalize)
    Generation.objects.filter(pk=generation.pk).update(
        output=name, output_format=fmt, duration=joined.duration, output_layout=layout
    )
    if old and old != name:
        default_storage.delete(old)


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
    seed = params.get("seed", opts.get("seed"))
    maker = TAKE_MAKERS.get(generation.mode)
    if maker is not None:
        take = maker(chunk=chunk, text=text, voice=voice, seed=seed)
    else:
        take, _ = _make_take(
            chunk=chunk,
            text=text,
            voice=voice,
            seed=seed,
            speed=opts.get("speed", 1.0),
            pitch=opts.get("pitch", 0.0),
        )
    if params.get("text"):
        Chunk.objects.filter(pk=chunk.pk).update(text=text)
    progress.update(
        1, 1, chunk_index=chunk.index, chunk_url=chunk_audio_url(generation.pk, chunk.index), take=take.number
    )
    progress.result = {"generation_id": str(generation.pk), "index": chunk.index, "take": take.number}


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
