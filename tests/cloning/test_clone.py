"""Cloning through the API and a real Dramatiq worker: sample intake, bad input, voice matching, cancel."""

from __future__ import annotations

import json
import math
import struct
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from clonyvoice.audio import Audio, join, wav_bytes
from clonyvoice.models import Job
from clonyvoice.paths import media_path
from synthesis.engines import SynthesisRequest, get_engine
from tests.workers import run_all_jobs
from voices.models import Voice, VoiceSample

pytestmark = pytest.mark.django_db(transaction=True)

LINES = [
    "It was a bright cold day in April, and the clocks were striking thirteen.",
    "The hallway smelt of boiled cabbage and old rag mats.",
    "At one end of it a coloured poster had been tacked to the wall.",
    "It depicted simply an enormous face, more than a metre wide.",
]


def speech(voice_id: str = "en-us+f3", lines: list[str] = LINES, engine: str = "espeak") -> Audio:
    speaker = get_engine(engine)
    return join([speaker.synthesize(SynthesisRequest(text=line, voice_id=voice_id)) for line in lines], gap=0.3)


def wav_upload(audio: Audio, name: str = "sample.wav") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, wav_bytes(audio), content_type="audio/wav")


def ffmpeg_file(tmp_path: Path, name: str, *args: str) -> Path:
    path = tmp_path / name
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args, str(path)], check=True)
    return path


