"""Fixtures the timeline tests share beyond tests/conftest.py."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def client(owner) -> APIClient:
    """The owner's browser session, in place of pytest-django's anonymous client: an API key's audio:process limit
    (5 a minute) would stop the dub tests."""
    session = APIClient()
    session.force_login(owner)
    return session
