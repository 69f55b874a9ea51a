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


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, after normalizing case and punctuation.

    An empty reference gives 0.0 for an empty hypothesis and 1.0 otherwise.
    """
    ref, hyp = normalize_words(reference), normalize_words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, hyp_word in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word))
        previous = current
    return previous[-1] / len(ref)
