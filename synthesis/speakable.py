"""What of a text can be spoken: every engine gets the same text, without invisible characters and emoji.

Zero-width spaces and joiners, direction marks and other format characters say nothing, and engines differ in
what they do with them (one fails, another speaks silence); emoji and other pictographs are read out by some
(eSpeak names them) and babbled by others. They are dropped before any engine sees the text, so a sentence
sounds the same whichever voice reads it, and a text with no letter or digit left is refused up front.
"""

from __future__ import annotations

import re
import unicodedata

# Other symbols (emoji, pictographs), modifier symbols (skin tones), format characters (zero-width, BOM,
# direction marks), private use and unassigned code points.
_DROPPED = {"So", "Sk", "Cf", "Co", "Cn", "Cs"}
_VARIATION_SELECTORS = range(0xFE00, 0xFE10)
_KEYCAP = "\u20e3"


def speakable(text: str) -> str:
    """`text` with what no engine should read dropped (a space where it separated words), trimmed."""
    kept = []
    for char in text:
        dropped = unicodedata.category(char) in _DROPPED or ord(char) in _VARIATION_SELECTORS or char == _KEYCAP
        kept.append(" " if dropped and unicodedata.category(char) in {"So", "Sk"} else "" if dropped else char)
    return re.sub(r" {2,}", " ", "".join(kept)).strip()


def has_speech(text: str) -> bool:
    """Whether `text` has a letter or a digit to say."""
    return any(unicodedata.category(char)[0] in "LN" for char in text)
