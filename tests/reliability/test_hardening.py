"""The hostile probe's findings, replayed against the real product: each gets its answer, and no traceback."""

from __future__ import annotations

import datetime as dt
import io
import json
import socket
import time
import zipfile

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.live.product import OWNER_PASSWORD, Product

pytestmark = pytest.mark.live

CLOSED_WITHIN = 2.0


@pytest.fixture(scope="module")
def product(tmp_path_factory):
    running = Product(tmp_path_factory.mktemp("hardening") / "data", args=["--no-workers"]).start()
    yield running
    running.stop()


@pytest.fixture
def no_traceback(product):
    """The test's part of the server log has no traceback in it."""
    offset = len(product.log())
    yield
    time.sleep(0.3)
    written = product.log()[offset:]
    assert "Traceback" not in written, written


def _key(product: Product, *args: str) -> str:
    return product.create_key("--limit", "ws:connect=1000", "--limit", "system:read=1000", *args)


def _socket(product: Product, key: str) -> ClientConnection:
    socket = connect(product.ws_url, additional_headers={"X-API-Key": key}, open_timeout=10)
    assert json.loads(socket.recv(timeout=5))["type"] == "hello"
    return socket


def _closed_within(socket: ClientConnection, seconds: float) -> int:
    """The close code the server sent within `seconds` (events arriving meanwhile are skipped)."""
    deadline = time.monotonic() + seconds
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            socket.recv(timeout=max(0.01, deadline - time.monotonic()))
    assert closed.value.rcvd is not None, "the server did not close the socket in time"
    return closed.value.rcvd.code


def _alive(socket: ClientConnection) -> bool:
    socket.send(json.dumps({"type": "ping"}))
    return json.loads(socket.recv(timeout=5)) == {"type": "pong"}


def _key_id(key: str) -> str:
    return key.split("_")[1]


def test_revoking_or_deleting_a_key_closes_its_sockets(product, no_traceback):
    admin, doomed, deleted = _key(product), _key(product), _key(product)
    doomed_socket, deleted_socket, admin_socket = _socket(product, doomed), _socket(product, deleted), None
    admin_socket = _socket(product, admin)
    with product.client(admin) as client:
        assert client.post(f"/api/api-keys/{_key_id(doomed)}/revoke").status_code == 200
        assert _closed_within(doomed_socket, CLOSED_WITHIN) == 4401
        assert client.delete(f"/api/api-keys/{_key_id(deleted)}").status_code == 204
        assert _closed_within(deleted_socket, CLOSED_WITHIN) == 4401
    assert _alive(admin_socket)
    admin_socket.close()


def test_a_key_that_expires_closes_its_sockets(product, no_traceback):
    admin = _key(product)
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)).isoformat()
    with product.client(admin) as client:
        made = client.post("/api/api-keys", json={"name": "short", "scopes": ["ws:connect"], "expires_at": expires})
    assert made.status_code == 201, made.text
    socket = _socket(product, made.json()["key"])
    assert _closed_within(socket, 2 + CLOSED_WITHIN) == 4401


def _browser(product: Product) -> tuple[httpx.Client, ClientConnection]:
    client = product.client()
    client.get("/api/auth/session")
    token = client.cookies["csrftoken"]
    login = {"username": "owner", "password": OWNER_PASSWORD}
    assert client.post("/api/auth/session", json=login, headers={"X-CSRFToken": token}).status_code == 200
    cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    socket = connect(product.ws_url, additional_headers={"Cookie": cookies}, origin=product.url, open_timeout=10)
    assert json.loads(socket.recv(timeout=5))["type"] == "hello"
    return client, socket


def test_logging_out_closes_the_sessions_sockets(product, no_traceback):
    client, socket = _browser(product)
    client.delete("/api/auth/session", headers={"X-CSRFToken": client.cookies["csrftoken"]})
    client.close()
    assert _closed_within(socket, CLOSED_WITHIN) == 4401


def test_a_password_change_closes_session_sockets_but_not_key_sockets(product, no_traceback):
    client, session_socket = _browser(product)
    key_socket = _socket(product, _key(product))
    code = (
        "from django.contrib.auth import get_user_model; u = get_user_model().objects.get(username='owner');"
        f"u.set_password({OWNER_PASSWORD!r}); u.save()"
    )
    product.manage("shell", "-c", code)
    assert _closed_within(session_socket, CLOSED_WITHIN) == 4401
    assert _alive(key_socket)
    key_socket.close()
    client.close()


