"""The worker half of dubs: the stages of one job, each named on /ws and timed on the dub.

extract (a URL is downloaded behind the guards; the audio decoded) → transcribe (Whisper, word times) →
translate (each segment) → clone (each speaker, unless a voice was chosen) → speak (each line at speed 1) →
fit (speed, stretch, placement: fitting.py) → assemble (the timeline: assembly.py) → render (MP4 with the
picture, else audio). A dub that does not finish leaves nothing it made (`dub_discard`).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cloning.download.worker import download_media
from cloning.transcription import transcribe
from clonyvoice import audio
from clonyvoice.audio import Audio
from clonyvoice.errors import ServiceError
from clonyvoice.jobs import ProgressReporter
from clonyvoice.media import decode, media_delete
from clonyvoice.models import Job, MediaFile
from synthesis.generation_worker import generation_folder, take_save
from synthesis.models import Chunk, Generation, Take
from synthesis.translation import normalize_language
from synthesis.translation.plan import pair_plan, translate_now
from timeline.dubbing import MAX_SOURCE_SECONDS, voices
from timeline.dubbing.assembly import timeline_assemble
from timeline.dubbing.fitting import Slot, place, speak_fitted, speak_trimmed
from timeline.dubbing.lines import heard_lines, join_run_on, slots_of
from timeline.dubbing.notes import clone_cannot_speak, no_picture, with_placement
from timeline.models import Dub
from timeline.render import render_timeline_file
from timeline.sources import media_is_picture
from voices.models import Voice
from voices.selectors import default_voice_for

WORK_RATE = 24_000
HEARING_RATE = 16_000
# What a dub keeps of each line (the rest of a line's dict is working state of the stages).
SEGMENT_FIELDS = (
    "index",
    "speaker",
    "start",
    "end",
    "source_text",
    "text",
    "speech_start",
    "speech_end",
    "speed",
    "stretch",
    "moved_by",
    "take_id",
)


class _Stages:
    """Names the running stage on the dub and on every progress event, and times each one."""

    def __init__(self, dub: Dub, progress: ProgressReporter) -> None:
        self.dub = dub
        self.progress = progress
        self.times: list[dict[str, Any]] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.progress.checkpoint()
        self.progress.stage = name
        Dub.objects.filter(pk=self.dub.pk).update(stage=name)
        self.progress.update(0, 1, message=name, force=True)
        started = time.monotonic()
        yield
        self.times.append({"name": name, "seconds": round(time.monotonic() - started, 3)})
        Dub.objects.filter(pk=self.dub.pk).update(stages=self.times)


def _save(dub: Dub, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(dub, name, value)
    Dub.objects.filter(pk=dub.pk).update(**fields)


def _source(dub: Dub, job: Job, progress: ProgressReporter) -> MediaFile:
    if dub.source is not None:
        return dub.source
    if not dub.source_url:
        raise ServiceError("The dub's source was deleted.", code="not_found")
    media = download_media(owner=job.owner, url=dub.source_url, progress=progress)
    _save(dub, source=media, source_is_own=True, duration=media.duration)
    return media


def _translate(lines: list[dict[str, Any]], *, source: str, target: str, progress: ProgressReporter) -> None:
    plan = pair_plan(source=source, target=target)
    for line in lines:
        progress.checkpoint()
        line["text"] = " ".join(translate_now(text=line["source_text"], plan=plan)["text"].split())
        progress.update(line["index"] + 1, len(lines), message=f"line {line['index'] + 1} of {len(lines)}")


def _speakers(dub: Dub, lines: list[dict[str, Any]], sound: Audio) -> voices.SpeakerSplit:
    """Who speaks each of Whisper's segments (one voice when a voice was chosen)."""
    if dub.options.get("voice_id"):
        return voices.SpeakerSplit(["A"] * len(lines), None)
    return voices.split_speakers(sound, [(line["start"], line["end"]) for line in lines])


