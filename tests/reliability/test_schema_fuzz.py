"""The API under generated input: every operation of /api/schema/, driven by schemathesis in-process.

With an all-scopes key: never a 5xx, and every documented response matches its schema. Without a
key: every operation that is not public answers 401. `bench/fuzz.py` runs the same against the real
product with many more examples.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client

from clonyvoice import scopes
from tests.factories import issue_key
from tests.reliability.fuzzing import fuzz

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/schema/?format=json"
# Bounded so the whole operation set stays well under two minutes; bench/fuzz.py runs many more.
MAX_EXAMPLES = 4
# The session endpoint is how a browser logs in: it answers without credentials by design.
PUBLIC = {("GET", "/api/auth/session"), ("POST", "/api/auth/session"), ("DELETE", "/api/auth/session")}


@pytest.fixture
def fuzz_key(owner) -> str:
    # Limits out of the way: a 429 would hide what the generated input does to the endpoint.
    return issue_key(owner, name="fuzz", limits=dict.fromkeys(scopes.ALL_SCOPES, 100_000)).token


def test_generated_requests_never_get_a_server_error(fuzz_key):
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, get_wsgi_application())
    report = fuzz(schema, headers={"X-API-Key": fuzz_key, "Host": "localhost"}, max_examples=MAX_EXAMPLES)
    assert report.operations > 50
    assert report.failures == {}


def _operations() -> list[tuple[str, str]]:
    document = json.loads(Client(HTTP_HOST="localhost").get(SCHEMA_PATH).content)
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_every_operation_needs_a_key(anon):
    operations = _operations()
    assert len(operations) > 50
    answers = {}
    for method, path in operations:
        if (method, path) in PUBLIC:
            continue
        url = re.sub(r"\{[^}]+\}", lambda m: "1" if "index" in m.group(0) else str(uuid.uuid4()), path)
        response = anon.generic(method, url, "{}", content_type="application/json", HTTP_HOST="localhost")
        answers[f"{method} {path}"] = (response.status_code, response.json().get("error"))
    wrong = {op: answer for op, answer in answers.items() if answer[0] != 401}
    assert wrong == {}
    assert {error for _status, error in answers.values()} <= {"not_authenticated", "authentication_failed"}
