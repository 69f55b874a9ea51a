"""Factories shared by the test suite."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from clonyvoice.keys import IssuedKey, apikey_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery")


def issue_key(owner, **kwargs) -> IssuedKey:
    """A real key through the service, as a client would get it."""
    kwargs.setdefault("name", "test key")
    return apikey_create(owner=owner, **kwargs)
