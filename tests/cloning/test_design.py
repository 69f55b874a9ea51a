"""Voice design: the description parser, bad input, and design → candidates → keep one → generate, through the API
and a real worker; nothing of a design that is discarded, cancelled, failed or abandoned stays."""

from __future__ import annotations

import errno

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from cloning.design import worker
from cloning.design.description import parse_description
from clonyvoice.models import Job
from clonyvoice.paths import media_path
from synthesis.engines.matching.design import transform_for
from tests.cloning.test_clone import assert_nothing_left
from tests.workers import run_all_jobs
from voices.models import Voice, VoiceSample


def test_parse_english_description():
    params = parse_description("A warm, low-pitched older man, slow and calm, with a British accent")
    assert (params.gender, params.age, params.accent) == ("male", "old", "en-gb")
    assert params.pitch < 0 and params.pace < 0 and params.warmth > 0
    assert params.ignored == []


def test_parse_russian_description_and_report_unknown_words():
    params = parse_description("Очень быстрый высокий женский голос, хриплый, фиолетовый")
    assert params.gender == "female"
    assert params.pace > 1 and params.pitch > 0 and params.breathiness > 0
    assert params.ignored == ["фиолетовый"]


def test_unknown_words_are_reported_once_in_order():
    params = parse_description("bright girl, zorgle blorp zorgle")
    assert params.gender == "female" and params.warmth < 0
    assert params.ignored == ["zorgle", "blorp"]


def test_transform_is_deterministic_for_a_seed():
    params = parse_description("deep male voice")
    one = transform_for(params, base_gender="female", base_f0=(5.3, 0.15), seed=7)
    assert one == transform_for(params, base_gender="female", base_f0=(5.3, 0.15), seed=7)
    assert one != transform_for(params, base_gender="female", base_f0=(5.3, 0.15), seed=8)
    assert one["warp"] < 1  # a female base made male: formants go down


@pytest.fixture
def run_jobs(broker):
    return lambda: run_all_jobs(broker)


