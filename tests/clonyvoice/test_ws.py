"""The /ws consumer: who may connect, the ws:connect limit, job events and system stats."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from clonyvoice.asgi import application
from clonyvoice.events import send_to_user
from tests.factories import issue_key

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

HOST = (b"host", b"127.0.0.1:8000")


def _communicator(headers=(), subprotocols=None) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/ws", headers=[HOST, *headers], subprotocols=subprotocols)


async def _refused(communicator: WebsocketCommunicator) -> bool:
    connected, _ = await communicator.connect()
    await communicator.disconnect()
    return not connected


async def test_key_header_connects_and_says_hello(owner_key):
    communicator = _communicator([(b"x-api-key", owner_key.token.encode())])
    connected, _ = await communicator.connect()
    assert connected
    hello = await communicator.receive_json_from()
    assert hello["type"] == "hello"
    assert hello["user"] == "owner"
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()


async def test_key_as_subprotocol_connects(owner_key):
    communicator = _communicator(subprotocols=["clonyvoice", owner_key.token])
    connected, subprotocol = await communicator.connect()
    assert connected
    assert subprotocol == "clonyvoice"
    await communicator.disconnect()


async def test_no_key_is_refused(db):
    assert await _refused(_communicator())


async def test_wrong_key_is_refused(owner_key):
    assert await _refused(_communicator([(b"x-api-key", owner_key.token[:-3].encode() + b"xyz")]))


async def test_key_without_ws_connect_is_refused(owner):
    key = await _issue(owner, scopes=["system:read"])
    assert await _refused(_communicator([(b"x-api-key", key.token.encode())]))


async def test_foreign_origin_is_refused(owner_key):
    headers = [(b"x-api-key", owner_key.token.encode()), (b"origin", b"http://evil.example")]
    assert await _refused(_communicator(headers))


async def test_foreign_host_is_refused(owner_key):
    communicator = WebsocketCommunicator(
        application, "/ws", headers=[(b"host", b"evil.example"), (b"x-api-key", owner_key.token.encode())]
    )
    assert await _refused(communicator)


async def test_ws_connect_limit_is_counted(owner):
    key = await _issue(owner, limits={"ws:connect": 2})
    headers = [(b"x-api-key", key.token.encode())]
    assert not await _refused(_communicator(headers))
    assert not await _refused(_communicator(headers))
    # over the limit is not "not allowed": the client is told to wait, with its own close code
    over = _communicator(headers)
    assert (await over.connect())[0]
    refusal = await over.receive_json_from()
    assert refusal["error"] == "rate_limited" and refusal["retry_after"] >= 1
    assert (await over.receive_output())["code"] == 4429


async def test_session_cookie_needs_a_same_origin_page(owner):
    cookie = await _session_cookie(owner)
    same_origin = [(b"cookie", cookie), (b"origin", b"http://127.0.0.1:8000")]
    assert not await _refused(_communicator(same_origin))
    assert await _refused(_communicator([(b"cookie", cookie)]))


async def test_job_events_reach_only_their_owner(owner, outsider):
    mine = _communicator([(b"x-api-key", (await _issue(owner)).token.encode())])
    theirs = _communicator([(b"x-api-key", (await _issue(outsider)).token.encode())])
    for communicator in (mine, theirs):
        assert (await communicator.connect())[0]
        await communicator.receive_json_from()
    from asgiref.sync import sync_to_async

    event = {"type": "job.progress", "task_id": "t", "status": "running", "progress": 1, "total": 2}
    await sync_to_async(send_to_user)(owner.pk, event)
    received = await mine.receive_json_from(timeout=2)
    assert received.pop("sent_at") > 0
    assert received == event
    assert await theirs.receive_nothing(timeout=0.3)
    await mine.disconnect()
    await theirs.disconnect()


async def test_system_stats_stream_on_subscribe(owner_key):
    communicator = _communicator([(b"x-api-key", owner_key.token.encode())])
    await communicator.connect()
    await communicator.receive_json_from()
    await communicator.send_json_to({"type": "subscribe", "topic": "system.stats"})
    messages = [await communicator.receive_json_from(timeout=3) for _ in range(3)]
    stats = [m for m in messages if m["type"] == "system.stats"]
    assert len(stats) == 2
    assert stats[1]["timestamp"] > stats[0]["timestamp"]
    assert 0 <= stats[0]["cpu"]["percent"] <= 100
    await communicator.disconnect()


async def test_system_stats_need_system_read(owner):
    key = await _issue(owner, scopes=["ws:connect"])
    communicator = _communicator([(b"x-api-key", key.token.encode())])
    await communicator.connect()
    await communicator.receive_json_from()
    await communicator.send_json_to({"type": "subscribe", "topic": "system.stats"})
    assert (await communicator.receive_json_from())["error"] == "missing_scope"
    await communicator.disconnect()


async def test_garbage_messages_get_an_error_not_a_disconnect(owner_key):
    communicator = _communicator([(b"x-api-key", owner_key.token.encode())])
    await communicator.connect()
    await communicator.receive_json_from()
    await communicator.send_to(text_data="{not json")
    assert (await communicator.receive_json_from())["type"] == "error"
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from())["type"] == "pong"
    await communicator.disconnect()


async def _issue(owner, **kwargs):
    from asgiref.sync import sync_to_async

    return await sync_to_async(issue_key)(owner, **kwargs)


async def _session_cookie(user) -> bytes:
    from asgiref.sync import sync_to_async

    def login() -> bytes:
        client = Client()
        client.force_login(user)
        return f"sessionid={client.cookies['sessionid'].value}".encode()

    return await sync_to_async(login)()
