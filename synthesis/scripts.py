"""Reading scripts: `Alice: Hello` / `[Alice] Hello` lines, and guessing a segment's language."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_BRACKET = re.compile(r"^\s*\[(?P<name>[^\]\n]{1,60})\]\s*(?P<text>.*)$")
_COLON = re.compile(r"^\s*(?P<name>[^\s:][^:\n]{0,58}?)\s*:\s+(?P<text>.+)$")


@dataclass(frozen=True)
class Line:
    speaker: str
    text: str


def parse_script(script: str) -> list[Line]:
    """Speaker lines; a line without a speaker continues the previous one's text."""
    lines: list[Line] = []
    for raw in script.splitlines():
        if not raw.strip():
            continue
        match = _BRACKET.match(raw) or _COLON.match(raw)
        if match:
            lines.append(Line(speaker=match["name"].strip(), text=match["text"].strip()))
        elif lines:
            lines[-1] = Line(speaker=lines[-1].speaker, text=f"{lines[-1].text} {raw.strip()}")
        else:
            lines.append(Line(speaker="", text=raw.strip()))
    return [line for line in lines if line.text]


# Script → language for scripts that (nearly) belong to one language.
_SCRIPTS = {
    "CYRILLIC": "ru",
    "GREEK": "el",
    "HEBREW": "he",
    "ARABIC": "ar",
    "DEVANAGARI": "hi",
    "BENGALI": "bn",
    "THAI": "th",
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "CJK": "zh",
    "GEORGIAN": "ka",
    "ARMENIAN": "hy",
}
# Frequent words that tell Latin-script languages apart.
_STOPWORDS = {
    "en": "the and is are of to in that it you was for on with this have not",
    "de": "der die das und ist nicht ich sie ein eine zu mit auf den dem",
    "fr": "le la les et est une des pas que je vous il dans pour sur",
    "es": "el la los las y es una que no de en por para con se muy",
    "it": "il lo la gli e è una che non di per con sono della nel",
    "pt": "o a os as e é uma que não de em para com são do da",
    "nl": "de het een en is niet ik je van op met dat zijn voor",
    "pl": "i w na nie jest że się to z do jak co ale",
    "tr": "ve bir bu için ile de da ne çok değil ben sen",
    "sv": "och att det är en som på inte jag med för av",
    "cs": "a je to na se že v s jsem jak ale co",
    "id": "dan yang di ini itu tidak dengan untuk ke dari saya",
    "vi": "và là của có không một những được trong cho",
}
_STOPWORD_SETS = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}
# Letters and marks only one of these languages writes: each counts as two frequent words.
_OWN_MARKS = {"es": "ñ¿¡", "pt": "ãõ", "de": "ß", "fr": "œ"}
_UKRAINIAN = set("іїєґ")


def detect_language(text: str, default: str = "en") -> str:
    """A best guess from the writing system, then from frequent words for Latin-script text."""
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        script = next((key for key in _SCRIPTS if name.startswith(key)), "LATIN" if "LATIN" in name else "")
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return default
    script = max(counts, key=counts.__getitem__)
    if script == "CYRILLIC" and any(c in _UKRAINIAN for c in text.lower()):
        return "uk"
    if script in ("HIRAGANA", "KATAKANA") or (script == "CJK" and ("HIRAGANA" in counts or "KATAKANA" in counts)):
        return "ja"
    if script in _SCRIPTS:
        return _SCRIPTS[script]
    words = re.findall(r"\w+", text.lower())
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORD_SETS.items()}
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] > 0 else default


def detect_language_confident(text: str) -> str | None:
    """The language of `text` when the evidence is clear, else None.

    Clear means: most letters are in a script that belongs to one language (Cyrillic counts as Russian unless it
    has Ukrainian letters), or, for Latin script, at least two frequent words of one language and twice as many
    as of any other.
    """
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return None
    latin = sum("LATIN" in unicodedata.name(char, "") for char in letters)
    if latin * 2 < len(letters):
        guess = detect_language(text, default="")
        return guess or None
    lowered = text.lower()
    words = re.findall(r"\w+", lowered)
    scores = sorted(
        (
            (sum(w in stop for w in words) + 2 * sum(lowered.count(mark) for mark in _OWN_MARKS.get(lang, "")), lang)
            for lang, stop in _STOPWORD_SETS.items()
        ),
        reverse=True,
    )
    (best, language), (second, _) = scores[0], scores[1]
    return language if best >= 2 and best >= 2 * second else None


def _is_latin(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return sum("LATIN" in unicodedata.name(char, "") for char in letters) * 2 >= len(letters)


def detect_sentence_languages(sentences: list[str]) -> list[str | None]:
    """Each sentence's clear language (see `detect_language_confident`), or None.

    A sentence too short to tell on its own ("Hola.") takes the language of its nearest clear neighbour written in
    the same kind of script, earlier first: it reads like the sentences around it, and a Latin-script sentence never
    takes Russian from a Cyrillic one.
    """
    own = [detect_language_confident(sentence) for sentence in sentences]
    latin = [_is_latin(sentence) for sentence in sentences]
    found = list(own)
    for i, language in enumerate(own):
        if language is not None:
            continue
        near = sorted(range(len(sentences)), key=lambda j: (abs(j - i), j))
        found[i] = next((own[j] for j in near if own[j] is not None and latin[j] == latin[i]), None)
    return found
