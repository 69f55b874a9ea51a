"""The owner account: created on the very first start of a fresh install."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

OWNER_USERNAME = "owner"


def owner_get() -> AbstractBaseUser | None:
    User = get_user_model()
    return User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


def owner_ensure() -> tuple[AbstractBaseUser, str | None]:
    """The owner, and its password when this call created it (None otherwise)."""
    if (owner := owner_get()) is not None:
        return owner, None
    password = settings.CLONYVOICE_OWNER_PASSWORD or secrets.token_urlsafe(12)
    owner = get_user_model().objects.create_superuser(username=OWNER_USERNAME, email="", password=password)
    return owner, password
