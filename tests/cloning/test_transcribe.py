"""Transcription through the API and a real Dramatiq worker, with the packaged Whisper tiny.en model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from dramatiq import Worker

from cloning.transcription import Segment, Word, to_srt, to_vtt, word_error_rate
from cloning.transcription.install import InstallError, assemble_base
from clonyvoice.media import media_store, probe
from clonyvoice.models import Job, MediaFile
from tests.cloning.speech_clips import speech_wav

pytestmark = pytest.mark.django_db(transaction=True)

SENTENCE = "The quick brown fox jumps over the lazy dog. Please call me back tomorrow morning."


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return speech_wav(tmp_path_factory.mktemp("clips") / "fox.wav", SENTENCE)


@pytest.fixture
def run_jobs(broker, worker):
    def run() -> None:
        broker.join("gpu", fail_fast=False, timeout=300_000)
        worker.join()

    return run


def _temp_files() -> list[Path]:
    folder = Path(settings.DATA_DIR) / "tmp"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="audio/wav")


def test_transcribe_upload_gives_words_segments_and_subtitles(api, clip, run_jobs):
    response = api.post("/api/transcribe", {"file": _upload(clip), "model": "tiny.en"}, format="multipart")
    assert response.status_code == 202, response.content
    task_id = response.json()["task_id"]
    run_jobs()
    job = api.get(f"/api/jobs/{task_id}").json()
    assert job["status"] == "succeeded", job
    assert job["progress"] == pytest.approx(job["total"]) and job["total"] > 3
    result = job["result"]
    assert word_error_rate(SENTENCE, result["text"]) <= 0.25, result["text"]
    assert result["language"] == "en" and result["model"] == "tiny.en"
    assert result["duration"] == pytest.approx(probe(clip).duration, abs=0.05)
    words = [w for s in result["segments"] for w in s["words"]]
    assert {"fox", "dog"} <= {w["word"].strip(" .,").lower() for w in words}
    starts = [w["start"] for w in words]
    assert starts == sorted(starts) and all(w["end"] >= w["start"] for w in words)
    assert all(0 <= s["start"] < s["end"] <= result["duration"] + 0.5 for s in result["segments"])
    assert result["srt"].startswith("1\n00:00:00,")
    assert result["vtt"].startswith("WEBVTT\n\n00:00:00.")

    srt = api.get(f"/api/transcribe/{task_id}.srt")
    assert srt.status_code == 200
    assert srt["Content-Type"].startswith("application/x-subrip")
    assert 'filename="fox.srt"' in srt["Content-Disposition"]
    assert re.match(r"1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\n\S", srt.content.decode())
    vtt = api.get(f"/api/transcribe/{task_id}.vtt")
    assert vtt.content.decode() == result["vtt"]
    assert _temp_files() == []


def test_transcribe_a_stored_media_file_and_owners_only(api, owner, outsider, clip, run_jobs, tmp_path):
    copy = tmp_path / "clip.wav"
    copy.write_bytes(clip.read_bytes())
    media = media_store(owner=owner, path=copy, name="interview.wav", info=probe(copy))
    theirs = media_store(owner=outsider, path=speech_wav(tmp_path / "b.wav", "Hello."), name="b", info=probe(clip))
    assert api.post("/api/transcribe", {"media_id": str(theirs.pk)}, format="json").status_code == 404
    response = api.post("/api/transcribe", {"media_id": str(media.pk), "model": "tiny.en"}, format="json")
    assert response.status_code == 202, response.content
    run_jobs()
    job = Job.objects.get(pk=response.json()["task_id"])
    assert job.status == "succeeded", job.error
    assert word_error_rate(SENTENCE, job.result["text"]) <= 0.25
    assert job.result["source"] == {"kind": "media", "name": "interview.wav"}
    assert Path(MediaFile.objects.get(pk=media.pk).file.path).is_file()  # a stored file is never removed


@pytest.mark.parametrize(
    ("name", "content"),
    [("notes.wav", b"this is plain text, not audio at all\n" * 50), ("empty.wav", b"")],
)
def test_non_audio_or_empty_upload_is_400_and_leaves_nothing(api, name, content):
    response = api.post(
        "/api/transcribe", {"file": SimpleUploadedFile(name, content), "model": "tiny.en"}, format="multipart"
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid_media"
    assert _temp_files() == []
    assert not Job.objects.exists()


def test_unknown_model_is_400_listing_installed_and_missing_one_503(api, clip):
    unknown = api.post("/api/transcribe", {"file": _upload(clip), "model": "whisper-9000"}, format="multipart")
    assert unknown.status_code == 400
    body = unknown.json()
    assert body["error"] == "unknown_model"
    assert "tiny.en" in body["installed"] and "tiny.en" in body["detail"]
    missing = api.post("/api/transcribe", {"file": _upload(clip), "model": "large-v3"}, format="multipart")
    assert missing.status_code == 503
    assert missing.json()["error"] == "model_not_installed"
    assert missing.json()["install"] == "python manage.py models pull whisper:large-v3"
    english_only = api.post(
        "/api/transcribe", {"file": _upload(clip), "model": "tiny.en", "language": "ru"}, format="multipart"
    )
    assert english_only.status_code == 400
    assert english_only.json()["error"] == "language_not_supported"
    assert _temp_files() == []
    assert not Job.objects.exists()


def test_a_transcription_cancelled_before_it_runs_removes_its_upload(api, broker, clip):
    response = api.post("/api/transcribe", {"file": _upload(clip), "model": "tiny.en"}, format="multipart")
    assert response.status_code == 202
    assert len(_temp_files()) == 1
    task_id = response.json()["task_id"]
    assert api.post("/api/job/cancel", {"task_id": task_id}, format="json").status_code == 200
    worker = Worker(broker, worker_timeout=100, worker_threads=1)
    worker.start()
    try:
        broker.join("gpu", fail_fast=False, timeout=60_000)
        worker.join()
    finally:
        worker.stop()
        broker.middleware[:] = [m for m in broker.middleware if getattr(m, "worker", None) is not worker]
    assert Job.objects.get(pk=task_id).status == "cancelled"
    assert _temp_files() == []


def test_srt_and_vtt_rendering():
    segments = [
        Segment(0, 0.0, 1.5, "Hello there.", [Word(0.0, 0.5, " Hello", 0.9)]),
        Segment(1, 61.25, 3725.007, "Line one\n\nline --> two", []),
        Segment(2, 3726.0, 3727.0, "   ", []),
    ]
    assert to_srt(segments) == (
        "1\n00:00:00,000 --> 00:00:01,500\nHello there.\n\n2\n00:01:01,250 --> 01:02:05,007\nLine one\nline --> two\n"
    )
    assert to_vtt(segments) == (
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello there.\n\n"
        "00:01:01.250 --> 01:02:05.007\nLine one\nline -> two\n"
    )


def test_word_error_rate_ignores_case_and_punctuation():
    assert word_error_rate("Hello, World!", "hello world") == 0.0
    assert word_error_rate("the cat sat", "the cat sat down") == pytest.approx(1 / 3)
    assert word_error_rate("the cat sat", "a cat") == pytest.approx(2 / 3)
    assert word_error_rate("It\u2019s fine", "it's fine") == 0.0
    assert word_error_rate("", "") == 0.0


def test_assemble_base_joins_parts_once_with_a_checksum(tmp_path):
    import hashlib

    part1, part2, extras = tmp_path / "p1", tmp_path / "p2", tmp_path / "extras"
    part1.write_bytes(b"a" * 1000)
    part2.write_bytes(b"b" * 500)
    extras.mkdir()
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        (extras / name).write_text("{}")
    digest = hashlib.sha256(b"a" * 1000 + b"b" * 500).hexdigest()
    target = tmp_path / "models" / "base"
    logs: list[str] = []
    assemble_base(target=target, parts=[part1, part2], extras_dir=extras, expected_sha256=digest, log=logs.append)
    assert (target / "model.bin").read_bytes() == b"a" * 1000 + b"b" * 500
    assert sorted(p.name for p in target.iterdir()) == [
        "clonyvoice.json",
        "config.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.json",
    ]
    assemble_base(target=target, parts=[part1, part2], extras_dir=extras, expected_sha256=digest, log=logs.append)
    assert "already assembled" in logs[-1]

    other = tmp_path / "models" / "other"
    with pytest.raises(InstallError, match="sha256"):
        assemble_base(target=other, parts=[part2, part1], extras_dir=extras, expected_sha256=digest, log=logs.append)
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["base"]


def test_transcribe_in_process_function(clip):
    """The function the cloning and benchmark code call inside a worker."""
    from cloning.transcription import transcribe

    transcript = transcribe(clip, model="tiny.en", language="en")
    assert word_error_rate(SENTENCE, transcript.text) <= 0.25
    assert transcript.segments and transcript.segments[0].words


def test_transcribe_an_unmerged_generation_chunk_by_chunk(api, run_jobs):
    from voices.models import Voice

    voice = Voice.objects.filter(engine="piper", kind="preset").first() or Voice.objects.filter(engine="espeak").first()
    text = "Good morning to everyone. The weather is lovely today."
    generated = api.post("/api/generate/clone-chunked", {"text": text, "voice_id": str(voice.pk)}, format="json")
    assert generated.status_code == 202, generated.content
    run_jobs()
    generation_id = generated.json()["task_id"]
    response = api.post("/api/transcribe", {"generation_id": generation_id, "model": "tiny.en"}, format="json")
    assert response.status_code == 202, response.content
    run_jobs()
    job = Job.objects.get(pk=response.json()["task_id"])
    assert job.status == "succeeded", job.error
    assert len(job.params["pieces"]) == 2
    assert word_error_rate(text, job.result["text"]) <= 0.3, job.result["text"]
    first_chunk = job.params["pieces"][0]["duration"]
    assert job.result["segments"][-1]["start"] >= first_chunk - 0.2  # the second chunk's times are shifted
    assert job.result["duration"] == pytest.approx(sum(p["duration"] for p in job.params["pieces"]), abs=0.05)


def test_system_status_lists_whisper_and_translation(api):
    body = api.get("/api/system/status").json()
    installed = {m["name"]: m for m in body["transcription"]["models"] if m["installed"]}
    assert installed["tiny.en"]["source"] == "package"
    assert {e["name"] for e in body["translation"]} == {"apertium", "transformers"}
