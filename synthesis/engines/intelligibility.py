"""How intelligible each preset voice is in each language, as measured by `bench/voices.py`.

The bench speaks one fixed paragraph per language with every voice, transcribes it with the multilingual Whisper
model and writes word and character error rates to `intelligibility.json` beside this module (`--write`). Two
decisions follow from that file and from nothing else:
- which languages a Kokoro voice is offered in: those where it beats the best non-neural voice of the language;
- which voice is preferred for a language (defaults, "automatic", suggestions, the library's order).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RESULTS_FILE = Path(__file__).with_name("intelligibility.json")
# Languages written without spaces are compared by characters, the rest by words.
CHARACTER_LANGUAGES = {"ja", "zh"}
NEURAL = "neural"
# A voice this far off is not offered, whatever the others do.
MAX_ERROR = 0.5


@dataclass(frozen=True)
class Measure:
    engine: str
    voice: str
    language: str
    technology: str
    wer: float
    cer: float

    @property
    def error(self) -> float:
        """The error rate this language is judged by."""
        return self.cer if self.language.split("-")[0] in CHARACTER_LANGUAGES else self.wer

    @property
    def rank(self) -> tuple[float, float]:
        """The judged error rate, then the other one to break ties."""
        return (self.error, self.wer + self.cer - self.error)


@cache
def measures() -> tuple[Measure, ...]:
    try:
        rows = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        return ()
    return tuple(
        Measure(
            engine=row["engine"],
            voice=row["voice"],
            language=row["language"],
            technology=row.get("technology", ""),
            wer=float(row["wer"]),
            cer=float(row["cer"]),
        )
        for row in rows
    )


def _matches(measured: str, language: str) -> bool:
    wanted = language.lower()
    return measured == wanted or measured.split("-")[0] == wanted.split("-")[0]


def measure_of(engine: str, voice: str, language: str) -> Measure | None:
    """The measurement of a voice in a language (the exact tag first, else the same base language)."""
    found = [m for m in measures() if m.engine == engine and m.voice == voice and _matches(m.language, language)]
    exact = [m for m in found if m.language == language.lower()]
    pool = exact or found
    return min(pool, key=lambda m: m.rank) if pool else None


def best_classic_error(language: str) -> float | None:
    """The lowest error of any non-neural voice measured in exactly this language."""
    errors = [m.error for m in measures() if m.language == language and m.technology != NEURAL]
    return min(errors) if errors else None


def passes(engine: str, voice: str, language: str) -> bool:
    """Whether a neural voice is better than every non-neural voice measured in `language`."""
    measured = next((m for m in measures() if m.engine == engine and m.voice == voice and m.language == language), None)
    if measured is None:
        return False
    baseline = best_classic_error(language)
    return measured.error < min(baseline if baseline is not None else 1.0, MAX_ERROR)
