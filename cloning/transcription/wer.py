"""Word error rate: how far a transcript is from the text that was spoken."""

from __future__ import annotations

import re
import unicodedata

# Typographic apostrophes (U+2019, U+2018, U+02BC) count as the plain one.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def normalize_words(text: str) -> list[str]:
    """Lower-case words without punctuation; digits and apostrophes inside words are kept."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    return [w.strip("'") for w in re.findall(r"[\w']+", text) if w.strip("'")]


def _error_rate(ref: list[str] | str, hyp: list[str] | str) -> float:
    """Edit distance (substitutions + deletions + insertions) over the reference's length; an empty reference
    gives 0.0 for an empty hypothesis and 1.0 otherwise."""
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, ref_item in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, hyp_item in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_item != hyp_item))
        previous = current
    return previous[-1] / len(ref)


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word errors over reference words, after normalizing case and punctuation."""
    return _error_rate(normalize_words(reference), normalize_words(hypothesis))


def normalize_chars(text: str) -> str:
    """Lower-case letters and digits only: what a character error rate compares (scripts without spaces)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def char_error_rate(reference: str, hypothesis: str) -> float:
    """Character errors over reference characters, spaces and punctuation left out."""
    return _error_rate(normalize_chars(reference), normalize_chars(hypothesis))
