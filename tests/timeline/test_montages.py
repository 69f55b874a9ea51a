"""Montages: CRUD, ownership, and opening one as a timeline."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import issue_key
from tests.timeline.factories import make_generation
from timeline.models import Montage, MontageItem, Timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(outsider):
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=issue_key(outsider).token)
    return client


@pytest.fixture
def generations(owner):
    return [
        make_generation(owner, frames=(24_000,), title="first"),
        make_generation(owner, frames=(12_000, 6_000), title="second"),
    ]


def test_create_list_get_reorder_delete(api, generations):
    first, second = generations
    created = api.post(
        "/api/montages",
        {"title": "Episode 1", "notes": "intro then outro", "generation_ids": [str(second.pk), str(first.pk)]},
        format="json",
    )
    assert created.status_code == 201, created.content
    montage = created.json()
    assert montage["generation_ids"] == [str(second.pk), str(first.pk)]
    assert [g["title"] for g in montage["generations"]] == ["second", "first"]
    assert montage["generations"][0]["status"] == "succeeded"
    assert montage["timeline_id"] is None

    listed = api.get("/api/montages").json()
    assert listed["count"] == 1
    assert listed["results"][0]["generation_count"] == 2

    reordered = api.patch(
        f"/api/montages/{montage['id']}", {"generation_ids": [str(first.pk), str(second.pk)]}, format="json"
    )
    assert reordered.status_code == 200
    assert reordered.json()["generation_ids"] == [str(first.pk), str(second.pk)]
    assert reordered.json()["title"] == "Episode 1"
    assert api.get(f"/api/montages/{montage['id']}").json()["generation_ids"] == [str(first.pk), str(second.pk)]

    assert api.delete(f"/api/montages/{montage['id']}").status_code == 204
    assert api.get(f"/api/montages/{montage['id']}").status_code == 404
    assert not MontageItem.objects.exists()


def test_only_my_generations_and_my_montages(api, other, owner, outsider, generations):
    theirs = make_generation(outsider, title="theirs")
    bad = api.post("/api/montages", {"title": "x", "generation_ids": [str(theirs.pk)]}, format="json")
    assert bad.status_code == 400
    assert bad.json()["error"] == "unknown_generation"
    junk = api.post("/api/montages", {"title": "x", "generation_ids": ["../../etc/passwd"]}, format="json")
    assert junk.status_code == 400
    assert not Montage.objects.exists()

    mine = api.post("/api/montages", {"generation_ids": [str(generations[0].pk)]}, format="json").json()
    assert mine["title"] == "Untitled montage"
    assert other.get(f"/api/montages/{mine['id']}").status_code == 404
    assert other.delete(f"/api/montages/{mine['id']}").status_code == 404
    assert other.post(f"/api/montages/{mine['id']}/timeline", {}, format="json").status_code == 404
    assert other.get("/api/montages").json()["count"] == 0
    assert api.get("/api/montages/not-a-uuid").status_code == 404


def test_open_as_timeline_lays_generations_end_to_end(api, generations):
    first, second = generations
    montage = api.post(
        "/api/montages", {"title": "Both", "generation_ids": [str(first.pk), str(second.pk)]}, format="json"
    ).json()
    opened = api.post(f"/api/montages/{montage['id']}/timeline", {"gap_ms": 500}, format="json")
    assert opened.status_code == 201, opened.content
    layout = opened.json()
    assert (layout["montage_id"], layout["task_id"], layout["title"]) == (montage["id"], None, "Both")
    blocks = layout["tracks"][0]["blocks"]
    # first: 1 s; 0.5 s between generations; second: 0.5 s, its 0.25 s chunk gap, 0.25 s
    assert [b["start"] for b in blocks] == pytest.approx([0.0, 1.5, 2.25])
    assert layout["duration"] == pytest.approx(2.5)

    again = api.post(f"/api/montages/{montage['id']}/timeline", {}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == layout["id"]
    assert api.get(f"/api/montages/{montage['id']}").json()["timeline_id"] == layout["id"]
    assert api.get(f"/api/timeline/{layout['id']}").json()["version"] == 1

    api.patch(f"/api/montages/{montage['id']}", {"generation_ids": [str(second.pk)]}, format="json")
    rebuilt = api.post(f"/api/montages/{montage['id']}/timeline", {"rebuild": True}, format="json").json()
    assert rebuilt["version"] == 2
    assert len(rebuilt["tracks"][0]["blocks"]) == 2

    assert api.delete(f"/api/montages/{montage['id']}").status_code == 204
    assert not Timeline.objects.filter(pk=layout["id"]).exists()
    assert api.get(f"/api/timeline/{layout['id']}").status_code == 404


def test_a_montage_with_an_unfinished_generation_does_not_open(api, owner, generations):
    running = make_generation(owner, ready=False)
    montage = api.post(
        "/api/montages", {"title": "x", "generation_ids": [str(generations[0].pk), str(running.pk)]}, format="json"
    ).json()
    response = api.post(f"/api/montages/{montage['id']}/timeline", {}, format="json")
    assert response.status_code == 409
    assert response.json()["error"] == "generation_not_ready"
    assert not Timeline.objects.exists()
    empty = api.post("/api/montages", {"title": "empty", "generation_ids": []}, format="json").json()
    assert api.post(f"/api/montages/{empty['id']}/timeline", {}, format="json").json()["error"] == "empty_montage"