def test_binary_and_pathological_frames_get_clear_answers(product, no_traceback):
    key = _key(product)
    socket = _socket(product, key)
    socket.send("[" * 10_000 + "]" * 10_000)
    assert json.loads(socket.recv(timeout=5))["error"] == "invalid_message"
    assert _alive(socket)
    socket.send(b"\x00\x01binary")
    assert _closed_within(socket, CLOSED_WITHIN) == 4415
    socket = _socket(product, key)
    socket.send("[" * 100_000 + "]" * 100_000)
    assert _closed_within(socket, CLOSED_WITHIN) == 4413


def test_the_connection_over_the_limit_is_told_to_wait(product, no_traceback):
    key = product.create_key("--limit", "ws:connect=5")
    for _ in range(5):
        _socket(product, key).close()
    over = connect(product.ws_url, additional_headers={"X-API-Key": key}, open_timeout=10)
    refusal = json.loads(over.recv(timeout=5))
    assert refusal["error"] == "rate_limited" and refusal["retry_after"] >= 1
    assert _closed_within(over, CLOSED_WITHIN) == 4429


def test_failed_keys_are_limited_without_locking_out_valid_ones(product, no_traceback):
    good = _key(product)
    with product.client("cv_abcdefgh_wrongsecret") as bad, product.client(good) as client:
        answers = [bad.get("/api/system/info").status_code for _ in range(35)]
        assert set(answers[:30]) == {401} and set(answers[30:]) == {429}
        assert client.get("/api/system/info").status_code == 200
        assert bad.get("/api/system/info").status_code == 429


def _archive(manifest: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", manifest)
    return buffer.getvalue()


def test_a_manifest_nested_ten_thousand_deep_is_400(product, no_traceback):
    nested = b'{"format": "clonyvoice", "format_version": 1, "voices": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    with product.client(_key(product)) as client:
        for path in ("/api/voices/import/preview", "/api/voices/import"):
            response = client.post(path, files={"file": ("deep.clonyvoice", _archive(nested), "application/zip")})
            assert response.status_code == 400, response.text
            assert response.json()["error"] == "invalid_manifest"
        assert client.get("/api/voices", params={"kind": "cloned"}).json()["count"] == 0


def test_text_with_nothing_speakable_is_400_and_starts_nothing(product, no_traceback):
    with product.client(_key(product)) as client:
        voices = client.get("/api/voices", params={"engine": "piper"}).json()["results"]
        for text in ("\u200b\u200b\u200d", "😀🎉👍🏽"):
            response = client.post("/api/generate/preset", json={"text": text, "voice_id": voices[0]["id"]})
            assert response.status_code == 400 and response.json()["error"] == "no_speakable_text"
        assert client.get("/api/generations").json()["count"] == 0


def _multipart(parts: int, *, files: bool) -> tuple[bytes, str]:
    boundary = "hardeningboundary"
    chunks = []
    for n in range(parts):
        filename = f'; filename="f{n}.wav"' if files else ""
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="p{n}"{filename}\r\n\r\nx\r\n')
    chunks.append(f"--{boundary}--\r\n")
    return "".join(chunks).encode(), f"multipart/form-data; boundary={boundary}"


def test_ten_thousand_multipart_parts_are_400_at_once(product, no_traceback):
    key = _key(product)
    with product.client(key) as client:
        voice = client.get("/api/voices", params={"engine": "piper"}).json()["results"][0]
        generation = client.post("/api/generate/preset", json={"text": "Hello.", "voice_id": voice["id"]}).json()
        paths = ["/api/voices/import", "/api/clone/create", "/api/transcribe"]
        paths.append(f"/api/timeline/{generation['task_id']}/import-track")
        for path in paths:
            for files in (False, True):
                body, content_type = _multipart(10_000, files=files)
                start = time.monotonic()
                response = client.post(path, content=body, headers={"Content-Type": content_type})
                assert time.monotonic() - start < 1.0, path
                assert response.status_code == 400, (path, response.text)
                # the clone endpoints count their samples themselves and say so
                assert response.json()["error"] in {"too_many_parts", "too_many_files"}, (path, response.text)


def test_a_declared_body_over_the_cap_is_413_from_the_headers_alone(product, no_traceback):
    key = _key(product)
    for path in ("/api/voices/import", "/api/clone/create", "/api/categories", "/no/such/route"):
        with socket.create_connection(("127.0.0.1", product.port), timeout=5) as conn:
            head = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {key}\r\n"
                f"Content-Type: application/octet-stream\r\nContent-Length: {600 * 1024 * 1024}\r\n\r\n"
            )
            conn.sendall(head.encode())  # and not one byte of the body
            answer = conn.recv(65536).decode()
        status_line, _, rest = answer.partition("\r\n")
        assert status_line.startswith("HTTP/1.1 413"), answer
        assert json.loads(rest.split("\r\n\r\n", 1)[1])["error"] == "too_large"
