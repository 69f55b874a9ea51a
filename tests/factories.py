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


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "voices.Category"

    name = factory.Sequence(lambda n: f"category {n}")


class VoiceFactory(factory.django.DjangoModelFactory):
    """A user's own voice, spoken by eSpeak NG so it works wherever the suite runs."""

    class Meta:
        model = "voices.Voice"

    name = factory.Sequence(lambda n: f"My voice {n}")
    kind = "designed"
    engine = "espeak"
    engine_voice_id = "en-us"
    languages = ["en-us", "en"]
    gender = "female"