def _clone_voices(
    dub: Dub, lines: list[dict[str, Any]], sound: Audio, note: dict[str, Any] | None, progress: ProgressReporter
) -> dict[str, Voice]:
    """A voice per speaker: cloned from the source (recorded on the dub as soon as it exists, for the cleanup)."""
    spans = [(line["start"], line["end"]) for line in lines]
    labels = [line["speaker"] for line in lines]
    notes = [note] if note else []
    made: dict[str, Voice] = {}
    speakers: list[dict[str, Any]] = []
    for label in sorted(set(labels)):
        own = [span for span, lab in zip(spans, labels, strict=True) if lab == label]

        def created(voice: Voice, label: str = label) -> None:
            speakers.append({"label": label, "voice_id": str(voice.pk), "cloned": True, "similarity": None})
            _save(dub, speakers=speakers, notes=notes)

        result = voices.clone_speaker(
            owner=dub.owner,
            name=f"{dub.title} speaker {label}",
            reference=voices.reference_of(sound, own),
            language=dub.target_language,
            quality=dub.options.get("quality") or "fast",
            progress=progress,
            on_created=created,
        )
        speakers[-1]["similarity"] = result["similarity"]
        voice = Voice.objects.get(pk=result["voice_id"])
        if not voice.speaks(dub.target_language):
            fallback = default_voice_for(user=dub.owner, language=dub.target_language)
            if fallback is None:
                raise ServiceError(f"No voice speaks {dub.target_language!r}.", code="no_voice_for_language")
            notes.append(
                clone_cannot_speak(
                    speaker=label, language=dub.target_language, voice_id=str(fallback.pk), voice=fallback.name
                )
            )
            voice = fallback
        made[label] = voice
        _save(dub, speakers=speakers, notes=notes)
    return made


def _chosen_voice(dub: Dub, lines: list[dict[str, Any]]) -> dict[str, Voice]:
    voice = Voice.objects.filter(pk=dub.options["voice_id"]).first()
    if voice is None:
        raise ServiceError("The chosen voice was deleted.", code="not_found")
    for line in lines:
        line["speaker"] = "A"
    _save(dub, speakers=[{"label": "A", "voice_id": str(voice.pk), "cloned": False, "similarity": None}])
    return {"A": voice}


def _generation(dub: Dub, job: Job, lines: list[dict[str, Any]], slots: list[Slot], by_label: dict) -> Generation:
    generation = Generation.objects.create(
        job=job,
        owner=dub.owner,
        mode=Generation.Mode.DUB,
        title=dub.title,
        text="\n".join(line["text"] for line in lines),
        settings={
            "speed": 1.0,
            "pitch": 0.0,
            "seed": None,
            "format": "wav",
            "gap_ms": 0,
            "slots": [{"start": s.start, "end": s.end, "next_start": s.next_start} for s in slots],
        },
        output_format="wav",
    )
    Chunk.objects.bulk_create(
        Chunk(
            generation=generation,
            index=line["index"],
            text=line["text"],
            language=dub.target_language,
            voice=by_label[line["speaker"]],
            speaker=line["speaker"],
        )
        for line in lines
    )
    return generation


def _speak_and_fit(
    stages: _Stages, generation: Generation, lines: list[dict[str, Any]], slots: list[Slot]
) -> list[Take]:
    progress = stages.progress
    chunks = list(generation.chunks.select_related("voice").order_by("index"))
    language = stages.dub.target_language
    first: list[Audio] = []
    with stages.stage("speak"):
        for chunk in chunks:
            progress.checkpoint()
            first.append(speak_trimmed(voice=chunk.voice, text=chunk.text, language=language, speed=1.0, seed=None))
            progress.update(chunk.index + 1, len(chunks), message=f"line {chunk.index + 1} of {len(chunks)}")
    takes: list[Take] = []
    with stages.stage("fit"):
        earliest = 0.0
        for chunk, line, slot, spoken in zip(chunks, lines, slots, first, strict=True):
            progress.checkpoint()
            fitted = speak_fitted(
                voice=chunk.voice, text=chunk.text, language=language, seed=None, slot=slot, first=spoken
            )
            placed = place(slot, fitted.duration, earliest=earliest)
            earliest = placed.speech_end
            take = take_save(
                chunk=chunk,
                text=chunk.text,
                voice=chunk.voice,
                seed=None,
                spoken=fitted.audio,
                words=None,
                seconds=fitted.seconds,
            )
            takes.append(take)
            line.update(
                speech_start=placed.speech_start,
                speech_end=placed.speech_end,
                speed=fitted.speed,
                stretch=fitted.stretch,
                moved_by=placed.moved_by,
                take_id=take.pk,
            )
            progress.update(chunk.index + 1, len(chunks), message=f"line {chunk.index + 1} of {len(chunks)}")
    return takes


