"""API key services: issue, verify, revoke. Secrets are shown once and stored as SHA-256."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from clonyvoice import scopes as scope_defs
from clonyvoice.errors import NotFound, PermissionDenied, ServiceError
from clonyvoice.models import ApiKey

KEY_ID_ALPHABET = string.ascii_lowercase + string.digits
# last_used_at is written at most this often so that authentication stays a read.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Upper bound on how long a change made behind the services' back (a raw UPDATE) takes to apply.
KEY_CACHE_SECONDS = 30


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    token: str


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_token(token: str) -> tuple[str, str] | None:
    """Split `cv_<id>_<secret>` into (id, secret); None when it is not of that shape."""
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "cv" or len(parts[1]) != 8 or not parts[2]:
        return None
    key_id, secret = parts[1], parts[2]
    if any(c not in KEY_ID_ALPHABET for c in key_id) or len(secret) > 128:
        return None
    return key_id, secret


def _validate_scopes_and_limits(
    requested_scopes: list[str], limits: dict[str, int] | None
) -> tuple[list[str], dict[str, int]]:
    unknown = sorted(set(requested_scopes) - set(scope_defs.ALL_SCOPES))
    if unknown:
        raise ServiceError(f"Unknown scopes: {', '.join(unknown)}.", code="invalid_scope")
    if not requested_scopes:
        raise ServiceError("A key needs at least one scope.", code="invalid_scope")
    merged = {s: scope_defs.DEFAULT_LIMITS[s] for s in requested_scopes}
    for scope, value in (limits or {}).items():
        if scope not in merged:
            raise ServiceError(f"A limit for {scope} needs that scope on the key.", code="invalid_limit")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1 or value > 100_000:
            raise ServiceError(f"The limit for {scope} must be a whole number from 1 to 100000.", code="invalid_limit")
        merged[scope] = value
    ordered = [s for s in scope_defs.ALL_SCOPES if s in merged]
    return ordered, {s: merged[s] for s in ordered}


def apikey_create(
    *,
    owner: AbstractBaseUser,
    name: str,
    scopes: list[str] | None = None,
    limits: dict[str, int] | None = None,
    expires_at: datetime | None = None,
    issuer: ApiKey | None = None,
) -> IssuedKey:
    """Create a key for `owner`. When a key creates a key (`issuer`), the new one stays within it."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ServiceError("A key needs a name of 1 to 100 characters.", code="invalid_name")
    requested = list(dict.fromkeys(scopes if scopes is not None else scope_defs.ALL_SCOPES))
    key_scopes, key_limits = _validate_scopes_and_limits(requested, limits)
    if expires_at is not None and expires_at <= timezone.now():
        raise ServiceError("expires_at must be in the future.", code="invalid_expiry")
    if issuer is not None:
        wider = [s for s in key_scopes if not issuer.has_scope(s)]
        if wider:
            raise PermissionDenied(
                f"This key cannot grant scopes it does not have: {', '.join(wider)}.", code="scope_escalation"
            )
        higher = [s for s in key_scopes if key_limits[s] > issuer.limit_for(s)]
        if higher:
            raise PermissionDenied(
                f"This key cannot grant limits above its own for: {', '.join(higher)}.", code="scope_escalation"
            )
        if issuer.expires_at is not None and (expires_at is None or expires_at > issuer.expires_at):
            expires_at = issuer.expires_at
    secret = secrets.token_urlsafe(32)
    for _ in range(5):
        key_id = "".join(secrets.choice(KEY_ID_ALPHABET) for _ in range(8))
        try:
            with transaction.atomic():
                api_key = ApiKey.objects.create(
                    owner=owner,
                    name=name,
                    key_id=key_id,
                    secret_hash=_hash_secret(secret),
                    scopes=key_scopes,
                    limits=key_limits,
                    expires_at=expires_at,
                )
        except IntegrityError:
            continue
        return IssuedKey(api_key=api_key, token=f"cv_{key_id}_{secret}")
    raise ServiceError("Could not allocate a key id; try again.", code="key_id_collision", status=503)


