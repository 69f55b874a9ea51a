"""Projects through the API: a generation's name (given, defaulted, renamed), downloads named after it, the
text limit the Studio shows, and what "Automatic (best voice)" picks when an own clone is made by eSpeak."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from rest_framework.test import APIClient

from synthesis.services import MAX_TEXT_CHARS
from tests.factories import VoiceFactory, issue_key
from tests.workers import run_all_jobs
from voices.models import Voice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def espeak_en(db) -> Voice:
    return next(v for v in Voice.objects.filter(engine="espeak", kind="preset") if "en-us" in v.languages)


@pytest.fixture
def espeak_clone(owner, espeak_en) -> Voice:
    """An own clone made by voice matching on an eSpeak base: it sounds like eSpeak."""
    return VoiceFactory(
        owner=owner,
        name="AAA my espeak clone",
        kind="cloned",
        engine="matching",
        technology="",
        languages=["en-us", "en"],
        profile={"base": {"engine": "espeak", "voice_id": espeak_en.engine_voice_id}, "transform": {}},
    )


def _generate(api, voice: Voice, **extra) -> str:
    response = api.post(
        "/api/generate/clone-chunked",
        {"text": "The first chapter begins here. It is short.", "voice_id": str(voice.pk), **extra},
        format="json",
    )
    assert response.status_code == 202, response.content
    return response.json()["task_id"]


def test_a_generation_is_named_by_the_user_or_by_its_first_words(api, espeak_en, broker):
    named = _generate(api, espeak_en, title="  Bedtime stories, part 1 ")
    unnamed = _generate(api, espeak_en)
    assert api.get(f"/api/generations/{named}").json()["title"] == "Bedtime stories, part 1"
    assert api.get(f"/api/generations/{unnamed}").json()["title"] == "The first chapter begins here. It is short."
    listed = {g["id"]: g["title"] for g in api.get("/api/generations").json()["results"]}
    assert listed[named] == "Bedtime stories, part 1"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "The old lighthouse stood at the edge of the harbour for more than a century. Every evening the keeper "
            "climbed the narrow stairs.",
            "The old lighthouse stood at the edge of the harbour for more than a century.",
        ),
        ("word " * 40, ("word " * 15).strip() + "…"),
    ],
    ids=["whole-sentence", "first-words"],
)
def test_a_long_text_is_titled_by_whole_sentences_or_its_first_words(api, espeak_en, broker, text, title):
    response = api.post("/api/generate/clone-chunked", {"text": text, "voice_id": str(espeak_en.pk)}, format="json")
    assert response.status_code == 202, response.content
    assert api.get(f"/api/generations/{response.json()['task_id']}").json()["title"] == title


def test_rename_is_the_owners_and_never_blank(api, espeak_en, outsider, broker):
    task_id = _generate(api, espeak_en)
    renamed = api.patch(f"/api/generations/{task_id}", {"title": "Глава 1"}, format="json")
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["title"] == "Глава 1"
    blank = api.patch(f"/api/generations/{task_id}", {"title": "   "}, format="json")
    assert blank.status_code == 400
    assert blank.json()["error"]
    other = APIClient()
    other.credentials(HTTP_X_API_KEY=issue_key(outsider).token)
    assert other.patch(f"/api/generations/{task_id}", {"title": "Mine"}, format="json").status_code == 404
    assert api.get(f"/api/generations/{task_id}").json()["title"] == "Глава 1"


def test_downloads_are_named_after_the_project(api, espeak_en, broker):
    english = _generate(api, espeak_en, title="My Audiobook: Part 1", format="mp3")
    russian = _generate(api, espeak_en, title="Глава 1: Начало")
    run_all_jobs(broker)
    for task_id in (english, russian):
        merged = api.post("/api/generate/merge-chunks", {"task_id": task_id, "format": "mp3"}, format="json")
        assert merged.status_code == 202, merged.content
    run_all_jobs(broker)

    answer = api.get(f"/api/generations/{english}/audio", {"download": "1"})
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith('attachment; filename="my-audiobook-part-1.mp3"')
    assert "filename*=UTF-8''my-audiobook-part-1.mp3" in answer["Content-Disposition"]

    answer = api.get(f"/api/generations/{russian}/audio", {"download": "1"})
    disposition = answer["Content-Disposition"]
    # Old clients get an ASCII name; RFC 5987 carries the real one.
    assert f'filename="clonyvoice-{russian[:8]}.mp3"' in disposition
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "глава-1-начало.mp3"
    assert disposition.isascii()

    inline = api.get(f"/api/generations/{english}/audio")
    assert inline["Content-Disposition"].startswith("inline;")


def test_the_text_limit_is_published_and_enforced(api, espeak_en, broker):
    limits = api.get("/api/text/limits")
    assert limits.status_code == 200
    assert limits.json()["text_chars"] == MAX_TEXT_CHARS == 20_000
    too_long = api.post(
        "/api/generate/clone-chunked",
        {"text": "word " * (MAX_TEXT_CHARS // 5 + 1), "voice_id": str(espeak_en.pk)},
        format="json",
    )
    assert too_long.status_code == 413
    assert too_long.json()["error"] == "text_too_long"


def test_automatic_ranks_an_espeak_made_clone_below_neural_presets(api, espeak_clone):
    ranking = api.get("/api/voices", {"language": "en", "page_size": 500}).json()["results"]
    ids = [voice["id"] for voice in ranking]
    assert ranking[0]["technology"] == "neural", ranking[0]
    assert ranking[0]["kind"] == "preset"
    neural = [n for n, voice in enumerate(ranking) if voice["technology"] == "neural"]
    assert ids.index(str(espeak_clone.pk)) > max(neural)


def test_a_neural_own_clone_still_comes_first(api, owner, espeak_clone):
    kokoro_clone = VoiceFactory(
        owner=owner, name="ZZZ kokoro clone", kind="cloned", engine="kokoro", technology="neural", languages=["en-us"]
    )
    ranking = api.get("/api/voices", {"language": "en", "page_size": 500}).json()["results"]
    assert ranking[0]["id"] == str(kokoro_clone.pk)


def test_multilang_automatic_does_not_pick_the_espeak_clone(api, espeak_clone, broker):
    response = api.post(
        "/api/generate/clone-chunked-multilang", {"text": "This is plain English text for the test."}, format="json"
    )
    assert response.status_code == 202, response.content
    chunk = api.get(f"/api/generations/{response.json()['task_id']}").json()["chunks"][0]
    picked = Voice.objects.get(pk=chunk["voice_id"])
    assert picked.pk != espeak_clone.pk
    assert picked.technology == "neural"