@pytest.fixture
def client(owner) -> APIClient:
    session = APIClient()
    session.force_login(owner)
    return session


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("description", ["", "   "])
def test_empty_description_is_refused(client, description):
    response = client.post("/api/design/create", {"description": description}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "empty_description"
    assert_nothing_left()


def _design(client, description: str, **fields) -> dict:
    response = client.post("/api/design/create", {"description": description, **fields}, format="json")
    assert response.status_code == 202, response.content
    return response.json()


def _table(voice_id: str) -> bytes:
    return (media_path("voices", voice_id) / "kokoro_style.npy").read_bytes()


def _own_voices(client) -> list[dict]:
    return [v for v in client.get("/api/voices", {"page_size": 500}).json()["results"] if v["kind"] != "preset"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"description": "young woman", "candidates": 0}, "invalid"),
        ({"description": "young woman", "candidates": 4}, "invalid"),
        ({"description": "young woman", "seed": -1}, "invalid"),
        ({"description": "young woman", "gender": "robot"}, "invalid"),
        ({"description": "x" * 2001}, "invalid"),
    ],
)
def test_bad_design_requests_are_refused(client, body, code):
    response = client.post("/api/design/create", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == code
    assert_nothing_left()


@pytest.mark.django_db(transaction=True)
def test_three_candidates_then_keep_one_that_speaks_spanish_too(client, run_jobs):
    started = _design(client, "a warm, low-pitched older man, slow and calm, shimmering", seed=42, language="en")
    assert started["ignored"] == ["shimmering"] and "warm" in started["recognized"]
    assert started["seed"] == 42 and len(started["candidates"]) == 3
    early = client.post("/api/design/keep", {"task_id": started["task_id"], "index": 0}, format="json")
    assert early.status_code == 409 and early.json()["error"] == "not_ready"
    run_jobs()

    job = client.get(f"/api/jobs/{started['task_id']}").json()
    assert job["status"] == "succeeded", job
    assert job["message"] == "ignored: shimmering"
    candidates = job["result"]["candidates"]
    assert [c["index"] for c in candidates] == [0, 1, 2]
    assert [c["seed"] for c in candidates] == [42, 43, 44]
    assert [c["voice_id"] for c in candidates] == started["candidates"]
    assert all(c["engine"] == "kokoro" and c["method"] == "kokoro-design" for c in candidates)
    tables = {_table(c["voice_id"]) for c in candidates}
    assert len(tables) == 3  # three different voices
    for candidate in candidates:
        preview = client.get(candidate["preview_url"])
        assert preview.status_code == 200 and preview["Content-Type"].startswith("audio/")
        assert candidate["duration"] > 3
        assert candidate["similarity"] is None  # a designed voice has no speaker to be similar to
    assert _own_voices(client) == []  # none is in the Library before one is kept

    kept = client.post(
        "/api/design/keep", {"task_id": started["task_id"], "index": 1, "name": "Lighthouse keeper"}, format="json"
    )
    assert kept.status_code == 200, kept.content
    voice = kept.json()
    assert voice["id"] == candidates[1]["voice_id"] and voice["name"] == "Lighthouse keeper"
    assert voice["is_available"] and voice["kind"] == "designed" and voice["engine"] == "kokoro"
    assert voice["gender"] == "male" and voice["age"] == "old"
    assert {"en", "es", "ru"} <= {tag.split("-")[0] for tag in voice["languages"]}
    assert [v["id"] for v in _own_voices(client)] == [voice["id"]]
    for other in (candidates[0], candidates[2]):
        assert not Voice.objects.filter(pk=other["voice_id"]).exists()
        assert not media_path("voices", other["voice_id"]).exists()
    stored = Voice.objects.get(pk=voice["id"])
    assert stored.profile["design"]["pace"] < 0 and stored.profile["design"]["ignored"] == ["shimmering"]
    assert "design_candidate" not in stored.profile
    assert VoiceSample.objects.get(voice=stored).duration > 3
    again = client.post("/api/design/keep", {"task_id": started["task_id"], "index": 0}, format="json")
    assert again.status_code == 409 and again.json()["error"] == "already_kept"

    spoken = client.post(
        "/api/generate/clone-chunked",
        {"text": "Buenas noches. ¿Empezamos?", "voice_id": voice["id"], "language": "es"},
        format="json",
    )
    assert spoken.status_code == 202, spoken.content
    run_jobs()
    assert Job.objects.get(pk=spoken.json()["task_id"]).status == Job.Status.SUCCEEDED

    # The designed voice travels in a .clonyvoice file with its own style table.
    exported = client.post("/api/voices/export", {"voice_ids": [voice["id"]]}, format="json")
    assert exported.status_code == 200, exported.content
    archive = SimpleUploadedFile("designed.clonyvoice", b"".join(exported.streaming_content))
    imported = client.post("/api/voices/import", {"file": archive, "conflict": "rename"}, format="multipart")
    assert imported.status_code == 201, imported.content
    [copy] = imported.json()["created"]
    assert _table(copy["id"]) == _table(voice["id"])

    # The next design does not touch a kept voice.
    _design(client, "young woman", candidates=1)
    assert Voice.objects.filter(pk=voice["id"], is_available=True).exists()


@pytest.mark.django_db(transaction=True)
def test_same_description_and_seed_same_table_and_an_abandoned_design_is_swept(client, run_jobs):
    description = "a high-pitched young woman, breathy and fast"
    first = _design(client, description, seed=7, candidates=1)
    run_jobs()
    [first_voice] = first["candidates"]
    table = _table(first_voice)
    design = Voice.objects.get(pk=first_voice).profile["design"]
    assert design["gender"] == "female" and design["asked"]["pitch"] > 0

    # Leaving it unkept and designing again: the first candidate goes, with its files.
    second = _design(client, description, seed=7, candidates=1)
    assert not Voice.objects.filter(pk=first_voice).exists()
    assert not media_path("voices", first_voice).exists()
    run_jobs()
    assert _table(second["candidates"][0]) == table  # same description and seed: the same table, bit for bit

    third = _design(client, description, seed=8, candidates=1)
    run_jobs()
    assert _table(third["candidates"][0]) != table


@pytest.mark.django_db(transaction=True)
def test_discard_all_leaves_nothing(client, run_jobs):
    started = _design(client, "a deep older man", seed=3, candidates=2)
    run_jobs()
    answer = client.post("/api/design/discard", {"task_id": started["task_id"]}, format="json")
    assert answer.status_code == 200
    assert answer.json() == {"task_id": started["task_id"], "status": "succeeded", "discarded": 2}
    # The job did succeed; what it made is gone.
    assert not Voice.objects.exclude(kind=Voice.Kind.PRESET).exists() and not VoiceSample.objects.exists()
    assert not any(media_path("voices").rglob("*")) and not any(media_path("previews").glob("*"))
    gone = client.post("/api/design/keep", {"task_id": started["task_id"], "index": 0}, format="json")
    assert gone.status_code == 404 and gone.json()["error"] == "no_candidate"


@pytest.mark.django_db(transaction=True)
def test_cancel_a_pending_design(client, broker):
    response = _design(client, "young woman")
    cancelled = client.post("/api/design/cancel", {"task_id": response["task_id"]}, format="json")
    assert cancelled.json()["status"] == "cancelled"
    assert_nothing_left()


@pytest.mark.django_db(transaction=True)
def test_cancel_while_running_leaves_nothing(client, run_jobs, monkeypatch):
    real = worker.write_wav

    def write_then_cancel(*args, **kwargs):
        Job.objects.filter(kind="design.create").update(cancel_requested=True)
        return real(*args, **kwargs)

    monkeypatch.setattr(worker, "write_wav", write_then_cancel)
    started = _design(client, "a bright young woman", candidates=2)
    run_jobs()
    assert Job.objects.get(pk=started["task_id"]).status == Job.Status.CANCELLED
    assert_nothing_left()


@pytest.mark.django_db(transaction=True)
def test_a_failed_design_leaves_nothing(client, run_jobs, monkeypatch):
    real, calls = worker.write_wav, []

    def disk_full_on_the_second_candidate(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:  # the first candidate's sample and preview went through
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(worker, "write_wav", disk_full_on_the_second_candidate)
    started = _design(client, "a calm man", candidates=2)
    run_jobs()
    job = Job.objects.get(pk=started["task_id"])
    assert job.status == Job.Status.FAILED and "disk is full" in job.error
    assert_nothing_left()


@pytest.mark.django_db(transaction=True)
def test_keep_needs_one_choice_and_an_own_design(client, run_jobs, outsider):
    started = _design(client, "a calm man", candidates=1)
    run_jobs()
    both = client.post(
        "/api/design/keep",
        {"task_id": started["task_id"], "index": 0, "voice_id": started["candidates"][0]},
        format="json",
    )
    assert both.status_code == 400 and both.json()["error"] == "invalid"
    neither = client.post("/api/design/keep", {"task_id": started["task_id"]}, format="json")
    assert neither.status_code == 400
    beyond = client.post("/api/design/keep", {"task_id": started["task_id"], "index": 2}, format="json")
    assert beyond.status_code == 400 and beyond.json()["error"] == "bad_candidate"
    stranger = APIClient()
    stranger.force_login(outsider)
    foreign = stranger.post("/api/design/keep", {"task_id": started["task_id"], "index": 0}, format="json")
    assert foreign.status_code == 404
    assert stranger.post("/api/design/discard", {"task_id": started["task_id"]}, format="json").status_code == 404
    assert Voice.objects.filter(pk=started["candidates"][0]).exists()


@pytest.mark.django_db(transaction=True)
def test_a_language_kokoro_does_not_speak_is_designed_by_voice_matching(client, run_jobs):
    started = _design(client, "a calm older man", language="de", seed=5, candidates=1)
    run_jobs()
    job = client.get(f"/api/jobs/{started['task_id']}").json()
    assert job["status"] == "succeeded", job
    [candidate] = job["result"]["candidates"]
    assert candidate["engine"] == "matching" and candidate["similarity"] is not None
    assert client.get(candidate["preview_url"]).status_code == 200
    kept = client.post("/api/design/keep", {"task_id": started["task_id"], "index": 0}, format="json").json()
    assert kept["is_available"] and "de" in {tag.split("-")[0] for tag in kept["languages"]}


@pytest.mark.django_db(transaction=True)
def test_a_russian_description_designs_a_kokoro_voice_in_russian(client, run_jobs):
    started = _design(client, "спокойный низкий мужской голос", seed=11, candidates=1)
    assert started["ignored"] == []
    run_jobs()
    [candidate] = client.get(f"/api/jobs/{started['task_id']}").json()["result"]["candidates"]
    assert candidate["engine"] == "kokoro"
    design = Voice.objects.get(pk=candidate["voice_id"]).profile["design"]
    assert design["gender"] == "male" and design["start"] == "jm_kumo" and design["asked"]["pitch"] < 0
    assert VoiceSample.objects.get(voice_id=candidate["voice_id"]).transcript_language == "ru"
