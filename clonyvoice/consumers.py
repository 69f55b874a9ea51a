"""The /ws endpoint: live job progress for the connected user, and system stats on request."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urlparse

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port, validate_host
from rest_framework import exceptions

from clonyvoice import scopes
from clonyvoice.authentication import authenticate_token
from clonyvoice.events import user_group
from clonyvoice.keys import parse_token
from clonyvoice.models import ApiKey
from clonyvoice.ratelimits import hit_scope
from systemstats.selectors import system_stats

logger = logging.getLogger(__name__)

SUBPROTOCOL = "clonyvoice"
STATS_INTERVAL = 1.0


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


class ProgressConsumer(AsyncJsonWebsocketConsumer):
    """Authenticates by X-API-Key header, key-as-subprotocol, or session cookie (Origin checked)."""

    user: Any = None
    api_key: ApiKey | None = None

    async def connect(self) -> None:
        self.stats_task: asyncio.Task | None = None
        headers = _headers(self.scope)
        origin = headers.get("origin")
        if not _host_allowed(headers.get("host", "")):
            await self.close(code=4400)
            return
        if origin is not None and not _host_allowed(urlparse(origin).netloc):
            await self.close(code=4403)
            return
        token = headers.get("x-api-key") or next(
            (p for p in self.scope.get("subprotocols", []) if parse_token(p)), None
        )
        if token:
            if not await self._authenticate_key(token):
                await self.close(code=4401)
                return
        else:
            # A session cookie rides along on any page's request, so only a same-origin page may use it.
            session_user = self.scope.get("user")
            if origin is None or session_user is None or not session_user.is_authenticated:
                await self.close(code=4401)
                return
            self.user = session_user
        await self.channel_layer.group_add(user_group(self.user.pk), self.channel_name)
        offered = self.scope.get("subprotocols", [])
        subprotocol = SUBPROTOCOL if SUBPROTOCOL in offered else (token if token in offered else None)
        await self.accept(subprotocol=subprotocol)
        await self.send_json(
            {
                "type": "hello",
                "user": self.user.get_username(),
                "scopes": self.api_key.scopes if self.api_key else list(scopes.ALL_SCOPES),
            }
        )

    @database_sync_to_async
    def _authenticate_key(self, token: str) -> bool:
        request = _as_request(self.scope)
        try:
            api_key = authenticate_token(request, token)
        except (exceptions.AuthenticationFailed, exceptions.Throttled):
            return False
        if not api_key.has_scope(scopes.WS_CONNECT):
            return False
        if hit_scope(request, api_key=api_key, scope=scopes.WS_CONNECT).limited:
            return False
        self.api_key, self.user = api_key, api_key.owner
        return True

    async def disconnect(self, code: int) -> None:
        if self.stats_task:
            self.stats_task.cancel()
        if self.user is not None:
            await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)

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
            return await super().decode_json(text_data)
        except ValueError:
            return None
