"""The pairs listing names the directions nothing installed translates, with what installs each (en → ru needs a
Marian model), so the Tools page can show them disabled instead of leaving them out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_missing_pairs_come_with_their_install_command(api):
    body = api.get("/api/translate/pairs").json()
    missing = {(p["source"], p["target"]): p["install"] for p in body["missing"]}
    installed = {(p["source"], p["target"]) for p in body["pairs"]}
    assert ("en", "ru") in missing and ("ru", "en") in missing
    assert "python manage.py models pull translation:Helsinki-NLP/opus-mt-en-ru" in missing[("en", "ru")]
    assert not installed & set(missing)
    assert ("en", "es") in installed
    # Every language in sight is covered both ways: a direction is either installed or missing.
    languages = {code for pair in installed | set(missing) for code in pair}
    assert {(a, b) for a in languages for b in languages if a != b} == installed | set(missing)
    # What the listing calls missing is what translating answers with.
    answer = api.post("/api/translate", {"text": "Hello", "source": "en", "target": "ru"}, format="json")
    assert answer.status_code == 503
    assert answer.json()["install"] == missing[("en", "ru")]
