"""Voice design: the description parser, bad input, and design → voice → generate through the worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from rest_framework.test import APIClient

from cloning.design.description import parse_description
from clonyvoice.models import Job
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


@pytest.mark.django_db(transaction=True)
def test_design_then_generate_and_same_seed_same_voice(client, run_jobs):
    def design() -> dict:
        response = client.post(
            "/api/design/create",
            {"description": "a warm, low-pitched older man, slow and calm, shimmering", "seed": 42, "language": "en"},
            format="json",
        )
        assert response.status_code == 202, response.content
        assert response.json()["ignored"] == ["shimmering"]
        return response.json()

    first = design()
    run_jobs()
    job = client.get(f"/api/jobs/{first['task_id']}").json()
    assert job["status"] == "succeeded", job
    assert job["result"]["ignored"] == ["shimmering"]
    assert job["message"] == "ignored: shimmering"
    voice = client.get(f"/api/voices/{first['voice_id']}").json()
    assert voice["kind"] == "designed" and voice["gender"] == "male" and voice["age"] == "old"
    assert voice["similarity"] is not None and voice["preview_url"]
    stored = Voice.objects.get(pk=first["voice_id"])
    assert stored.profile["design"]["ignored"] == ["shimmering"]
    assert stored.profile["design"]["pace"] < 0
    reference = VoiceSample.objects.get(voice=stored)
    assert reference.duration > 3 and reference.transcript

    generated = client.post(
        "/api/generate/clone-chunked",
        {"text": "Good evening. Shall we begin?", "voice_id": first["voice_id"]},
        format="json",
    )
    assert generated.status_code == 202, generated.content

    second = design()
    run_jobs()
    assert Job.objects.get(pk=generated.json()["task_id"]).status == Job.Status.SUCCEEDED
    assert Job.objects.get(pk=second["task_id"]).status == Job.Status.SUCCEEDED
    again = VoiceSample.objects.get(voice_id=second["voice_id"])
    assert Path(again.cleaned.path).read_bytes() == Path(reference.cleaned.path).read_bytes()


@pytest.mark.django_db(transaction=True)
def test_cancel_a_pending_design(client, broker):
    response = client.post("/api/design/create", {"description": "young woman"}, format="json")
    cancelled = client.post("/api/design/cancel", {"task_id": response.json()["task_id"]}, format="json")
    assert cancelled.json()["status"] == "cancelled"
    assert not Voice.objects.filter(pk=response.json()["voice_id"]).exists()
