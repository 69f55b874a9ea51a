"""The /ws endpoint: live job progress for the connected user, and system stats on request."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import urlparse

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port, validate_host
from rest_framework import exceptions

from clonyvoice import jsonsafe, scopes
from clonyvoice.authentication import authenticate_token
from clonyvoice.events import auth_group, key_group, session_group, user_group
from clonyvoice.keys import apikey_current, parse_token
from clonyvoice.models import ApiKey
from clonyvoice.ratelimits import hit_scope
from clonyvoice.sessions import session_is_current
from systemstats.selectors import system_stats

logger = logging.getLogger(__name__)

SUBPROTOCOL = "clonyvoice"
STATS_INTERVAL = 1.0
MAX_MESSAGE_BYTES = 64 * 1024
# Close codes (README, "Live progress"), HTTP's numbers in the range left to applications: 4400 bad host, 4401
# not authenticated (or no longer: revoked, deleted or expired key, logged-out session), 4403 foreign origin or
# missing scope, 4413 message too big, 4415 binary frame, 4429 over a limit.
CLOSE_UNAUTHENTICATED, CLOSE_FORBIDDEN, CLOSE_RATE_LIMITED = 4401, 4403, 4429
CLOSE_TOO_BIG, CLOSE_UNSUPPORTED_DATA = 4413, 4415


def _headers(scope: dict[str, Any]) -> dict[str, str]:
    return {name.decode("latin1").lower(): value.decode("latin1") for name, value in scope.get("headers", [])}


def _host_allowed(host: str) -> bool:
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def _as_request(scope: dict[str, Any]) -> HttpRequest:
    """django-ratelimit counts on requests; give it one that carries the client's address."""
    request = HttpRequest()
    request.method = "GET"
    client = scope.get("client") or ("127.0.0.1", 0)
    request.META["REMOTE_ADDR"] = client[0]
    return request


class Refused(Exception):
    """A connection this consumer will not serve: the close code, and for a limit the seconds to wait."""

    def __init__(self, code: int, retry_after: int = 0) -> None:
        super().__init__(code)
        self.code, self.retry_after = code, retry_after


