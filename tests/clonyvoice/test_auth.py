"""X-API-Key authentication, scopes, limits and the JSON error contract of /api."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from clonyvoice.keys import apikey_revoke
from tests.factories import issue_key

pytestmark = pytest.mark.django_db

INFO = "/api/system/info"


def _client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=token)
    return client


def _assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] == code
    assert body["detail"]


def test_valid_key_reads_system_info(api):
    response = api.get(INFO)
    assert response.status_code == 200
    assert response.json()["cpu"]["logical_cores"] >= 1


def test_no_key_is_401(anon):
    response = anon.get(INFO)
    _assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "X-API-Key"


@pytest.mark.parametrize("token", ["nonsense", "cv_short_secret", "cv_ABCDEFGH_secret", "cv_abcdefgh_"])
def test_malformed_key_is_401(db, token):
    _assert_error(_client(token).get(INFO), 401, "authentication_failed")


def test_wrong_secret_is_401(owner_key):
    _assert_error(_client(owner_key.token[:-4] + "abcd").get(INFO), 401, "authentication_failed")


def test_revoked_key_is_401(owner, owner_key):
    apikey_revoke(owner=owner, key_id=owner_key.api_key.key_id)
    _assert_error(_client(owner_key.token).get(INFO), 401, "authentication_failed")


def test_expired_key_is_401(owner, owner_key):
    owner_key.api_key.expires_at = timezone.now() - timedelta(seconds=1)
    owner_key.api_key.save()
    _assert_error(_client(owner_key.token).get(INFO), 401, "authentication_failed")


def test_key_of_inactive_user_is_401(owner, owner_key):
    owner.is_active = False
    owner.save()
    _assert_error(_client(owner_key.token).get(INFO), 401, "authentication_failed")


def test_key_in_query_string_is_refused(owner_key):
    response = APIClient().get(f"{INFO}?api_key={owner_key.token}")
    _assert_error(response, 401, "authentication_failed")
    assert "header" in response.json()["detail"]


def test_key_without_scope_is_403(owner):
    key = issue_key(owner, scopes=["voices:read"])
    response = _client(key.token).get(INFO)
    _assert_error(response, 403, "missing_scope")
    assert "system:read" in response.json()["detail"]


def test_over_the_limit_is_429_with_retry_after(owner):
    key = issue_key(owner, scopes=["system:read"], limits={"system:read": 2})
    client = _client(key.token)
    assert client.get(INFO).status_code == 200
    assert client.get(INFO).status_code == 200
    response = client.get(INFO)
    _assert_error(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_limits_are_per_key_and_per_scope(owner):
    first = issue_key(owner, scopes=["system:read", "voices:read"], limits={"system:read": 1})
    second = issue_key(owner, scopes=["system:read"], limits={"system:read": 1})
    assert _client(first.token).get(INFO).status_code == 200
    assert _client(first.token).get(INFO).status_code == 429
    # another scope of the same key, and the same scope of another key, have their own counters
    assert _client(first.token).get("/api/categories").status_code == 200
    assert _client(second.token).get(INFO).status_code == 200


def test_failed_authentication_is_limited_per_address(owner_key):
    bad = _client("cv_abcdefgh_wrongsecret")
    for _ in range(10):
        assert bad.get(INFO).status_code == 401
    _assert_error(bad.get(INFO), 429, "rate_limited")
    # the limit answers failures only: every local client shares 127.0.0.1, and a valid key still works
    assert _client(owner_key.token).get(INFO).status_code == 200
    _assert_error(bad.get(INFO), 429, "rate_limited")


def test_disallowed_host_is_400_json(api):
    _assert_error(api.get(INFO, HTTP_HOST="evil.example"), 400, "bad_request")


def test_malformed_json_is_400_json(api):
    response = api.post("/api/api-keys", data=b'{"name": ', content_type="application/json")
    _assert_error(response, 400, "malformed_request")


def test_unknown_api_path_is_404_json(api):
    _assert_error(api.get("/api/no-such-thing"), 404, "not_found")


def test_wrong_method_is_405_json(api):
    _assert_error(api.delete(INFO), 405, "method_not_allowed")


def test_last_used_is_recorded(owner_key):
    assert owner_key.api_key.last_used_at is None
    assert _client(owner_key.token).get(INFO).status_code == 200
    owner_key.api_key.refresh_from_db()
    assert owner_key.api_key.last_used_at is not None


class TestSession:
    """The browser signs in with a session and sends CSRF tokens; it has every scope."""

    def _login(self, owner) -> APIClient:
        client = APIClient(enforce_csrf_checks=True)
        client.get("/api/auth/session")
        token = client.cookies["csrftoken"].value
        response = client.post(
            "/api/auth/session",
            {"username": "owner", "password": "correct horse battery"},
            format="json",
            HTTP_X_CSRFTOKEN=token,
        )
        assert response.status_code == 200, response.content
        assert response.json() == {"authenticated": True, "username": "owner", "is_staff": True}
        return client

    def test_login_then_use_the_api(self, owner):
        client = self._login(owner)
        assert client.get(INFO).status_code == 200

    def test_wrong_password_is_401(self, owner):
        client = APIClient()
        response = client.post("/api/auth/session", {"username": "owner", "password": "nope"}, format="json")
        _assert_error(response, 401, "authentication_failed")

    def test_unsafe_request_without_csrf_is_403(self, owner):
        client = self._login(owner)
        response = client.post("/api/api-keys", {"name": "x"}, format="json")
        _assert_error(response, 403, "permission_denied")
        assert "CSRF" in response.json()["detail"]

    def test_logout(self, owner):
        client = self._login(owner)
        token = client.cookies["csrftoken"].value
        assert client.delete("/api/auth/session", HTTP_X_CSRFTOKEN=token).json()["authenticated"] is False
        assert client.get(INFO).status_code == 403 or client.get(INFO).status_code == 401
