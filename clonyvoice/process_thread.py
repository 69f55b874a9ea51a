"""One thread per process, running an event loop, for the sends that must not run on the caller's thread.

Job events and queue messages are sent from sync code. Through `async_to_sync` they would run on a new
event loop (and Redis connection) each time in a worker, and on the server's own loop in daphne, behind
every request in flight. And the RabbitMQ broker keeps a connection per thread, while Django runs each
request in a thread of its own.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class ProcessThread:
    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            # A forked child inherits the object but not the thread.
            if self._loop is None or self._pid != os.getpid():
                self._loop = asyncio.new_event_loop()
                self._pid = os.getpid()
                threading.Thread(target=self._loop.run_forever, name=self.name, daemon=True).start()
            return self._loop

    def run(self, coroutine: Coroutine[Any, Any, T], *, timeout: float) -> T:
        """Run `coroutine` on the thread and wait for it: sends from one caller keep their order."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self._running_loop())
        try:
            return future.result(timeout=timeout)
        except TimeoutError:
            future.cancel()
            raise

    def call(self, function: Callable[..., T], *args: Any, timeout: float) -> T:
        """Run a (short, blocking) function on the thread and wait for its result."""

        async def call() -> T:
            return function(*args)

        return self.run(call(), timeout=timeout)


sender = ProcessThread("clonyvoice-sender")