def _cache_key(key_id: str) -> str:
    return f"apikey:{key_id}"


INDEX_CACHE_KEY = "apikey:index"
DECOY_CACHE_KEY = "apikey:decoy"


def apikey_forget(key_id: str) -> None:
    """Drop a key, and the index of key ids, from the lookup cache; every change to a key or its owner calls this."""
    cache.delete_many([_cache_key(key_id), INDEX_CACHE_KEY])


def _decoy() -> ApiKey:
    """A key that is never saved, with an owner: looked up (and unpickled) in place of an unknown id's key."""
    return ApiKey(key_id="decoy000", secret_hash="0" * 64, owner=get_user_model()(username="decoy"))


def _lookup(key_id: str) -> tuple[ApiKey | None, str]:
    """The key with this id (or None) and the hash to compare the secret with, in the same time either way.

    Each ASGI request runs in a fresh thread, so a database lookup would also open a database connection; the
    shared Redis cache keeps authentication to two round trips: the index of every key id, then the entry for
    this id, or for an unknown id a decoy key, unpickled and compared in its place. An unknown id costs what a
    known one does: how long a wrong key takes says nothing about whether its id exists.
    """
    index = cache.get(INDEX_CACHE_KEY)
    if index is None:
        index = frozenset(ApiKey.objects.values_list("key_id", flat=True))
        cache.set(INDEX_CACHE_KEY, index, KEY_CACHE_SECONDS)
    known = key_id in index
    entry = cache.get(_cache_key(key_id) if known else DECOY_CACHE_KEY)
    if not known:
        if entry is None:
            entry = _decoy()
            cache.set(DECOY_CACHE_KEY, entry, None)
        return None, entry.secret_hash
    if entry is None:
        entry = ApiKey.objects.select_related("owner").filter(key_id=key_id).first()
        if entry is None:
            return None, _decoy().secret_hash
        cache.set(_cache_key(key_id), entry, KEY_CACHE_SECONDS)
    return entry, entry.secret_hash


def apikey_current(key_id: str) -> ApiKey | None:
    """The key as the database has it now, if it is still usable (active, owner active); no cache."""
    api_key = ApiKey.objects.select_related("owner").filter(key_id=key_id).first()
    if api_key is None or not api_key.is_active or not api_key.owner.is_active:
        return None
    return api_key


def apikey_verify(*, token: str) -> ApiKey | None:
    """The active key the token names, or None. The secret is compared in constant time."""
    parsed = parse_token(token)
    if parsed is None:
        # Hash anyway so a malformed token costs about as much as a wrong one.
        _hash_secret(token)
        return None
    key_id, secret = parsed
    api_key, expected = _lookup(key_id)
    matches = hmac.compare_digest(_hash_secret(secret), expected)
    if api_key is None or not matches or not api_key.is_active or not api_key.owner.is_active:
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
        cache.set(_cache_key(key_id), api_key, KEY_CACHE_SECONDS)
    return api_key


def _owned_key(*, owner: AbstractBaseUser, key_id: str) -> ApiKey:
    api_key = ApiKey.objects.filter(owner=owner, key_id=key_id).first()
    if api_key is None:
        raise NotFound("No such API key.")
    return api_key


def apikey_revoke(*, owner: AbstractBaseUser, key_id: str) -> ApiKey:
    api_key = _owned_key(owner=owner, key_id=key_id)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    apikey_forget(api_key.key_id)
    return api_key


def apikey_delete(*, owner: AbstractBaseUser, key_id: str) -> None:
    _owned_key(owner=owner, key_id=key_id).delete()
    apikey_forget(key_id)


def apikey_list(*, owner: AbstractBaseUser) -> list[ApiKey]:
    return list(ApiKey.objects.filter(owner=owner))
