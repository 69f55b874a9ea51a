"""Mixing voices: a weighted blend of Kokoro voices becomes an ordinary library voice."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.factories import VoiceFactory, issue_key
from tests.workers import run_all_jobs
from voices.models import Voice

pytestmark = pytest.mark.django_db


def kokoro(voice_id: str) -> Voice:
    return Voice.objects.get(engine="kokoro", kind="preset", engine_voice_id=voice_id)


def mix(api, *parts: tuple[object, float], name: str = "Warm narrator"):
    body = {"name": name, "mix": [{"voice_id": str(getattr(v, "pk", v)), "weight": w} for v, w in parts]}
    return api.post("/api/voices", body, format="json")


def test_a_mix_is_a_new_voice_of_its_owner(api, owner, outsider):
    response = mix(api, (kokoro("jf_alpha"), 0.7), (kokoro("jm_kumo"), 0.3))
    assert response.status_code == 201, response.content
    voice = response.json()
    assert voice["kind"] == "mixed" and voice["engine"] == "kokoro" and voice["technology"] == "neural"
    assert voice["engine_voice_id"] == "jf_alpha*0.7+jm_kumo*0.3"
    assert voice["name"] == "Warm narrator" and voice["gender"] == ""
    both = set(kokoro("jf_alpha").languages) & set(kokoro("jm_kumo").languages)
    assert set(voice["languages"]) == both
    assert Voice.objects.get(pk=voice["id"]).owner == owner
    listed = api.get("/api/voices", {"kind": "mixed"}).json()["results"]
    assert [v["id"] for v in listed] == [voice["id"]]
    # an ordinary voice: edit, favorite, delete; nobody else sees it
    assert api.put(f"/api/voices/{voice['id']}", {"name": "Narrator"}, format="json").status_code == 200
    assert api.post(f"/api/favorites/{voice['id']}").json()["is_favorite"] is True
    stranger = APIClient()
    stranger.credentials(HTTP_X_API_KEY=issue_key(outsider).token)
    assert stranger.get(f"/api/voices/{voice['id']}").status_code == 404
    assert api.delete(f"/api/voices/{voice['id']}").status_code == 204


def test_weights_are_relative_and_mixes_can_be_mixed(api):
    half = mix(api, (kokoro("jf_nezumi"), 2), (kokoro("jf_tebukuro"), 2)).json()
    assert half["engine_voice_id"] == "jf_nezumi*0.5+jf_tebukuro*0.5"
    assert half["gender"] == "female"
    again = mix(api, (half["id"], 1), (kokoro("jf_nezumi"), 1), name="")
    assert again.status_code == 201, again.content
    assert again.json()["engine_voice_id"] == "jf_nezumi*0.75+jf_tebukuro*0.25"
    assert again.json()["name"].startswith("Kokoro")


@pytest.mark.parametrize(
    ("parts", "code"),
    [
        ([(uuid.uuid4(), 1)], "unknown_voice"),
        ([("jf_alpha", 0), ("jm_kumo", 0)], "invalid_mix"),
        ([("jf_alpha", -1), ("jm_kumo", 1)], "invalid"),
        ([("jf_alpha", 1), ("espeak", 1)], "not_mixable"),
        ([("jf_alpha", 1)] * 50, "invalid"),
        ([], "invalid"),
        ([("jf_alpha", "heavy")], "invalid"),
        ([("theirs", 1)], "unknown_voice"),
    ],
)
def test_bad_mixes_are_400_and_make_nothing(api, outsider, parts, code):
    theirs = VoiceFactory(owner=outsider, engine="kokoro", kind="mixed", engine_voice_id="jf_alpha")
    espeak = Voice.objects.filter(engine="espeak", kind="preset").first()
    named = {"espeak": espeak, "theirs": theirs}
    resolved = [(named.get(v) or (kokoro(v) if isinstance(v, str) else v), w) for v, w in parts]
    before = Voice.objects.count()
    response = mix(api, *resolved)
    assert response.status_code == 400, response.content
    assert response.json()["error"] == code, response.json()
    assert response.json()["detail"]
    assert Voice.objects.count() == before


def test_mixing_needs_the_write_scope(owner):
    reader = APIClient()
    reader.credentials(HTTP_X_API_KEY=issue_key(owner, scopes=["voices:read"]).token)
    assert mix(reader, (kokoro("jf_alpha"), 1)).status_code == 403


def test_a_mix_travels_in_a_clonyvoice_file(api, outsider):
    made = mix(api, (kokoro("jf_gongitsune"), 0.6), (kokoro("jm_kumo"), 0.4)).json()
    exported = api.post("/api/voices/export", {"voice_ids": [made["id"]]}, format="json")
    data = b"".join(exported.streaming_content)
    other = APIClient()
    other.credentials(HTTP_X_API_KEY=issue_key(outsider).token)
    upload = SimpleUploadedFile("voices.clonyvoice", data, content_type="application/zip")
    assert other.post("/api/voices/import", {"file": upload}, format="multipart").status_code == 201
    imported = Voice.objects.get(owner=outsider, kind="mixed")
    assert imported.engine_voice_id == made["engine_voice_id"] and imported.languages == made["languages"]


@pytest.mark.django_db(transaction=True)
def test_a_mix_speaks_through_the_worker(api, broker):
    made = mix(api, (kokoro("jf_alpha"), 0.5), (kokoro("jm_kumo"), 0.5)).json()
    response = api.post("/api/generate/preset", {"text": "A blended voice.", "voice_id": made["id"]}, format="json")
    assert response.status_code == 202, response.content
    run_all_jobs(broker)
    job = api.get(f"/api/jobs/{response.json()['task_id']}").json()
    assert job["status"] == "succeeded", job
    assert api.get(job["result"]["audio_url"]).status_code == 200
