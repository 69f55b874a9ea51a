"""Every endpoint of the API contract is routed with its scope and described in the OpenAPI schema."""

from __future__ import annotations

import re

import pytest

from tests.factories import issue_key

pytestmark = pytest.mark.django_db

# (method, path, scope) — the table of the API contract.
CONTRACT = [
    ("GET", "/api/voices", "voices:read"),
    ("GET", "/api/voices/{id}", "voices:read"),
    ("PUT", "/api/voices/{id}", "voices:write"),
    ("DELETE", "/api/voices/{id}", "voices:write"),
    ("GET", "/api/categories", "voices:read"),
    ("POST", "/api/categories", "voices:write"),
    ("DELETE", "/api/categories", "voices:write"),
    ("GET", "/api/favorites", "voices:read"),
    ("POST", "/api/favorites/{id}", "voices:write"),
    ("POST", "/api/voices/export", "voices:read"),
    ("POST", "/api/voices/import/preview", "voices:write"),
    ("POST", "/api/voices/import", "voices:write"),
    ("POST", "/api/generate/clone", "tts:generate"),
    ("POST", "/api/generate/preset", "tts:generate"),
    ("POST", "/api/generate/clone-chunked", "tts:generate"),
    ("POST", "/api/generate/clone-chunked-multivoice", "tts:generate"),
    ("POST", "/api/generate/clone-chunked-multilang", "tts:generate"),
    ("POST", "/api/generate/regenerate-chunk", "tts:generate"),
    ("POST", "/api/generate/merge-chunks", "tts:generate"),
    ("POST", "/api/generation/cancel", "tts:generate"),
    ("POST", "/api/text/split", "audio:process"),
    ("POST", "/api/clone/create-clips", "clone:create"),
    ("POST", "/api/clone/create", "clone:create"),
    ("POST", "/api/clone/create-multi", "clone:create"),
    ("POST", "/api/clone/cancel", "clone:create"),
    ("POST", "/api/design/create", "clone:create"),
    ("POST", "/api/design/cancel", "clone:create"),
    ("POST", "/api/voices/{id}/generate-preview", "clone:create"),
    ("POST", "/api/transcribe", "audio:process"),
    ("POST", "/api/translate", "audio:process"),
    ("POST", "/api/audio-duration", "audio:process"),
    ("GET", "/api/audio/chunk/{task_id}/{index}", "tts:generate"),
    ("POST", "/api/download-video", "audio:process"),
    ("GET", "/api/timeline/{task_id}", "tts:timeline"),
    ("POST", "/api/timeline/{task_id}/layout", "tts:timeline"),
    ("POST", "/api/timeline/{task_id}/import-track", "tts:timeline"),
    ("POST", "/api/timeline/{task_id}/import-video", "tts:timeline"),
    ("POST", "/api/generate/merge-timeline", "tts:timeline"),
    ("GET", "/api/generations", "voices:read"),
    ("GET", "/api/generations/{id}", "voices:read"),
    ("DELETE", "/api/generations/{id}", "voices:write"),
    ("GET", "/api/montages", "voices:read"),
    ("POST", "/api/montages", "voices:write"),
    ("GET", "/api/montages/{id}", "voices:read"),
    ("DELETE", "/api/montages/{id}", "voices:write"),
    ("GET", "/api/system/stats", "system:read"),
    ("GET", "/api/system/status", "system:read"),
    ("GET", "/api/system/gpu", "system:read"),
    ("GET", "/api/system/info", "system:read"),
    ("GET", "/api/queue/status", "system:read"),
    ("POST", "/api/job/cancel", "system:read"),
    ("POST", "/api/api-keys", "system:read"),
    ("GET", "/api/api-keys", "system:read"),
    ("DELETE", "/api/api-keys/{key_id}", "system:read"),
    ("POST", "/api/api-keys/{key_id}/revoke", "system:read"),
]

SAMPLE = {"id": "1", "task_id": "00000000-0000-0000-0000-000000000000", "index": "0", "key_id": "abcdefgh"}


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m.group(1)], path)


def _schema_path(path: str) -> str:
    return re.sub(r"\{\w+\}", "{}", path)


def test_the_contract_has_55_endpoints():
    assert len(CONTRACT) == 55
    assert len(set(CONTRACT)) == 55


def test_every_contract_endpoint_is_in_the_openapi_schema(anon):
    response = anon.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    documented = {(method.upper(), _schema_path(path)) for path, item in schema["paths"].items() for method in item}
    missing = [(m, p) for m, p, _ in CONTRACT if (m, _schema_path(p)) not in documented]
    assert missing == []


def test_swagger_ui_is_served_without_a_cdn(anon):
    response = anon.get("/api/docs/")
    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/" in response.content


@pytest.mark.parametrize(("method", "path", "scope"), CONTRACT)
def test_every_endpoint_requires_its_scope(owner, method, path, scope):
    others = [s for s in ("voices:read", "tts:generate", "system:read", "audio:process") if s != scope]
    without = issue_key(owner, scopes=others)
    with_scope = issue_key(owner, scopes=[scope])
    from rest_framework.test import APIClient

    client = APIClient()
    url = _concrete(path)
    denied = client.generic(method, url, HTTP_X_API_KEY=without.token)
    assert denied.status_code == 403, (method, path, denied.content)
    assert denied.json()["error"] == "missing_scope"
    assert client.generic(method, url).status_code == 401
    allowed = client.generic(method, url, HTTP_X_API_KEY=with_scope.token)
    assert allowed.status_code not in (401, 403, 405, 500), (method, path, allowed.content)
    assert allowed["Content-Type"].startswith("application/json")
    if allowed.status_code == 501:
        assert allowed.json()["error"] == "not_implemented"