def dub_run(*, job: Job, progress: ProgressReporter) -> None:
    """Every stage of one dub, in order; the result names the dub, its timeline and its render."""
    dub = Dub.objects.select_related("source", "owner").filter(pk=job.pk).first()
    if dub is None:
        raise ServiceError("The dub was deleted.", code="not_found")
    if job.attempts > 1:  # a worker killed mid-dub: start again from the source
        discard_made(dub, keep_source=True)
    stages = _Stages(dub, progress)
    target = dub.target_language
    with stages.stage("extract"):
        media = _source(dub, job, progress)
        if not media.info.get("has_audio"):
            raise ServiceError("The source has no audio: there is no speech to dub.", code="no_speech")
        if media.duration > MAX_SOURCE_SECONDS:
            raise ServiceError(f"The source is longer than {MAX_SOURCE_SECONDS // 60} min.", code="too_long")
        sound = decode(Path(media.file.path), sample_rate=WORK_RATE)
        heard = audio.resample(sound, HEARING_RATE)
        # The source's length as ffprobe reads its container: a picture may go on after the sound ends.
        duration = media.duration or sound.duration
        _save(dub, duration=round(duration, 3))

    with stages.stage("transcribe"):

        def heard_up_to(done: float, total: float) -> None:
            progress.update(done, total, message=f"{done:.0f} of {total:.0f} s")
            progress.checkpoint()

        given = None if dub.source_language == "auto" else dub.source_language
        transcript = transcribe(heard.samples, language=given, word_timestamps=True, on_progress=heard_up_to)
        segments_heard = heard_lines(transcript, sound)
        if not segments_heard:
            raise ServiceError("No speech was heard in the source: there is nobody to dub.", code="no_speech")
        split = _speakers(dub, segments_heard, sound)
        lines = join_run_on(segments_heard, split.labels, sound)
        source_language = normalize_language(given or transcript.language)
        _save(dub, source_language=source_language if given is None else dub.source_language)
    slots = slots_of(lines, duration)

    with stages.stage("translate"):
        _translate(lines, source=source_language, target=target, progress=progress)

    if dub.options.get("voice_id"):
        by_label = _chosen_voice(dub, lines)
    else:
        with stages.stage("clone"):
            by_label = _clone_voices(dub, lines, sound, split.note, progress)
    del heard, sound
    generation = _generation(dub, job, lines, slots, by_label)
    takes = _speak_and_fit(stages, generation, lines, slots)
    segments = [{field: line[field] for field in SEGMENT_FIELDS} for line in lines]
    _save(dub, segments=segments, notes=with_placement(dub.notes, segments, duration))

    with stages.stage("assemble"):
        timeline = timeline_assemble(
            generation=generation,
            source=media,
            takes=takes,
            segments=segments,
            gain_db=dub.options.get("background_db"),
        )

    with stages.stage("render"):
        fmt = "mp4" if media_is_picture(media) else "wav"
        if fmt != "mp4":
            _save(dub, notes=[*dub.notes, no_picture(fmt)])
        rendered = render_timeline_file(job=job, timeline=timeline, fmt=fmt, sample_rate=None, progress=progress)
    _save(dub, stage="")
    progress.result = {
        "dub_id": str(dub.pk),
        "generation_id": str(generation.pk),
        "timeline_id": str(generation.pk),
        "render": {"id": rendered["render_id"], "format": fmt, "url": rendered["url"]},
        "segments": len(segments),
        "url": f"/api/dub/{dub.pk}",
    }


def discard_made(dub: Dub, *, keep_source: bool) -> None:
    """Remove what a dub made: its generation (takes, timeline, renders and their files), its clones, and the
    source it brought itself (unless `keep_source`)."""
    generation = Generation.objects.filter(pk=dub.pk).first()
    if generation is not None:
        folder = generation_folder(generation)
        generation.delete()
        shutil.rmtree(folder, ignore_errors=True)
    for speaker in dub.speakers or []:
        if speaker.get("cloned") and speaker.get("voice_id"):
            voices.discard_voice(speaker["voice_id"])
    fields: dict[str, Any] = {"speakers": [], "segments": [], "notes": []}
    if not keep_source and dub.source_is_own and dub.source_id:
        source = MediaFile.objects.filter(pk=dub.source_id).first()
        if source is not None:
            media_delete(media=source)
        fields["source"] = None
    _save(dub, **fields)


def dub_discard(*, job_id: str) -> None:
    """After the dub job: if it failed or was cancelled, nothing it half-made stays (the dub row tells what)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status not in (Job.Status.FAILED, Job.Status.CANCELLED):
        return
    dub = Dub.objects.filter(pk=job_id).first()
    if dub is not None:
        discard_made(dub, keep_source=False)