class ProgressConsumer(AsyncJsonWebsocketConsumer):
    """Authenticates by X-API-Key header, key-as-subprotocol, or session cookie (Origin checked).

    A socket lives only as long as what let it in: revoking, deleting or changing its key, the key's expiry, and
    logging out or changing the password of its session close it (4401).
    """

    user: Any = None
    api_key: ApiKey | None = None
    session_key: str | None = None

    async def connect(self) -> None:
        self.stats_task: asyncio.Task | None = None
        self.expiry_task: asyncio.Task | None = None
        self.groups_joined: list[str] = []
        headers = _headers(self.scope)
        origin = headers.get("origin")
        if not _host_allowed(headers.get("host", "")):
            await self.close(code=4400)
            return
        if origin is not None and not _host_allowed(urlparse(origin).netloc):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        token = headers.get("x-api-key") or next(
            (p for p in self.scope.get("subprotocols", []) if parse_token(p)), None
        )
        offered = self.scope.get("subprotocols", [])
        subprotocol = SUBPROTOCOL if SUBPROTOCOL in offered else (token if token in offered else None)
        if token:
            try:
                await self._authenticate_key(token)
            except Refused as refused:
                await self._refuse(refused, subprotocol)
                return
        else:
            # A session cookie rides along on any page's request, so only a same-origin page may use it.
            session_user = self.scope.get("user")
            if origin is None or session_user is None or not session_user.is_authenticated:
                await self.close(code=CLOSE_UNAUTHENTICATED)
                return
            self.user = session_user
            self.session_key = self.scope["session"].session_key
        await self._join(user_group(self.user.pk), auth_group(self.user.pk))
        await self._join(key_group(self.api_key.key_id) if self.api_key else session_group(self.session_key or ""))
        await self.accept(subprotocol=subprotocol)
        self._watch_expiry()
        await self.send_json(
            {
                "type": "hello",
                "user": self.user.get_username(),
                "scopes": self.api_key.scopes if self.api_key else list(scopes.ALL_SCOPES),
            }
        )

    async def _refuse(self, refused: Refused, subprotocol: str | None) -> None:
        """Closing before the handshake answers 403 whatever the reason; a client told to wait needs to know it,
        so a limit is said in words and with its own close code."""
        if refused.code != CLOSE_RATE_LIMITED:
            await self.close(code=refused.code)
            return
        await self.accept(subprotocol=subprotocol)
        await self.send_json(
            {
                "type": "error",
                "error": "rate_limited",
                "detail": f"Too many connections; try again in {refused.retry_after} s.",
                "retry_after": refused.retry_after,
            }
        )
        await self.close(code=CLOSE_RATE_LIMITED)

    async def _join(self, *groups: str) -> None:
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)

    @database_sync_to_async
    def _authenticate_key(self, token: str) -> None:
        request = _as_request(self.scope)
        try:
            api_key = authenticate_token(request, token)
        except exceptions.Throttled as exc:
            raise Refused(CLOSE_RATE_LIMITED, int(exc.wait or 60)) from exc
        except exceptions.AuthenticationFailed as exc:
            raise Refused(CLOSE_UNAUTHENTICATED) from exc
        if not api_key.has_scope(scopes.WS_CONNECT):
            raise Refused(CLOSE_FORBIDDEN)
        verdict = hit_scope(request, api_key=api_key, scope=scopes.WS_CONNECT)
        if verdict.limited:
            raise Refused(CLOSE_RATE_LIMITED, verdict.retry_after)
        self.api_key, self.user = api_key, api_key.owner

    def _watch_expiry(self) -> None:
        if self.expiry_task:
            self.expiry_task.cancel()
            self.expiry_task = None
        expires_at = self.api_key.expires_at if self.api_key else None
        if expires_at is not None:
            self.expiry_task = asyncio.create_task(self._close_at(expires_at.timestamp()))

    async def _close_at(self, when: float) -> None:
        await asyncio.sleep(max(0.0, when - time.time()))
        await self.close(code=CLOSE_UNAUTHENTICATED)

    @database_sync_to_async
    def _still_allowed(self) -> bool:
        if self.api_key is not None:
            current = apikey_current(self.api_key.key_id)
            if current is None or not current.has_scope(scopes.WS_CONNECT):
                return False
            self.api_key = current
            return True
        return session_is_current(self.session_key, self.user.pk)

    async def auth_recheck(self, event: dict[str, Any]) -> None:
        """The key or the user changed: keep serving only if what let this socket in still holds."""
        if await self._still_allowed():
            self._watch_expiry()
        else:
            await self.close(code=CLOSE_UNAUTHENTICATED)

    async def auth_revoked(self, event: dict[str, Any]) -> None:
        await self.close(code=CLOSE_UNAUTHENTICATED)

    async def disconnect(self, code: int) -> None:
        for task in (getattr(self, "stats_task", None), getattr(self, "expiry_task", None)):
            if task:
                task.cancel()
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if text_data is None:
            await self.close(code=CLOSE_UNSUPPORTED_DATA, reason="Send JSON text frames.")
            return
        if len(text_data) > MAX_MESSAGE_BYTES:
            await self.close(code=CLOSE_TOO_BIG, reason=f"Messages are limited to {MAX_MESSAGE_BYTES} bytes.")
            return
        await super().receive(text_data=text_data, **kwargs)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "error": "invalid_message", "detail": "Send a JSON object."})
            return
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "subscribe" and content.get("topic") == "system.stats":
            if self.api_key is not None and not self.api_key.has_scope(scopes.SYSTEM_READ):
                await self.send_json(
                    {"type": "error", "error": "missing_scope", "detail": "system.stats needs system:read."}
                )
                return
            if self.stats_task is None:
                self.stats_task = asyncio.create_task(self._stream_stats())
            await self.send_json({"type": "subscribed", "topic": "system.stats"})
        elif kind == "unsubscribe" and content.get("topic") == "system.stats":
            if self.stats_task:
                self.stats_task.cancel()
                self.stats_task = None
            await self.send_json({"type": "unsubscribed", "topic": "system.stats"})
        else:
            await self.send_json(
                {"type": "error", "error": "unknown_message", "detail": "Known: ping, subscribe, unsubscribe."}
            )

    async def _stream_stats(self) -> None:
        while True:
            stats = await sync_to_async(system_stats, thread_sensitive=False)()
            await self.send_json({"type": "system.stats", **stats})
            await asyncio.sleep(STATS_INTERVAL)

    async def forward(self, event: dict[str, Any]) -> None:
        await self.send_json(event)

    job_queued = forward
    job_progress = forward
    job_finished = forward
    job_failed = forward
    job_cancelled = forward

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        try:
            return jsonsafe.loads(text_data, max_bytes=MAX_MESSAGE_BYTES)
        except jsonsafe.JSONRejected:
            return None
