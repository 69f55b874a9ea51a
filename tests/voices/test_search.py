"""Library search (`?search=`): what a card shows finds the voice — tags, gender, description, languages by code
and by name in English, Russian or natively — and never another owner's voice."""

from __future__ import annotations

import pytest

from tests.factories import VoiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def narrator(owner):
    return VoiceFactory(
        owner=owner,
        name="Narrator",
        description="A calm storyteller for bedtime",
        tags=["robotic", "warm"],
        gender="male",
        languages=["en-gb-x-rp", "en"],
    )


@pytest.fixture
def reader(owner):
    return VoiceFactory(owner=owner, name="Reader", tags=["bright"], gender="female", languages=["ru"])


@pytest.fixture
def secret(outsider):
    return VoiceFactory(owner=outsider, name="Secret", tags=["robotic"], languages=["ru"])


def _own(api, search: str) -> set[str]:
    body = api.get("/api/voices", {"search": search, "kind": "designed", "page_size": 500})
    assert body.status_code == 200, body.content
    return {voice["name"] for voice in body.json()["results"]}


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("robotic", {"Narrator"}),
        ("WARM", {"Narrator"}),
        ("female", {"Reader"}),
        ("male", {"Narrator"}),
        ("storyteller", {"Narrator"}),
        ("russian", {"Reader"}),
        ("Русский", {"Reader"}),
        ("русск", {"Reader"}),
        ("English", {"Narrator"}),
        ("английский", {"Narrator"}),
        ("British", {"Narrator"}),
        ("en-gb", {"Narrator"}),
        ("ru", {"Reader"}),
        ("мужской", {"Narrator"}),  # the words the Russian UI shows on the cards
        ("Женщина", {"Reader"}),
        ("роботиз", {"Narrator"}),
        ("nothing like this", set()),
    ],
)
def test_search_finds_what_the_cards_show(api, narrator, reader, secret, search, found):
    assert _own(api, search) == found


def test_q_is_the_same_search(api, narrator, reader):
    names = {v["name"] for v in api.get("/api/voices", {"q": "русский", "kind": "designed"}).json()["results"]}
    assert names == {"Reader"}


def test_search_reaches_presets_by_language_name(api):
    results = api.get("/api/voices", {"search": "русский", "kind": "preset", "page_size": 500}).json()["results"]
    assert results
    assert all(any(tag == "ru" or tag.startswith("ru-") for tag in v["languages"]) for v in results)


def test_search_is_bounded(api):
    response = api.get("/api/voices", {"search": "x" * 101})
    assert response.status_code == 400
    assert response.json()["error"]
