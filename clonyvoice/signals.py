"""Keeps the API-key lookup cache, and the open sockets, in step with changes to keys, users and sessions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clonyvoice.events import auth_group, key_group, session_group, sockets_tell
from clonyvoice.keys import apikey_forget
from clonyvoice.models import ApiKey

RECHECK, REVOKED = "auth.recheck", "auth.revoked"


def _tell_after_commit(group: str, event_type: str) -> None:
    # After the commit, so that a socket rechecking its key reads the change.
    transaction.on_commit(lambda: sockets_tell(group, event_type))


@receiver(post_save, sender=ApiKey)
def _key_saved(sender, instance: ApiKey, **kwargs) -> None:
    apikey_forget(instance.key_id)
    _tell_after_commit(key_group(instance.key_id), RECHECK)


@receiver(post_delete, sender=ApiKey)
def _key_deleted(sender, instance: ApiKey, **kwargs) -> None:
    apikey_forget(instance.key_id)
    _tell_after_commit(key_group(instance.key_id), REVOKED)


@receiver([post_save, post_delete], sender=settings.AUTH_USER_MODEL)
def _owner_changed(sender, instance, **kwargs) -> None:
    for key_id in ApiKey.objects.filter(owner_id=instance.pk).values_list("key_id", flat=True):
        apikey_forget(key_id)
    # A password change (the session hash), deactivation or deletion: each socket checks what let it in.
    _tell_after_commit(auth_group(instance.pk), RECHECK)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        _tell_after_commit(session_group(session_key), REVOKED)
