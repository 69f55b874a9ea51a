"""One port, two servers: the front door hands /ws to a daphne of its own and everything else to the HTTP one."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import time

import psutil
import pytest
import websockets

from tests.live.product import Product

pytestmark = pytest.mark.live


def _roles(product: Product) -> dict[str, psutil.Process]:
    """The serving processes by role: "front", "web" and "ws"."""
    roles = {}
    for proc in product.descendants():
        try:
            cmd = proc.cmdline()
        except psutil.NoSuchProcess:
            continue
        if "clonyvoice.frontdoor" in cmd:
            roles["front"] = proc
        elif "--handoff" in cmd:
            roles[cmd[cmd.index("--handoff") + 1].rsplit("-", 1)[-1]] = proc
    return roles


def _holder(product: Product, client_port: int) -> str | None:
    """Which server ("web" or "ws") holds the connection coming from `client_port`."""
    for role, proc in _roles(product).items():
        if any(c.raddr and c.raddr.port == client_port for c in proc.net_connections(kind="tcp")):
            return role
    return None


def _request(sock: socket.socket, path: str, key: str | None = None) -> bytes:
    headers = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (f"X-API-Key: {key}\r\n" if key else "") + "\r\n"
    sock.sendall(headers.encode())
    return _response(sock)


def _response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")), 0
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head.split(b"\r\n", 1)[0]


def _connect(product: Product) -> socket.socket:
    return socket.create_connection(("127.0.0.1", product.port), timeout=10)


def test_http_and_ws_share_the_port_and_are_served_by_their_own_processes(product, product_key):
    async def ws_client_port() -> tuple[int, str | None]:
        async with websockets.connect(product.ws_url, additional_headers={"X-API-Key": product_key}) as ws:
            assert json.loads(await ws.recv())["type"] == "hello"
            port = ws.transport.get_extra_info("sockname")[1]
            await ws.send(json.dumps({"type": "ping"}))
            assert json.loads(await ws.recv()) == {"type": "pong"}
            return port, _holder(product, port)

    ws_port, ws_holder = asyncio.run(ws_client_port())
    assert ws_holder == "ws"

    with _connect(product) as sock:
        http_port = sock.getsockname()[1]
        # Two requests on one keep-alive connection: the handed-over socket stays with its server.
        assert _request(sock, "/api/system/info", product_key) == b"HTTP/1.1 200 OK"
        assert _request(sock, "/api/queue/status", product_key) == b"HTTP/1.1 200 OK"
        assert _holder(product, http_port) == "web"
    # The servers see the client's own address, not the front door's.
    deadline = time.monotonic() + 5
    while f"127.0.0.1:{http_port} " not in product.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert f"127.0.0.1:{http_port} - - " in product.log()
    assert ws_port != http_port


def test_slow_broken_and_vanishing_clients_hold_up_no_one(product, product_key):
    slow = _connect(product)
    slow.sendall(b"GE")  # the first line arrives in pieces
    garbage = _connect(product)
    garbage.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n")  # a TLS hello, not HTTP
    for _ in range(20):
        _connect(product).close()  # connect and leave at once
    try:
        with _connect(product) as other:
            assert _request(other, "/api/system/info", product_key) == b"HTTP/1.1 200 OK"
        # daphne answers or drops what is not HTTP; either way the connection ends.
        garbage.settimeout(10)
        assert garbage.recv(4096).startswith((b"", b"HTTP/1.1 400"))
        slow.sendall(b"T /api/system/info HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert _response(slow) == b"HTTP/1.1 401 Unauthorized"
    finally:
        slow.close()
        garbage.close()


def test_a_killed_server_or_front_door_comes_back_and_the_others_keep_serving(product, product_key):
    with _connect(product) as kept:
        assert _request(kept, "/api/system/info", product_key) == b"HTTP/1.1 200 OK"

        os.kill(_roles(product)["front"].pid, signal.SIGKILL)
        # A connection already handed over belongs to its server, not to the front door.
        assert _request(kept, "/api/system/info", product_key) == b"HTTP/1.1 200 OK"

        os.kill(_roles(product)["ws"].pid, signal.SIGKILL)
        assert _request(kept, "/api/system/info", product_key) == b"HTTP/1.1 200 OK"

    async def hello() -> str:
        async with websockets.connect(product.ws_url, additional_headers={"X-API-Key": product_key}) as ws:
            return json.loads(await asyncio.wait_for(ws.recv(), 10))["type"]

    deadline = time.monotonic() + 60
    while True:
        try:
            assert asyncio.run(hello()) == "hello"
            break
        except (OSError, websockets.exceptions.WebSocketException, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    with _connect(product) as sock:
        assert _request(sock, "/api/system/info", product_key) == b"HTTP/1.1 200 OK"
    assert "front exited with -9; restarting" in product.log()
    assert "ws exited with -9; restarting" in product.log()
