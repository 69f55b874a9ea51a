"""Whether a browser session still stands: what Django checks on each request, for sockets that outlive one."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.utils.crypto import constant_time_compare


def session_is_current(session_key: str | None, user_id: int) -> bool:
    """True while the session exists, belongs to the active user `user_id`, and was made with the user's
    current password (Django's session hash changes with it)."""
    if not session_key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore
    session = store(session_key)
    if not session.exists(session_key) or str(session.get(SESSION_KEY)) != str(user_id):
        return False
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return user is not None and constant_time_compare(session.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash())
