"""Dramatiq middleware for the in-process test broker."""

from __future__ import annotations

from dramatiq import Middleware


class AcceptTimeLimit(Middleware):
    """Accepts the `time_limit` actor option without enforcing it (see tests/settings.py)."""

    @property
    def actor_options(self) -> set[str]:
        return {"time_limit"}
