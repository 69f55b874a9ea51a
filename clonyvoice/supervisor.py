"""Runs ClonyVoice's processes (embedded Redis, daphne, workers) as children of `serve`.

Children live in their own sessions so a terminal's Ctrl-C reaches only `serve`, which then stops
them in order: web and workers first (so workers can requeue their messages), Redis last. Each
child also gets SIGTERM if `serve` itself dies (PR_SET_PDEATHSIG), so no process is orphaned.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    stop_timeout: float = 30.0
    process: subprocess.Popen | None = None
    restarts: int = 0
    next_start: float = 0.0
    started_at: float = field(default=0.0)

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env, start_new_session=True, preexec_fn=_die_with_parent)
        self.started_at = time.monotonic()
        logger.info("started %s (pid %s)", self.name, self.process.pid)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, signum: int) -> None:
        if self.alive:
            assert self.process is not None
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signum)


class Supervisor:
    """Starts children, restarts any that die, and stops them all in reverse order of tiers."""

    def __init__(self) -> None:
        self.tiers: list[list[Child]] = []
        self.stopping = False

    def start_tier(self, children: list[Child], ready: Callable[[], bool] | None = None, timeout: float = 30) -> None:
        for child in children:
            child.start()
        self.tiers.append(children)
        if ready is None:
            return
        deadline = time.monotonic() + timeout
        while not ready():
            if any(not c.alive for c in children):
                raise RuntimeError(f"{', '.join(c.name for c in children)} exited during start-up")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{', '.join(c.name for c in children)} did not become ready in {timeout:.0f}s")
            time.sleep(0.1)

    def request_stop(self, signum: int = 0, frame: object = None) -> None:
        self.stopping = True

    def watch(self, poll: float = 0.5) -> None:
        """Block until asked to stop, restarting children that exit (with a growing back-off)."""
        while not self.stopping:
            now = time.monotonic()
            for child in (c for tier in self.tiers for c in tier):
                if child.alive or self.stopping:
                    continue
                if child.next_start == 0.0:
                    code = child.process.returncode if child.process else None
                    # A child that ran for a while earns a fresh back-off.
                    if now - child.started_at > 60:
                        child.restarts = 0
                    delay = min(30.0, 0.5 * 2**child.restarts)
                    logger.warning("%s exited with %s; restarting in %.1fs", child.name, code, delay)
                    child.next_start = now + delay
                elif now >= child.next_start:
                    child.restarts += 1
                    child.next_start = 0.0
                    child.start()
            time.sleep(poll)

    def stop(self) -> None:
        self.stopping = True
        for tier in reversed(self.tiers):
            for child in tier:
                child.signal(signal.SIGTERM)
            for child in tier:
                if child.process is None:
                    continue
                try:
                    child.process.wait(timeout=child.stop_timeout)
                except subprocess.TimeoutExpired:
                    logger.warning("%s did not stop in %.0fs; killing it", child.name, child.stop_timeout)
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(child.process.pid, signal.SIGKILL)
                    child.process.wait()
