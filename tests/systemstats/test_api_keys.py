"""The API-key endpoints: create (shown once), list, revoke, delete, and no escalation."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from clonyvoice import scopes
from clonyvoice.models import ApiKey
from tests.factories import issue_key

pytestmark = pytest.mark.django_db


def _client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=token)
    return client


def test_create_shows_the_key_once_and_it_works(api):
    response = api.post("/api/api-keys", {"name": "script", "scopes": ["system:read"]}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["key"].startswith(f"cv_{body['key_id']}_")
    assert body["scopes"] == ["system:read"]
    assert body["limits"] == {"system:read": 60}
    stored = ApiKey.objects.get(key_id=body["key_id"])
    assert body["key"].split("_", 2)[2] not in stored.secret_hash
    listed = api.get("/api/api-keys").json()
    assert all("key" not in row for row in listed)
    assert _client(body["key"]).get("/api/system/stats").status_code == 200


def test_defaults_are_all_scopes_with_the_contract_limits(api):
    body = api.post("/api/api-keys", {"name": "all"}, format="json").json()
    assert body["scopes"] == list(scopes.ALL_SCOPES)
    assert body["limits"] == {
        "tts:generate": 10,
        "tts:timeline": 30,
        "voices:read": 60,
        "voices:write": 20,
        "clone:create": 2,
        "audio:process": 5,
        "system:read": 60,
        "ws:connect": 5,
    }


def test_a_key_cannot_grant_more_scopes_than_it_has(owner):
    narrow = issue_key(owner, scopes=["system:read", "voices:read"])
    response = _client(narrow.token).post(
        "/api/api-keys", {"name": "wider", "scopes": ["system:read", "clone:create"]}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"] == "scope_escalation"
    assert ApiKey.objects.count() == 1


def test_a_key_cannot_grant_higher_limits_than_its_own(owner):
    narrow = issue_key(owner, scopes=["system:read"], limits={"system:read": 5})
    client = _client(narrow.token)
    too_high = client.post("/api/api-keys", {"name": "x", "limits": {"system:read": 6}}, format="json")
    assert too_high.status_code == 403
    within = client.post(
        "/api/api-keys", {"name": "x", "scopes": ["system:read"], "limits": {"system:read": 5}}, format="json"
    )
    assert within.status_code == 201
    # without explicit scopes, a key asks for all of them: more than it has
    assert client.post("/api/api-keys", {"name": "y"}, format="json").status_code == 403


@pytest.mark.parametrize(
    "payload",
    [
        {"name": ""},
        {"name": "x", "scopes": ["root:all"]},
        {"name": "x", "scopes": []},
        {"name": "x", "limits": {"system:read": 0}},
        {"name": "x", "scopes": ["voices:read"], "limits": {"system:read": 5}},
        {"name": "x", "expires_at": "2001-01-01T00:00:00Z"},
    ],
)
def test_invalid_create_is_400(api, payload):
    response = api.post("/api/api-keys", payload, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]
    assert ApiKey.objects.count() == 1


def test_revoke_then_delete(api, owner):
    other = issue_key(owner, name="victim")
    revoked = api.post(f"/api/api-keys/{other.api_key.key_id}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["revoked"] is True
    assert _client(other.token).get("/api/system/stats").status_code == 401
    assert api.delete(f"/api/api-keys/{other.api_key.key_id}").status_code == 204
    assert not ApiKey.objects.filter(pk=other.api_key.pk).exists()


def test_another_owners_keys_are_invisible(api, outsider):
    theirs = issue_key(outsider, name="theirs")
    assert all(row["key_id"] != theirs.api_key.key_id for row in api.get("/api/api-keys").json())
    assert api.post(f"/api/api-keys/{theirs.api_key.key_id}/revoke").status_code == 404
    assert api.delete(f"/api/api-keys/{theirs.api_key.key_id}").status_code == 404
    theirs.api_key.refresh_from_db()
    assert theirs.api_key.revoked_at is None


def test_createapikey_command_prints_the_key_last(owner, capsys):
    call_command("createapikey", "--name", "cli", "--scopes", "system:read,ws:connect", "--limit", "ws:connect=2")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    key = ApiKey.objects.get(name="cli")
    assert token.startswith(f"cv_{key.key_id}_")
    assert key.scopes == ["system:read", "ws:connect"]
    assert key.limits == {"system:read": 60, "ws:connect": 2}
    assert _client(token).get("/api/system/stats").status_code == 200
