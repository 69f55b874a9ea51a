"""Keeps the API-key lookup cache in step with changes to keys and their owners."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clonyvoice.keys import apikey_forget
from clonyvoice.models import ApiKey


@receiver([post_save, post_delete], sender=ApiKey)
def _key_changed(sender, instance: ApiKey, **kwargs) -> None:
    apikey_forget(instance.key_id)


@receiver([post_save, post_delete], sender=settings.AUTH_USER_MODEL)
def _owner_changed(sender, instance, **kwargs) -> None:
    for key_id in ApiKey.objects.filter(owner_id=instance.pk).values_list("key_id", flat=True):
        apikey_forget(key_id)