def upload_of(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def crafted_aiff(claimed_seconds: float, actual_bytes: int, rate: int = 8000) -> bytes:
    """An AIFF whose header claims `claimed_seconds` of 8-bit audio but that holds only `actual_bytes`."""
    exponent = math.floor(math.log2(rate))
    rate80 = struct.pack(">HQ", exponent + 16383, int(rate / 2**exponent * 2**63))
    frames = int(claimed_seconds * rate)
    comm = b"COMM" + struct.pack(">IhIh", 18, 1, frames, 8) + rate80
    ssnd = b"SSND" + struct.pack(">I", 8 + frames) + struct.pack(">II", 0, 0) + bytes(actual_bytes)
    form = b"AIFF" + comm + ssnd
    return b"FORM" + struct.pack(">I", len(form)) + form


@pytest.fixture
def client(owner) -> APIClient:
    """The owner's browser session: the API key's clone:create limit (2 a minute) would stop these tests."""
    session = APIClient()
    session.force_login(owner)
    return session


@pytest.fixture
def run_jobs(broker):
    return lambda: run_all_jobs(broker)


def assert_nothing_left() -> None:
    assert not Voice.objects.exclude(kind=Voice.Kind.PRESET).exists()
    assert not VoiceSample.objects.exists()
    assert not any((Path(settings.MEDIA_ROOT) / "voices").rglob("*"))
    assert not any((Path(settings.MEDIA_ROOT) / "previews").glob("*"))
    assert not any((Path(settings.DATA_DIR) / "tmp").glob("*"))
    assert (
        not Job.objects.filter(kind__in=["clone.create", "design.create"])
        .exclude(status__in=[Job.Status.CANCELLED, Job.Status.FAILED])
        .exists()
    )


# --- bad input: a clear 4xx, nothing left behind ------------------------------------------------------------------


def _bad_files(tmp_path: Path) -> dict[str, SimpleUploadedFile]:
    sine = ffmpeg_file(tmp_path, "tone.m4a", "-f", "lavfi", "-i", "sine=frequency=220:duration=6", "-c:a", "aac")
    video = ffmpeg_file(
        tmp_path, "silent.mp4", "-f", "lavfi", "-i", "testsrc=duration=5:size=64x64:rate=5", "-c:v", "mpeg4"
    )
    return {
        "not_audio": SimpleUploadedFile("notes.wav", b"These are my notes, not a recording.\n" * 50),
        "video_without_audio": upload_of(video),
        "truncated": SimpleUploadedFile("cut.m4a", sine.read_bytes()[: len(sine.read_bytes()) // 2]),
        "one_second": wav_upload(Audio(samples=speech(lines=["Hi."]).samples[:22050], sample_rate=22050)),
        "two_hours": SimpleUploadedFile("long.aiff", crafted_aiff(2 * 3600, 3_000_000)),
        "tiny_claims_hours": SimpleUploadedFile("tiny.aiff", crafted_aiff(3 * 3600, 10_000)),
    }


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("not_audio", "ffmpeg can read"),
        ("video_without_audio", "no audio"),
        ("truncated", "ffmpeg can read"),
        ("one_second", "at least 3"),
        ("two_hours", "at most 600"),
        ("tiny_claims_hours", "damaged or crafted"),
    ],
)
def test_bad_samples_are_refused_and_leave_nothing(client, tmp_path, case, words):
    upload = _bad_files(tmp_path)[case]
    response = client.post("/api/clone/create", {"file": upload, "name": "x"}, format="multipart")
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid_media"
    assert words in response.json()["detail"]
    assert_nothing_left()


def test_one_bad_file_among_good_ones_refuses_all(client, tmp_path):
    good = speech()
    files = [wav_upload(good, "a.wav"), SimpleUploadedFile("b.wav", b"RIFF junk" * 100), wav_upload(good, "c.wav")]
    response = client.post("/api/clone/create-multi", {"files": files}, format="multipart")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("b.wav:")
    assert_nothing_left()


def test_too_many_files(client):
    tiny = wav_bytes(Audio(samples=speech(lines=["Hello."]).samples, sample_rate=22050))
    files = [SimpleUploadedFile(f"{i}.wav", tiny) for i in range(200)]
    response = client.post("/api/clone/create-multi", {"files": files}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"] == "too_many_files"
    files = [SimpleUploadedFile(f"{i}.wav", tiny) for i in range(21)]
    response = client.post("/api/clone/create-multi", {"files": files}, format="multipart")
    assert response.json()["error"] == "too_many_files"
    assert_nothing_left()


@pytest.mark.parametrize(
    ("regions", "words"),
    [
        ([{"file": 0, "start": 2.0, "end": 60.0}], "after the end"),
        ([{"file": 0, "start": -1.0, "end": 4.0}], "negative"),
        ([{"file": 0, "start": 5.0, "end": 1.0}], "ends before it starts"),
        ([{"file": 3, "start": 0.0, "end": 4.0}], "names file 3"),
        ([], "at least one region"),
        ("not json", "JSON"),
    ],
)
def test_bad_regions_are_refused(client, regions, words):
    audio = speech()
    response = client.post(
        "/api/clone/create-clips",
        {"files": [wav_upload(audio)], "regions": regions if isinstance(regions, str) else json.dumps(regions)},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid_regions"
    assert words in response.json()["detail"]
    assert_nothing_left()


def test_missing_file_and_unknown_category(client):
    assert client.post("/api/clone/create", {"name": "x"}, format="multipart").status_code == 400
    response = client.post("/api/clone/create", {"file": wav_upload(speech()), "category": "nope"}, format="multipart")
    assert response.json()["error"] == "unknown_category"
    assert_nothing_left()


# --- cloning through the worker -----------------------------------------------------------------------------------


def test_clone_with_a_kokoro_fit_then_generate(client, owner, run_jobs):
    reference = speech("en-us+f3")
    response = client.post(
        "/api/clone/create",
        {"file": wav_upload(reference), "name": "Fiona", "language": "en", "transcript": " ".join(LINES)},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    task_id, voice_id = response.json()["task_id"], response.json()["voice_id"]
    hidden = client.get("/api/voices").json()
    assert voice_id not in json.dumps(hidden)  # not in the library until it is made
    run_jobs()
    job = client.get(f"/api/jobs/{task_id}").json()
    assert job["status"] == "succeeded", job
    result = job["result"]
    assert result["voice_id"] == voice_id and result["engine"] == "kokoro" and result["method"] == "kokoro-fit"
    # the similarity is the judge's (resemblyzer), never the fitting encoder's, next to the start preset's
    assert result["similarity_judge"].startswith("resemblyzer")
    assert result["preset"]["engine"] == "kokoro" and 0 < result["preset"]["similarity"] <= 1.0
    assert result["warnings"] == []  # one speaker

    voice = client.get(f"/api/voices/{voice_id}").json()
    assert voice["kind"] == "cloned" and voice["engine"] == "kokoro"
    assert 0.3 < voice["similarity"] <= 1.0
    # a fitted voice speaks every language Kokoro speaks
    assert {"en-us", "es", "ru"} <= set(voice["languages"])
    assert voice["preview_url"] == f"/api/voices/{voice_id}/preview"
    assert client.get(voice["preview_url"]).status_code == 200
    stored = Voice.objects.get(pk=voice_id)
    assert stored.profile["fit"]["seed"] == 0 and stored.profile["judge"]["encoder"].startswith("resemblyzer")
    assert media_path(stored.profile["style"]).is_file()
    sample = stored.samples.get()
    assert sample.transcript.startswith("It was a bright")
    assert Path(sample.original.path).is_file() and Path(sample.cleaned.path).is_file()
    assert 0 < sample.duration <= reference.duration + 0.01

    generated = client.post(
        "/api/generate/clone", {"text": "Good morning. How are you?", "voice_id": voice_id}, format="json"
    )
    assert generated.status_code == 202, generated.content
    chunked = client.post(
        "/api/generate/clone-chunked", {"text": "One sentence. And another.", "voice_id": voice_id}, format="json"
    )
    assert chunked.status_code == 202
    run_jobs()
    for task in (generated.json()["task_id"], chunked.json()["task_id"]):
        assert client.get(f"/api/jobs/{task}").json()["status"] == "succeeded"
    assert client.get(f"/api/generations/{generated.json()['task_id']}/audio").status_code == 200
    spanish = client.post("/api/generate/clone", {"text": "Hola, ¿cómo estás?", "voice_id": voice_id}, format="json")
    assert spanish.status_code == 202, spanish.content
    run_jobs()
    assert client.get(f"/api/jobs/{spanish.json()['task_id']}").json()["status"] == "succeeded"

    preview = client.post(f"/api/voices/{voice_id}/generate-preview", {"text": "A new preview."}, format="json")
    assert preview.status_code == 202
    run_jobs()
    result = client.get(f"/api/jobs/{preview.json()['task_id']}").json()
    assert result["status"] == "succeeded", result
    assert result["result"]["similarity"] is not None
    assert client.get(f"/api/voices/{voice_id}").json()["preview_url"]

    samples = client.get(f"/api/voices/{voice_id}").json()["samples"]
    assert samples and samples[0]["duration"] > 0
    folder = Path(settings.MEDIA_ROOT) / "voices" / voice_id
    assert any(folder.rglob("*"))
    assert client.delete(f"/api/voices/{voice_id}").status_code == 204
    assert not folder.exists()  # samples, cleaned clips and profile files go with the voice


def test_clone_multi_and_clips_keep_every_sample(client, run_jobs):
    first, second = speech("en-gb+m3", LINES[:2]), speech("en-gb+m3", LINES[2:])
    multi = client.post(
        "/api/clone/create-multi",
        {"files": [wav_upload(first, "one.wav"), wav_upload(second, "two.wav")], "transcript": "given"},
        format="multipart",
    )
    assert multi.status_code == 202, multi.content
    regions = [
        {"file": 0, "start": 0.5, "end": 3.5},
        {"file": 1, "start": 0.0, "end": 2.5},
        {"file": 0, "start": 4, "end": 5},
    ]
    clips = client.post(
        "/api/clone/create-clips",
        {"files": [wav_upload(first, "one.wav"), wav_upload(second, "two.wav")], "regions": json.dumps(regions)},
        format="multipart",
    )
    assert clips.status_code == 202, clips.content
    run_jobs()
    for response in (multi, clips):
        job = client.get(f"/api/jobs/{response.json()['task_id']}").json()
        assert job["status"] == "succeeded", job
    multi_voice = Voice.objects.get(pk=multi.json()["voice_id"])
    assert [s.name for s in multi_voice.samples.all()] == ["one.wav", "two.wav"]
    clip_voice = Voice.objects.get(pk=clips.json()["voice_id"])
    samples = list(clip_voice.samples.all())
    assert [(s.start, s.end) for s in samples] == [(0.5, 3.5), (0.0, 2.5), (4.0, 5.0)]
    assert all(s.duration <= (s.end - s.start) + 0.01 for s in samples)
    assert samples[0].original.name == samples[2].original.name  # one stored file, two regions


def test_without_a_transcript_the_clone_still_succeeds(client, run_jobs):
    response = client.post("/api/clone/create", {"file": wav_upload(speech())}, format="multipart")
    run_jobs()
    job = Job.objects.get(pk=response.json()["task_id"])
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert "transcribed" in job.result  # Whisper's text when a model is installed, else an empty transcript


def test_cancel_a_pending_clone_removes_everything(client, broker):
    response = client.post("/api/clone/create", {"file": wav_upload(speech())}, format="multipart")
    task_id = response.json()["task_id"]
    assert Voice.objects.filter(pk=response.json()["voice_id"]).exists()
    cancelled = client.post("/api/clone/cancel", {"task_id": task_id}, format="json")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert client.post("/api/design/cancel", {"task_id": task_id}, format="json").status_code == 404
    assert_nothing_left()


def test_cancel_while_running_removes_everything(client, run_jobs, monkeypatch):
    from cloning import intake

    real = intake.clean

    def clean_then_cancel(*args, **kwargs):
        Job.objects.filter(kind="clone.create").update(cancel_requested=True)
        return real(*args, **kwargs)

    monkeypatch.setattr(intake, "clean", clean_then_cancel)
    response = client.post(
        "/api/clone/create", {"file": wav_upload(speech()), "transcript": "words"}, format="multipart"
    )
    run_jobs()
    assert Job.objects.get(pk=response.json()["task_id"]).status == Job.Status.CANCELLED
    assert_nothing_left()


@pytest.mark.parametrize(
    "source",
    [
        ["-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "4"],  # silence
        ["-f", "lavfi", "-i", "anoisesrc=r=16000:color=white:amplitude=0.3", "-t", "6"],  # hiss
        ["-f", "lavfi", "-i", "anoisesrc=r=16000:color=brown:amplitude=0.5", "-t", "6"],  # rumble
    ],
    ids=["silence", "white-noise", "brown-noise"],
)
def test_a_reference_without_speech_is_refused_before_anything_is_made(client, tmp_path, source):
    recording = ffmpeg_file(tmp_path, "quiet.wav", *source)
    response = client.post("/api/clone/create", {"file": upload_of(recording)}, format="multipart")
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "no_speech"
    assert_nothing_left()


def test_noise_around_a_region_of_speech_is_fine_but_a_region_of_noise_is_not(client, tmp_path):
    noise = ffmpeg_file(tmp_path, "hiss.wav", "-f", "lavfi", "-i", "anoisesrc=r=24000:amplitude=0.05", "-t", "5")
    talk = tmp_path / "talk.wav"
    talk.write_bytes(wav_bytes(speech()))
    joined = ffmpeg_file(
        tmp_path, "both.wav", "-i", str(noise), "-i", str(talk), "-filter_complex", "concat=n=2:v=0:a=1"
    )
    regions = json.dumps([{"file": 0, "start": 0.0, "end": 4.5}])
    refused = client.post(
        "/api/clone/create-clips", {"files": [upload_of(joined)], "regions": regions}, format="multipart"
    )
    assert refused.status_code == 400 and refused.json()["error"] == "no_speech"
    assert_nothing_left()
    regions = json.dumps([{"file": 0, "start": 5.0, "end": 12.0}])
    accepted = client.post(
        "/api/clone/create-clips", {"files": [upload_of(joined)], "regions": regions}, format="multipart"
    )
    assert accepted.status_code == 202, accepted.content


def test_a_failed_clone_removes_everything(client, run_jobs, monkeypatch):
    from synthesis.engines import EngineError
    from synthesis.engines.kokoro import fitting

    def broken(*args, **kwargs):
        raise EngineError("the model file is damaged")

    monkeypatch.setattr(fitting, "fit", broken)
    response = client.post("/api/clone/create", {"file": wav_upload(speech())}, format="multipart")
    assert response.status_code == 202
    run_jobs()
    job = Job.objects.get(pk=response.json()["task_id"])
    assert job.status == Job.Status.FAILED
    assert "damaged" in job.error
    assert_nothing_left()


def test_cancel_during_the_fit_removes_everything(client, run_jobs, monkeypatch):
    from synthesis.engines.kokoro import fitting

    real, calls = fitting._Speaker.measure, []

    def measure_then_cancel(self, table):
        calls.append(1)
        Job.objects.filter(kind="clone.create").update(cancel_requested=True)
        return real(self, table)

    monkeypatch.setattr(fitting._Speaker, "measure", measure_then_cancel)
    response = client.post(
        "/api/clone/create", {"file": wav_upload(speech()), "transcript": "words"}, format="multipart"
    )
    run_jobs()
    job = Job.objects.get(pk=response.json()["task_id"])
    assert job.status == Job.Status.CANCELLED
    assert len(calls) == 1  # the search stopped at the next candidate
    assert_nothing_left()


def test_two_speakers_in_a_sample_give_a_warning(client, run_jobs):
    him = speech("en_US-joe-medium", engine="piper")
    her = speech("en-us+f3")
    both = join([him, Audio(her.samples, her.sample_rate)], gap=0.3, sample_rate=him.sample_rate)
    response = client.post("/api/clone/create", {"file": wav_upload(both), "transcript": "words"}, format="multipart")
    run_jobs()
    job = Job.objects.get(pk=response.json()["task_id"])
    assert job.status == Job.Status.SUCCEEDED, job.error
    (warning,) = job.result["warnings"]
    assert warning["code"] == "several_speakers" and 0.2 <= warning["share"] <= 0.5


def test_a_preset_voice_gets_one_shared_preview_and_no_generation(client, run_jobs, outsider):
    preset = Voice.objects.get(kind=Voice.Kind.PRESET, engine="espeak", engine_voice_id="ru")
    refused = client.post(f"/api/voices/{preset.pk}/generate-preview", {"text": "Своё."}, format="json")
    assert refused.status_code == 409
    assert refused.json()["error"] == "preset_read_only"

    started = client.post(f"/api/voices/{preset.pk}/generate-preview", {}, format="json")
    assert started.status_code == 202, started.content
    run_jobs()
    assert client.get(f"/api/jobs/{started.json()['task_id']}").json()["status"] == "succeeded"
    assert client.get("/api/generations").json()["count"] == 0
    other = APIClient()
    other.force_login(outsider)
    shared = other.get(f"/api/voices/{preset.pk}/preview")
    assert shared.status_code == 200
    assert b"".join(shared.streaming_content)[:4] == b"RIFF"


def test_a_language_kokoro_does_not_speak_is_cloned_by_voice_matching(client, owner, run_jobs):
    response = client.post(
        "/api/clone/create",
        {"file": wav_upload(speech("de")), "name": "Greta", "language": "de", "transcript": "Guten Tag."},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    run_jobs()
    job = client.get(f"/api/jobs/{response.json()['task_id']}").json()
    assert job["status"] == "succeeded", job
    assert job["result"]["engine"] == "matching" and job["result"]["method"]
    stored = Voice.objects.get(pk=response.json()["voice_id"])
    assert stored.profile["base"]["engine"] in {"espeak", "festival", "piper"}
    assert stored.profile["closest"]["similarity"] <= stored.profile["fit_similarity"] + 1e-6


def test_a_fitted_voice_travels_in_a_clonyvoice_file_and_speaks_there(client, outsider, run_jobs):
    response = client.post(
        "/api/clone/create",
        {"file": wav_upload(speech("en-us+m3")), "name": "Theo", "transcript": "Hi."},
        format="multipart",
    )
    run_jobs()
    voice_id = response.json()["voice_id"]
    exported = client.post("/api/voices/export", {"voice_ids": [voice_id]}, format="json")
    archive = SimpleUploadedFile(
        "theo.clonyvoice", b"".join(exported.streaming_content), content_type="application/zip"
    )
    other = APIClient()
    other.force_authenticate(outsider)
    assert other.post("/api/voices/import", {"file": archive}, format="multipart").status_code == 201
    imported = Voice.objects.get(owner=outsider, name="Theo")
    assert (
        imported.profile["style"].startswith(f"voices/{imported.pk}/")
        and media_path(imported.profile["style"]).is_file()
    )
    spoken = other.post("/api/generate/clone", {"text": "Hello again.", "voice_id": str(imported.pk)}, format="json")
    assert spoken.status_code == 202, spoken.content
    run_jobs()
    assert other.get(f"/api/jobs/{spoken.json()['task_id']}").json()["status"] == "succeeded"
