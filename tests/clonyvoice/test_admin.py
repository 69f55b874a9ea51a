"""The admin site: keys are created with the secret shown once, revoked in bulk; jobs are read-only."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from clonyvoice.models import ApiKey
from tests.factories import issue_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(owner) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(owner)
    return client


def test_adding_a_key_shows_its_secret_once(admin_client, owner):
    response = admin_client.post(
        "/admin/clonyvoice/apikey/add/",
        {"owner": owner.pk, "name": "from admin", "scopes": ["system:read", "ws:connect"], "limits": "{}"},
        follow=True,
    )
    assert response.status_code == 200
    shown = re.search(r"cv_[a-z0-9]{8}_[\w-]+", response.content.decode())
    assert shown, response.content.decode()[:2000]
    key = ApiKey.objects.get(name="from admin")
    assert shown.group(0).startswith(f"cv_{key.key_id}_")
    assert key.scopes == ["system:read", "ws:connect"]
    page = admin_client.get(f"/admin/clonyvoice/apikey/{key.pk}/change/").content.decode()
    assert shown.group(0) not in page


def test_revoke_action(admin_client, owner):
    keys = [issue_key(owner, name=f"k{i}") for i in range(2)]
    response = admin_client.post(
        "/admin/clonyvoice/apikey/",
        {"action": "revoke", "_selected_action": [k.api_key.pk for k in keys]},
        follow=True,
    )
    assert response.status_code == 200
    assert ApiKey.objects.filter(revoked_at__isnull=False).count() == 2
    assert Client().get("/api/system/stats", HTTP_X_API_KEY=keys[0].token, HTTP_HOST="127.0.0.1").status_code == 401


def test_admin_lists_users_and_jobs(admin_client):
    assert admin_client.get("/admin/auth/user/").status_code == 200
    assert admin_client.get("/admin/clonyvoice/job/").status_code == 200
    assert admin_client.get("/admin/clonyvoice/job/add/").status_code == 403
