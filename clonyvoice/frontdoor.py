"""The front door: accepts on the public port and hands each connection to the daphne that serves it.

`serve` runs two daphne processes: one for HTTP, one for /ws. In one process a busy Django view holds
the GIL for milliseconds at a time, and every step of a WebSocket event (Redis read, socket write)
waits for it; under load a progress event took seconds to reach its client. So /ws gets a process of
its own, and this small process (no Django) routes by the first request line: it peeks at it without
reading it, then passes the socket itself over a Unix socket (SCM_RIGHTS). The daphne that adopts it
reads the request from the start and sees the client's own address; no byte ever goes through here.

    python -m clonyvoice.frontdoor --host H --port P --web NAME --ws NAME
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import logging
import os
import signal
import socket
import time
from pathlib import Path

logger = logging.getLogger("clonyvoice.frontdoor")

FIRST_LINE_MAX = 8192
FIRST_LINE_TIMEOUT = 30.0
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


async def first_line(sock: socket.socket) -> bytes | None:
    """The request's first line (or the first 8 KiB), left unread in the socket; None if the client left."""
    loop = asyncio.get_running_loop()
    while True:
        await _wait(loop, sock, writable=False)
        try:
            data = sock.recv(FIRST_LINE_MAX, socket.MSG_PEEK)
        except (BlockingIOError, InterruptedError):
            continue
        except OSError:
            return None
        if not data:
            return None
        if b"\n" in data or len(data) >= FIRST_LINE_MAX:
            return data.split(b"\r\n", 1)[0].split(b"\n", 1)[0]
        # What has arrived stays readable, so wait a little for the rest instead of spinning.
        await asyncio.sleep(0.01)


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
    def __init__(self, listener: socket.socket, backends: dict[str, Backend]) -> None:
        self.listener = listener
        self.backends = backends
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
            line = await asyncio.wait_for(first_line(client), FIRST_LINE_TIMEOUT)
            if line is not None:
                role = route(line)
                if not await self.backends[role].hand_over(client):
                    logger.warning("no %s server took a connection within %.0fs", role, HANDOFF_TIMEOUT)
        except TimeoutError:
            pass
        finally:
            # The server that took it holds its own descriptor; this one only goes away.
            client.close()


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host.strip("[]"), port), family=family, backlog=1024)
    listener.setblocking(False)
    return listener


async def main(host: str, port: int, web: str, ws: str) -> None:
    listener = listen(host, port)
    door = FrontDoor(listener, {"web": Backend(web), "ws": Backend(ws)})
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
    args = parser.parse_args()
    logging.basicConfig(
        level=os.environ.get("CLONYVOICE_LOG_LEVEL", "INFO"), format="%(levelname)s %(name)s %(message)s"
    )
    asyncio.run(main(args.host, args.port, args.web, args.ws))
