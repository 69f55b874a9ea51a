"""Imports the engine modules so that they register. Keep this list the only place naming them."""

from __future__ import annotations

import importlib

ENGINE_MODULES: list[str] = [
    "synthesis.engines.piper",
    "synthesis.engines.kokoro",
    "synthesis.engines.espeak",
    "synthesis.engines.festival",
    "synthesis.engines.vits",
    "synthesis.engines.pocket",
    "synthesis.engines.matching",
]


def load_all() -> None:
    for module in ENGINE_MODULES:
        importlib.import_module(module)
