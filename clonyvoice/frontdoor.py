"""The front door: accepts on the public port and hands each connection to the daphne that serves it.

`serve` runs two daphne processes: one for HTTP, one for /ws. In one process a busy Django view holds
the GIL for milliseconds at a time, and every step of a WebSocket event (Redis read, socket write)
waits for it; under load a progress event took seconds to reach its client. So /ws gets a process of
its own, and this small process (no Django) routes by the first request line: it peeks at it without
reading it, then passes the socket itself over a Unix socket (SCM_RIGHTS). The daphne that adopts it
reads the request from the start and sees the client's own address; no byte ever goes through here.

It also answers one request itself: a body declared (Content-Length) over the upload cap gets its 413 here,
from the headers alone. daphne reads a whole body before the application sees the request, so there the
answer would come only after every byte was sent.

    python -m clonyvoice.frontdoor --host H --port P --web NAME --ws NAME [--max-body BYTES]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import logging
import os
import re
import signal
import socket
import time
from pathlib import Path

logger = logging.getLogger("clonyvoice.frontdoor")

HEAD_MAX = 16384
HEAD_TIMEOUT = 30.0
REFUSAL_DRAIN = 1.0
_HTTP_REQUEST_LINE = re.compile(rb"^[A-Z]+ \S+ HTTP/1\.[01]$")
HANDOFF_TIMEOUT = 10.0
MAX_WAITING = 1024


def handoff_name(data_dir: Path, role: str) -> str:
    """An abstract Unix socket (Linux; written with a leading "@"): no file to go stale, one per data dir."""
    digest = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
    return f"@clonyvoice-{digest}-{role}"


def unix_address(name: str) -> str:
    return "\0" + name[1:] if name.startswith("@") else name


def route(first_line: bytes) -> str:
    """ "ws" for the /ws endpoint, "web" for everything else (daphne answers what is not HTTP)."""
    parts = first_line.split(b" ", 2)
    if len(parts) == 3 and parts[0] == b"GET":
        target = parts[1]
        if target == b"/ws" or target.startswith(b"/ws?"):
            return "ws"
    return "web"


async def _wait(loop: asyncio.AbstractEventLoop, sock: socket.socket, *, writable: bool) -> None:
    future = loop.create_future()
    fd = sock.fileno()
    add, remove = (loop.add_writer, loop.remove_writer) if writable else (loop.add_reader, loop.remove_reader)
    add(fd, lambda: future.done() or future.set_result(None))
    try:
        await future
    finally:
        remove(fd)


async def request_head(sock: socket.socket) -> bytes | None:
    """The request's first line and headers (or the first 16 KiB), left unread in the socket; None if the client
    left."""
    loop = asyncio.get_running_loop()
    while True:
        await _wait(loop, sock, writable=False)
        try:
            data = sock.recv(HEAD_MAX, socket.MSG_PEEK)
        except (BlockingIOError, InterruptedError):
            continue
        except OSError:
            return None
        if not data:
            return None
        if b"\r\n\r\n" in data or b"\n\n" in data or len(data) >= HEAD_MAX:
            return data
        if b"\n" in data and not _HTTP_REQUEST_LINE.match(first_line(data)):
            return data  # not HTTP: its server answers that, no need to wait for headers
        # What has arrived stays readable, so wait a little for the rest instead of spinning.
        await asyncio.sleep(0.01)


def first_line(head: bytes) -> bytes:
    return head.split(b"\r\n", 1)[0].split(b"\n", 1)[0]


def declared_length(head: bytes) -> int | None:
    """The Content-Length the headers declare, if they declare one that reads as a number."""
    for line in head.split(b"\n")[1:]:
        name, colon, value = line.partition(b":")
        if colon and name.strip().lower() == b"content-length":
            try:
                return int(value.strip())
            except ValueError:
                return None
        if not line.strip():
            break
    return None


def too_large_response(max_body: int) -> bytes:
    body = json.dumps(
        {"error": "too_large", "detail": f"The upload is larger than the {max_body // (1024 * 1024)} MB limit."}
    ).encode()
    head = (
        "HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


class Backend:
    """One daphne's hand-off socket, kept open and reconnected when that daphne restarts."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.sock: socket.socket | None = None
        self.lock = asyncio.Lock()

    async def hand_over(self, client: socket.socket) -> bool:
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + HANDOFF_TIMEOUT
        async with self.lock:
            while time.monotonic() < deadline:
                try:
                    if self.sock is None:
                        self.sock = await self._connect(loop)
                    while True:
                        try:
                            socket.send_fds(self.sock, [b"\0"], [client.fileno()])
                            return True
                        except BlockingIOError:
                            await asyncio.wait_for(_wait(loop, self.sock, writable=True), deadline - time.monotonic())
                except (OSError, TimeoutError):
                    self._drop()
                    await asyncio.sleep(0.1)
        return False

    async def _connect(self, loop: asyncio.AbstractEventLoop) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.setblocking(False)
        try:
            await loop.sock_connect(sock, unix_address(self.address))
        except OSError:
            sock.close()
            raise
        return sock

    def _drop(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class FrontDoor:
    def __init__(self, listener: socket.socket, backends: dict[str, Backend], max_body: int = 0) -> None:
        self.listener = listener
        self.backends = backends
        self.max_body = max_body
        self.waiting: set[asyncio.Task] = set()

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            client, _addr = await loop.sock_accept(self.listener)
            if len(self.waiting) >= MAX_WAITING:
                client.close()
                continue
            task = loop.create_task(self._dispatch(client))
            self.waiting.add(task)
            task.add_done_callback(self.waiting.discard)

    async def _dispatch(self, client: socket.socket) -> None:
        try:
            head = await asyncio.wait_for(request_head(client), HEAD_TIMEOUT)
            if head is not None:
                length = declared_length(head)
                if self.max_body and length is not None and length > self.max_body:
                    await self._refuse(client)
                    return
                role = route(first_line(head))
                if not await self.backends[role].hand_over(client):
                    logger.warning("no %s server took a connection within %.0fs", role, HANDOFF_TIMEOUT)
        except TimeoutError:
            pass
        finally:
            # The server that took it holds its own descriptor; this one only goes away.
            client.close()

    async def _refuse(self, client: socket.socket) -> None:
        """413 from the headers; then read and drop what the client already sent for a moment, so that closing
        does not reset the connection before the client has read the answer."""
        loop = asyncio.get_running_loop()
        with contextlib.suppress(OSError, TimeoutError):
            await loop.sock_sendall(client, too_large_response(self.max_body))
            client.shutdown(socket.SHUT_WR)
            deadline = loop.time() + REFUSAL_DRAIN
            while loop.time() < deadline:
                if not await asyncio.wait_for(loop.sock_recv(client, 65536), deadline - loop.time()):
                    break


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host.strip("[]"), port), family=family, backlog=1024)
    listener.setblocking(False)
    return listener


async def main(host: str, port: int, web: str, ws: str, max_body: int = 0) -> None:
    listener = listen(host, port)
    door = FrontDoor(listener, {"web": Backend(web), "ws": Backend(ws)}, max_body)
    task = asyncio.create_task(door.serve())
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, task.cancel)
    with contextlib.suppress(asyncio.CancelledError):
        await task
    listener.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Route connections to the HTTP and /ws servers.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--web", required=True, help="hand-off socket of the HTTP server")
    parser.add_argument("--ws", required=True, help="hand-off socket of the /ws server")
    parser.add_argument("--max-body", type=int, default=0, help="413 for a declared body over this (0: no cap)")
    args = parser.parse_args()
    logging.basicConfig(
        level=os.environ.get("CLONYVOICE_LOG_LEVEL", "INFO"), format="%(levelname)s %(name)s %(message)s"
    )
    asyncio.run(main(args.host, args.port, args.web, args.ws, args.max_body))
