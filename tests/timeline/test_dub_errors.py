"""Dub bad input through the API: each a clear 4xx/503 before any job, or a job that leaves nothing behind."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from clonyvoice.models import Job, MediaFile
from synthesis.models import Generation, Take
from tests.factories import issue_key
from tests.timeline.dub_clips import silent_clip, spanish_voice, talking_clip, upload
from tests.workers import run_all_jobs
from timeline.models import Dub, Timeline, TimelineRender
from voices.models import Voice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return talking_clip(tmp_path_factory.mktemp("dub-errors"))


@pytest.fixture(autouse=True)
def _no_media_files():
    """The database is emptied between tests, the media folder is not: a dub that finished in another test module
    leaves its source there."""
    shutil.rmtree(Path(django_settings.MEDIA_ROOT) / "files", ignore_errors=True)


def media_files() -> list[Path]:
    return [p for p in (Path(django_settings.MEDIA_ROOT) / "files").rglob("*") if p.is_file()]


def assert_nothing_made() -> None:
    assert not Job.objects.filter(kind="dub").exists()
    assert not MediaFile.objects.exists()
    assert not media_files()
    assert not any((Path(django_settings.DATA_DIR) / "tmp").glob("tmp*"))


def test_exactly_one_source(client, clip):
    none = client.post("/api/dub", {"target_language": "es"}, format="json")
    assert none.status_code == 400 and none.json()["error"] == "invalid_source"
    two = client.post(
        "/api/dub", {"file": upload(clip), "url": "https://example.com/v", "target_language": "es"}, format="multipart"
    )
    assert two.status_code == 400 and two.json()["error"] == "invalid_source"
    assert_nothing_made()


@pytest.mark.parametrize("fields", [{}, {"target_language": "e s!"}, {"target_language": "es", "source_language": "?"}])
def test_languages_must_be_tags(client, clip, fields):
    response = client.post("/api/dub", {"file": upload(clip), **fields}, format="multipart")
    assert response.status_code == 400 and response.json()["error"] == "invalid_language", response.content
    assert_nothing_made()


def test_a_pair_without_a_translation_model_is_503_with_the_hint_and_no_job(client, clip):
    response = client.post(
        "/api/dub",
        {"file": upload(clip), "source_language": "en", "target_language": "ru", "voice_id": ""},
        format="multipart",
    )
    assert response.status_code == 503, response.content
    body = response.json()
    assert body["error"] == "model_not_installed" and "opus-mt-en-ru" in body["install"]
    assert_nothing_made()


def test_a_source_without_speech_is_no_speech(client, tmp_path):
    response = client.post(
        "/api/dub", {"file": upload(silent_clip(tmp_path)), "target_language": "es"}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["error"] == "no_speech", response.content
    assert_nothing_made()


def test_over_the_caps(client, clip, tmp_path, settings):
    long = tmp_path / "long.mp3"  # 31 minutes of quiet audio, small enough to upload
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "anoisesrc=r=8000:a=0.01:d=1860", "-b:a", "8k", str(long)],
        check=True,
    )
    too_long = client.post("/api/dub", {"file": upload(long), "target_language": "es"}, format="multipart")
    assert too_long.status_code == 400 and too_long.json()["error"] == "too_long", too_long.content
    settings.CLONYVOICE_MAX_UPLOAD_BYTES = 10_000
    too_big = client.post("/api/dub", {"file": upload(clip), "target_language": "es"}, format="multipart")
    assert too_big.status_code == 413 and too_big.json()["error"] == "too_large"
    assert_nothing_made()


@pytest.mark.parametrize("url", ["http://127.0.0.1/video", "file:///etc/passwd", "http://10.0.0.7/watch?v=1"])
def test_a_url_refused_by_the_download_guards(client, url):
    response = client.post("/api/dub", {"url": url, "target_language": "es"}, format="json")
    assert response.status_code == 400 and response.json()["error"] == "url_refused", response.content
    assert_nothing_made()


def test_a_key_needs_both_scopes_and_another_owner_sees_nothing(owner, outsider, clip, broker, client):
    for scopes in (["tts:generate"], ["audio:process"]):
        key = issue_key(owner, scopes=scopes)
        one = APIClient()
        one.credentials(HTTP_X_API_KEY=key.token)
        response = one.post("/api/dub", {"file": upload(clip), "target_language": "es"}, format="multipart")
        assert response.status_code == 403 and response.json()["error"] == "missing_scope", scopes
    both = APIClient()
    both.credentials(HTTP_X_API_KEY=issue_key(owner, scopes=["tts:generate", "audio:process"]).token)
    accepted = both.post(
        "/api/dub",
        {"file": upload(clip), "target_language": "es", "voice_id": str(spanish_voice().pk)},
        format="multipart",
    )
    assert accepted.status_code == 202, accepted.content
    stranger = APIClient()
    stranger.force_login(outsider)
    assert stranger.get(f"/api/dub/{accepted.json()['job_id']}").status_code == 404
    job_id = accepted.json()["job_id"]
    assert stranger.post("/api/job/cancel", {"task_id": job_id}, format="json").status_code == 404
    # The owner cancels it before it starts: the upload it kept goes when the worker picks the job up.
    assert client.post("/api/job/cancel", {"task_id": job_id}, format="json").json()["status"] == "cancelled"
    run_all_jobs(broker)
    assert not MediaFile.objects.exists() and not media_files()


def test_cancel_mid_dub_leaves_nothing(client, broker, clip, monkeypatch):
    from timeline.dubbing import worker

    real = worker.speak_fitted

    def fit_then_cancel(**kwargs):
        Job.objects.filter(kind="dub").update(cancel_requested=True)
        return real(**kwargs)

    monkeypatch.setattr(worker, "speak_fitted", fit_then_cancel)
    response = client.post(
        "/api/dub",
        {"file": upload(clip), "target_language": "es", "voice_id": str(spanish_voice().pk)},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    run_all_jobs(broker)
    job_id = response.json()["job_id"]
    job = Job.objects.get(pk=job_id)
    assert job.status == Job.Status.CANCELLED
    dub = client.get(f"/api/dub/{job_id}").json()
    assert dub["status"] == "cancelled" and dub["render"] is None and dub["subtitles"] is None
    assert Dub.objects.get(pk=job_id).stage == "fit"
    assert not Generation.objects.exists() and not Take.objects.exists()
    assert not Timeline.objects.exists() and not TimelineRender.objects.exists()
    assert not MediaFile.objects.exists() and not media_files()
    assert not Voice.objects.exclude(kind=Voice.Kind.PRESET).exists()
    assert not (Path(django_settings.MEDIA_ROOT) / "generations" / job_id).exists()
