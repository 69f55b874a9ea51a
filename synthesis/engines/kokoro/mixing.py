"""Voice mixes: a weighted sum of Kokoro style tables, written as `jf_alpha*0.7+jm_kumo*0.3`.

The formula is the mixed voice's engine voice id, so a mix is stored, exported and imported like any voice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from synthesis.engines.base import EngineError

if TYPE_CHECKING:
    import numpy as np

MAX_COMPONENTS = 8
_TERM = re.compile(r"^(?P<name>[a-z][a-z0-9_]{0,63})(?:\*(?P<weight>\d+(?:\.\d+)?))?$")


def normalized(components: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    """Weights scaled to sum to 1, same names merged, in a stable order. Raises EngineError when impossible."""
    if not components:
        raise EngineError("A mix needs at least one voice.")
    if len(components) > MAX_COMPONENTS:
        raise EngineError(f"A mix takes at most {MAX_COMPONENTS} voices; it has {len(components)}.")
    merged: dict[str, float] = {}
    for name, weight in components:
        if not math.isfinite(weight) or weight < 0:
            raise EngineError(f"The weight of {name!r} must be a number ≥ 0.")
        merged[name] = merged.get(name, 0.0) + weight
    total = sum(merged.values())
    if total <= 0:
        raise EngineError("The weights of a mix must add up to more than 0.")
    return [(name, round(weight / total, 4)) for name, weight in merged.items() if weight > 0]


def formula(components: Sequence[tuple[str, float]]) -> str:
    """`jf_alpha*0.7+jm_kumo*0.3` for normalized components."""
    return "+".join(f"{name}*{weight:g}" for name, weight in normalized(components))


def parse(text: str) -> list[tuple[str, float]]:
    """The components of a formula; a single name is a plain voice (weight 1)."""
    components = []
    for term in text.replace(" ", "").split("+"):
        match = _TERM.match(term)
        if match is None:
            raise EngineError(f"{term!r} is not a Kokoro voice or a `name*weight` term.")
        components.append((match["name"], float(match["weight"] or 1.0)))
    return normalized(components)


def blend(tables: Mapping[str, np.ndarray], components: Sequence[tuple[str, float]]) -> np.ndarray:
    """The weighted sum of the components' style tables."""
    missing = [name for name, _ in components if name not in tables]
    if missing:
        raise EngineError(f"Kokoro has no voice {', '.join(map(repr, missing))}.")
    return sum(tables[name] * weight for name, weight in components)
