"""The voice library through the API: presets from the engines, own voices, categories, favorites."""

from __future__ import annotations

import pytest

from tests.factories import CategoryFactory, VoiceFactory
from voices.models import Voice
from voices.services import presets_sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(owner):
    return VoiceFactory(owner=owner, name="Narrator", tags=["calm"])


@pytest.fixture
def theirs(outsider):
    return VoiceFactory(owner=outsider, name="Secret")


def test_presets_come_from_the_installed_engines(api):
    body = api.get("/api/voices", {"kind": "preset", "page_size": 500}).json()
    assert body["count"] > 50
    engines = {v["engine"] for v in body["results"]}
    assert {"espeak", "piper", "festival"} <= engines
    russian = api.get("/api/voices", {"language": "ru", "kind": "preset"}).json()["results"]
    assert russian and all(any(tag.startswith("ru") for tag in v["languages"]) for v in russian)


def test_preset_sync_is_idempotent(db):
    before = Voice.objects.filter(kind="preset").count()
    result = presets_sync()
    assert result["created"] == 0
    assert Voice.objects.filter(kind="preset").count() == before


def test_filters_and_search(api, mine, theirs):
    names = [v["name"] for v in api.get("/api/voices", {"q": "narr"}).json()["results"]]
    assert names == ["Narrator"]
    designed = api.get("/api/voices", {"kind": "designed"}).json()["results"]
    assert [v["id"] for v in designed] == [str(mine.pk)]
    page = api.get("/api/voices", {"page": 2, "page_size": 5}).json()
    assert page["page"] == 2 and len(page["results"]) == 5


def test_another_owners_voice_is_404_everywhere(api, theirs):
    for method, url in [
        ("get", f"/api/voices/{theirs.pk}"),
        ("put", f"/api/voices/{theirs.pk}"),
        ("delete", f"/api/voices/{theirs.pk}"),
        ("post", f"/api/favorites/{theirs.pk}"),
    ]:
        response = getattr(api, method)(url, {"name": "x"}, format="json")
        assert response.status_code == 404, (method, url)
        assert response.json()["error"] == "not_found"
    assert api.get("/api/voices/not-a-uuid").status_code == 404
    assert Voice.objects.filter(pk=theirs.pk, name="Secret").exists()


def test_update_own_voice(api, owner, mine):
    category = CategoryFactory(owner=owner, name="Audiobooks")
    response = api.put(
        f"/api/voices/{mine.pk}",
        {"name": "Calm narrator", "category": category.pk, "languages": ["EN-GB"], "default_speed": 1.2},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Calm narrator"
    assert body["category"]["name"] == "Audiobooks"
    assert body["languages"] == ["en-gb"]
    assert body["default_speed"] == 1.2


@pytest.mark.parametrize("payload", [{"default_speed": 3}, {"default_pitch": -20}, {"category": 999999}])
def test_invalid_update_is_400(api, mine, payload):
    response = api.put(f"/api/voices/{mine.pk}", payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]


def test_presets_cannot_be_deleted_or_edited(api):
    preset = Voice.objects.filter(kind="preset").first()
    deleted = api.delete(f"/api/voices/{preset.pk}")
    assert deleted.status_code == 409
    assert deleted.json()["error"] == "preset_voice"
    assert api.put(f"/api/voices/{preset.pk}", {"name": "x"}, format="json").status_code == 409
    assert Voice.objects.filter(pk=preset.pk).exists()


def test_delete_own_voice(api, mine):
    assert api.delete(f"/api/voices/{mine.pk}").status_code == 204
    assert not Voice.objects.filter(pk=mine.pk).exists()


def test_categories(api, owner, outsider):
    theirs = CategoryFactory(owner=outsider, name="Theirs")
    created = api.post("/api/categories", {"name": "Podcasts"}, format="json")
    assert created.status_code == 201
    assert api.post("/api/categories", {"name": "Podcasts"}, format="json").status_code == 409
    assert [c["name"] for c in api.get("/api/categories").json()] == ["Podcasts"]
    assert api.delete("/api/categories", {"id": theirs.pk}, format="json").status_code == 404
    assert api.delete(f"/api/categories?id={created.json()['id']}").status_code == 204
    assert api.get("/api/categories").json() == []


def test_favorites_toggle(api, mine):
    preset = Voice.objects.filter(kind="preset").first()
    assert api.post(f"/api/favorites/{preset.pk}").json() == {"voice_id": str(preset.pk), "is_favorite": True}
    assert api.post(f"/api/favorites/{mine.pk}").json()["is_favorite"] is True
    assert {v["id"] for v in api.get("/api/favorites").json()} == {str(preset.pk), str(mine.pk)}
    assert api.post(f"/api/favorites/{preset.pk}").json()["is_favorite"] is False
    assert [v["id"] for v in api.get("/api/favorites").json()] == [str(mine.pk)]
    assert api.get(f"/api/voices/{mine.pk}").json()["is_favorite"] is True
