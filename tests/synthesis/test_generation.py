"""Generation through the API and a Dramatiq worker, with eSpeak NG as the engine (fast, always installed)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from clonyvoice.models import Job
from synthesis.models import Chunk, Generation, Take
from tests.factories import VoiceFactory
from tests.workers import run_all_jobs
from voices.models import Voice

pytestmark = pytest.mark.django_db(transaction=True)

THREE_SENTENCES = "The weather is fine today. We will walk to the river. Then we go home."


@pytest.fixture
def espeak_en(db) -> Voice:
    return next(v for v in Voice.objects.filter(engine="espeak", kind="preset") if "en-us" in v.languages)


@pytest.fixture
def espeak_ru(db) -> Voice:
    return next(v for v in Voice.objects.filter(engine="espeak", kind="preset") if v.languages[:1] == ["ru"])


@pytest.fixture
def run_jobs(request, broker):
    """Run the queued jobs; in a worker started only now unless the test drives its own `worker`."""
    if "worker" not in request.fixturenames:
        return lambda: run_all_jobs(broker)
    worker = request.getfixturevalue("worker")

    def run() -> None:
        for queue in ("gpu", "cpu"):
            broker.join(queue, fail_fast=False, timeout=120_000)
        worker.join()

    return run


def _probe_duration(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout)


def test_preset_generation_makes_one_file(api, espeak_en, run_jobs):
    response = api.post(
        "/api/generate/preset",
        {"text": THREE_SENTENCES, "voice_id": str(espeak_en.pk), "format": "mp3", "speed": 1.2},
        format="json",
    )
    assert response.status_code == 202, response.content
    task_id = response.json()["task_id"]
    run_jobs()
    job = api.get(f"/api/jobs/{task_id}").json()
    assert job["status"] == "succeeded", job
    assert job["result"]["audio_url"] == f"/api/generations/{task_id}/audio"
    audio = api.get(job["result"]["audio_url"])
    assert audio.status_code == 200
    assert audio["Content-Type"] == "audio/mpeg"
    generation = Generation.objects.get(pk=task_id)
    assert 2.0 < _probe_duration(Path(generation.output.path)) < 15.0
    detail = api.get(f"/api/generations/{task_id}").json()
    assert [c["text"] for c in detail["chunks"]] == [
        "The weather is fine today.",
        "We will walk to the river.",
        "Then we go home.",
    ]
    assert all(c["status"] == "done" and c["selected_take"] == 1 for c in detail["chunks"])


def test_chunked_generation_regenerate_select_and_merge(api, espeak_en, run_jobs):
    task_id = api.post(
        "/api/generate/clone-chunked", {"text": THREE_SENTENCES, "voice_id": str(espeak_en.pk)}, format="json"
    ).json()["task_id"]
    run_jobs()
    first = api.get(f"/api/audio/chunk/{task_id}/1")
    assert first.status_code == 200
    assert first["Content-Type"] == "audio/wav"
    assert b"".join(first.streaming_content)[:4] == b"RIFF"
    assert api.get(f"/api/generations/{task_id}").json()["audio_url"] is None

    regen = api.post(
        "/api/generate/regenerate-chunk",
        {"task_id": task_id, "index": 1, "text": "We will run to the sea."},
        format="json",
    )
    assert regen.status_code == 202
    run_jobs()
    chunk = api.get(f"/api/generations/{task_id}").json()["chunks"][1]
    assert [t["number"] for t in chunk["takes"]] == [1, 2]
    assert chunk["selected_take"] == 2
    assert chunk["text"] == "We will run to the sea."

    back = api.post(f"/api/generations/{task_id}/chunks/1/select", {"take": 1}, format="json")
    assert back.json()["selected_take"] == 1

    merged = api.post(
        "/api/generate/merge-chunks",
        {"task_id": task_id, "takes": {"1": 2}, "gap_ms": 300, "format": "flac", "normalize": True},
        format="json",
    )
    assert merged.status_code == 202, merged.content
    run_jobs()
    assert Job.objects.get(pk=merged.json()["task_id"]).status == "succeeded"
    generation = Generation.objects.get(pk=task_id)
    takes = [Chunk.objects.get(generation=generation, index=i).takes.get(number=n) for i, n in ((0, 1), (1, 2), (2, 1))]
    expected = sum(t.duration for t in takes) + 2 * 0.3
    assert abs(_probe_duration(Path(generation.output.path)) - expected) < 0.05


def test_multivoice_script(api, espeak_en, espeak_ru, run_jobs):
    script = "Alice: Hello there. How are you?\n[Boris] Привет! Всё хорошо.\nAlice: Good."
    response = api.post(
        "/api/generate/clone-chunked-multivoice",
        {"script": script, "voices": {"Alice": str(espeak_en.pk), "Boris": str(espeak_ru.pk)}},
        format="json",
    )
    assert response.status_code == 202, response.content
    run_jobs()
    chunks = api.get(f"/api/generations/{response.json()['task_id']}").json()["chunks"]
    assert [(c["speaker"], c["voice_id"]) for c in chunks] == [
        ("Alice", str(espeak_en.pk)),
        ("Alice", str(espeak_en.pk)),
        ("Boris", str(espeak_ru.pk)),
        ("Boris", str(espeak_ru.pk)),
        ("Alice", str(espeak_en.pk)),
    ]
    assert all(c["status"] == "done" for c in chunks)


def test_multilang_detects_and_picks_voices(api, espeak_ru, run_jobs):
    response = api.post(
        "/api/generate/clone-chunked-multilang",
        {"text": "This is English. Это русский текст.", "voices": {"ru": str(espeak_ru.pk)}},
        format="json",
    )
    assert response.status_code == 202, response.content
    run_jobs()
    chunks = api.get(f"/api/generations/{response.json()['task_id']}").json()["chunks"]
    assert [c["language"][:2] for c in chunks] == ["en", "ru"]
    assert chunks[1]["voice_id"] == str(espeak_ru.pk)
    assert all(c["status"] == "done" for c in chunks)


def test_cancel_stops_between_chunks_and_keeps_what_was_made(api, espeak_en, broker, worker, run_jobs):
    worker.pause()
    task_id = api.post(
        "/api/generate/clone-chunked", {"text": THREE_SENTENCES * 3, "voice_id": str(espeak_en.pk)}, format="json"
    ).json()["task_id"]
    first = api.post("/api/generation/cancel", {"task_id": task_id}, format="json")
    second = api.post("/api/generation/cancel", {"task_id": task_id}, format="json")
    assert first.status_code == second.status_code == 200
    assert first.json()["status"] == second.json()["status"] == "cancelled"
    worker.resume()
    run_jobs()
    assert Take.objects.filter(chunk__generation_id=task_id).count() == 0


def test_delete_removes_rows_and_files(api, espeak_en, run_jobs):
    task_id = api.post(
        "/api/generate/preset", {"text": THREE_SENTENCES, "voice_id": str(espeak_en.pk)}, format="json"
    ).json()["task_id"]
    run_jobs()
    folder = Path(settings.MEDIA_ROOT) / "generations" / task_id
    assert any(folder.iterdir())
    assert api.delete(f"/api/generations/{task_id}").status_code == 204
    assert not folder.exists()
    assert not Job.objects.filter(pk=task_id).exists()
    assert api.get(f"/api/generations/{task_id}").status_code == 404
    regen = api.post("/api/generate/regenerate-chunk", {"task_id": task_id, "index": 0}, format="json")
    assert regen.status_code == 404


def test_a_redelivered_job_removes_what_the_killed_attempt_left_half_written(api, espeak_en, run_jobs):
    task_id = api.post(
        "/api/generate/preset", {"text": THREE_SENTENCES, "voice_id": str(espeak_en.pk)}, format="json"
    ).json()["task_id"]
    # What a worker killed with -9 leaves: the job marked running, a temp file and a take with no row.
    Job.objects.filter(pk=task_id).update(status=Job.Status.RUNNING, attempts=1)
    folder = Path(settings.MEDIA_ROOT) / "generations" / task_id
    folder.mkdir(parents=True)
    (folder / "tmpk1lled.part").write_bytes(b"RIFF")
    (folder / "chunk-0000-take-001.wav").write_bytes(b"RIFF")

    run_jobs()

    generation = api.get(f"/api/generations/{task_id}").json()
    assert generation["status"] == "succeeded"
    assert Job.objects.get(pk=task_id).attempts == 2
    kept = {
        Path(name).name for name in Take.objects.filter(chunk__generation_id=task_id).values_list("audio", flat=True)
    }
    kept.add(Path(Generation.objects.get(pk=task_id).output.name).name)
    assert {p.name for p in folder.iterdir()} == kept
    assert all((folder / name).stat().st_size > 1000 for name in kept)


def test_history_lists_my_generations_only(api, owner, outsider, espeak_en, run_jobs):
    from rest_framework.test import APIClient

    from tests.factories import issue_key

    api.post("/api/generate/preset", {"text": "Mine.", "voice_id": str(espeak_en.pk)}, format="json")
    other = APIClient()
    other.credentials(HTTP_X_API_KEY=issue_key(outsider).token)
    theirs = other.post("/api/generate/preset", {"text": "Theirs.", "voice_id": str(espeak_en.pk)}, format="json")
    run_jobs()
    listed = api.get("/api/generations").json()
    assert [g["title"] for g in listed["results"]] == ["Mine."]
    assert api.get(f"/api/generations/{theirs.json()['task_id']}").status_code == 404
    assert api.delete(f"/api/generations/{theirs.json()['task_id']}").status_code == 404


class TestBadInput:
    def _post(self, api, url: str, payload: dict):
        return api.post(url, payload, format="json")

    @pytest.mark.parametrize("text", ["", "   \n\t "])
    def test_empty_text(self, api, espeak_en, text):
        response = self._post(api, "/api/generate/preset", {"text": text, "voice_id": str(espeak_en.pk)})
        assert response.status_code == 400
        assert response.json()["error"] == "empty_text"

    @pytest.mark.parametrize("text", ["\u200b\u200b\u200d\u2060", "😀🎉👍🏽", "\ufeff🇷🇺 \u200b"])
    def test_nothing_speakable(self, api, espeak_en, text):
        piper = Voice.objects.get(engine="piper")
        for voice in (espeak_en, piper):
            response = self._post(api, "/api/generate/preset", {"text": text, "voice_id": str(voice.pk)})
            assert response.status_code == 400
            assert response.json()["error"] == "no_speakable_text"
        speech = self._post(api, "/v1/audio/speech", {"model": "tts-1", "input": text, "voice": "alloy"})
        assert speech.status_code == 400 and speech.json()["error"] == "no_speakable_text"
        assert not Job.objects.exists() and not Generation.objects.exists()

    def test_text_over_the_limit(self, api, espeak_en):
        response = self._post(api, "/api/generate/preset", {"text": "word " * 5000, "voice_id": str(espeak_en.pk)})
        assert response.status_code == 413
        assert "20000" in response.json()["detail"]
        assert not Generation.objects.exists()

    def test_unknown_and_foreign_voice(self, api, outsider):
        foreign = VoiceFactory(owner=outsider)
        for voice_id in ("00000000-0000-0000-0000-000000000000", str(foreign.pk), "nope"):
            response = self._post(api, "/api/generate/preset", {"text": "Hi.", "voice_id": voice_id})
            assert response.status_code == 404

    def test_language_the_voice_cannot_speak(self, api, espeak_en):
        response = self._post(
            api, "/api/generate/preset", {"text": "Hi.", "voice_id": str(espeak_en.pk), "language": "ja"}
        )
        assert response.status_code == 400
        body = response.json()
        assert body["error"] == "language_not_supported"
        assert "en-us" in body["languages"]

    @pytest.mark.parametrize(
        "extra", [{"speed": 0.1}, {"speed": 2.5}, {"pitch": 13}, {"pitch": -12.5}, {"format": "aiff"}]
    )
    def test_settings_out_of_range(self, api, espeak_en, extra):
        response = self._post(api, "/api/generate/preset", {"text": "Hi.", "voice_id": str(espeak_en.pk), **extra})
        assert response.status_code == 400
        assert response.json()["error"] == "invalid"

    def test_merge_with_a_chunk_that_has_no_take(self, api, espeak_en, worker, run_jobs):
        worker.pause()
        task_id = self._post(
            api, "/api/generate/clone-chunked", {"text": THREE_SENTENCES, "voice_id": str(espeak_en.pk)}
        ).json()["task_id"]
        response = self._post(api, "/api/generate/merge-chunks", {"task_id": task_id})
        assert response.status_code == 400
        assert response.json()["error"] == "chunk_not_ready"
        api.post("/api/generation/cancel", {"task_id": task_id}, format="json")
        worker.resume()
        run_jobs()  # leave no message in flight for the next test's broker

    def test_unknown_speaker_in_a_script(self, api, espeak_en):
        response = self._post(
            api,
            "/api/generate/clone-chunked-multivoice",
            {"script": "Alice: Hi.\nBob: Hello.", "voices": {"Alice": str(espeak_en.pk)}},
        )
        assert response.status_code == 400
        assert response.json()["speakers"] == ["Bob"]


def test_an_engine_crash_fails_the_job_keeps_finished_chunks_and_the_worker_serves_on(
    api, espeak_en, run_jobs, monkeypatch
):
    from synthesis import speech

    real = speech.speak_timed
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("engine exploded")
        return real(**kwargs)

    monkeypatch.setattr("synthesis.generation_worker.speak_timed", flaky)
    task_id = api.post(
        "/api/generate/clone-chunked", {"text": THREE_SENTENCES, "voice_id": str(espeak_en.pk)}, format="json"
    ).json()["task_id"]
    run_jobs()
    job = api.get(f"/api/jobs/{task_id}").json()
    assert job["status"] == "failed"
    assert "engine exploded" in job["error"]
    chunks = api.get(f"/api/generations/{task_id}").json()["chunks"]
    assert [c["status"] for c in chunks] == ["done", "failed", "pending"]
    monkeypatch.setattr("synthesis.generation_worker.speak_timed", real)
    again = api.post("/api/generate/preset", {"text": "Still here.", "voice_id": str(espeak_en.pk)}, format="json")
    run_jobs()
    assert api.get(f"/api/jobs/{again.json()['task_id']}").json()["status"] == "succeeded"


def test_text_split_endpoint(api):
    response = api.post(
        "/api/text/split", {"text": "Dr. Smith paid $3.50. Then he left! Всё хорошо.", "max_chars": 100}, format="json"
    )
    assert response.status_code == 200
    chunks = response.json()["chunks"]
    assert [c["text"] for c in chunks] == ["Dr. Smith paid $3.50.", "Then he left!", "Всё хорошо."]
    text = "Dr. Smith paid $3.50. Then he left! Всё хорошо."
    assert all(text[c["start"] : c["end"]].strip() == c["text"] for c in chunks)


def test_emoji_and_invisible_characters_are_left_out_for_every_engine(api, espeak_en, run_jobs):
    text = "Hello 👋🏽 wor\u200bld! 🎉🎉 We\u200d are here."
    for voice in (espeak_en, Voice.objects.get(engine="piper")):
        response = api.post("/api/generate/preset", {"text": text, "voice_id": str(voice.pk)}, format="json")
        assert response.status_code == 202, response.content
        run_jobs()
        generation = Generation.objects.get(job_id=response.json()["task_id"])
        assert generation.job.status == "succeeded"
        assert [c.text for c in generation.chunks.order_by("index")] == ["Hello world!", "We are here."]
