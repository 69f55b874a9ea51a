# ruff: noqa: RUF002
# Multilingual on purpose: non-ASCII letters and punctuation are data here.
"""Split text into sentence-sized chunks for per-sentence TTS.

Pure Python (``re``/``unicodedata`` only). Every :class:`Chunk` carries offsets into the original string, so
``text[c.start:c.end].strip() == c.text`` always holds.

Boundaries, strongest first:

* blank lines (paragraph breaks) always end a chunk;
* single newlines end a sentence in verse-, list- or letter-like text and after headings (see
  :func:`synthesis.textsplit.segment.lines`); elsewhere they are ordinary spaces, so hard-wrapped prose stays whole;
* terminators ``. ! ? …`` (and runs such as ``?!``/``...``), CJK ``。！？``, danda ``। ॥``, Arabic ``؟ ۔``, Armenian
  ``։``, Greek ``;``, taking any closing quotes/brackets with them; abbreviations, initials, numbers, URLs, e-mails,
  list markers and a following lower-case word veto the split;
* sentences longer than ``max_chars`` are cut at clause punctuation, then whitespace, then (CJK, Thai, very long
  tokens) between grapheme clusters.
"""

from __future__ import annotations

from dataclasses import dataclass

from .head import head_cut
from .rules import SUPPORTED_LANGUAGES, detect, normalize_language, rules_for
from .segment import cuts, lines, paragraphs, sentences

__all__ = ["MAX_CHARS_RANGE", "SUPPORTED_LANGUAGES", "Chunk", "split_head", "split_text"]

MAX_CHARS_RANGE = (20, 5000)


@dataclass(frozen=True)
class Chunk:
    """One sentence (or piece of an over-long sentence) of the input."""

    index: int
    text: str
    start: int
    end: int
    language: str | None = None


def split_text(text: str, *, language: str | None = None, max_chars: int = 300) -> list[Chunk]:
    """Split ``text`` into sentence chunks of at most ``max_chars`` characters.

    ``language`` is a code from :data:`SUPPORTED_LANGUAGES` (regional forms such as ``"pt-BR"`` are accepted).
    ``None``, ``""`` or ``"auto"`` infer the script per paragraph and pick matching rules; so does any other code
    (a voice may speak a language without rules here), which is still reported as the chunks' language.
    ``Chunk.language`` is the given language's primary subtag, else the guess for the chunk's paragraph (``None``
    when a Latin-script paragraph is too short or ambiguous to tell).

    Raises ``ValueError`` for a ``max_chars`` outside 20..5000 and ``TypeError`` when ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    lo, hi = MAX_CHARS_RANGE
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or not lo <= max_chars <= hi:
        raise ValueError(f"max_chars must be an integer between {lo} and {hi}, got {max_chars!r}")
    lang = normalize_language(language)
    chunks: list[Chunk] = []
    for ps, pe in paragraphs(text):
        if not text[ps:pe].strip():
            continue
        known = lang in SUPPORTED_LANGUAGES
        script, guessed = (None, lang) if known else detect(text[ps:pe])
        rules = rules_for(lang if known else None, script, guessed)
        for ls, le in lines(text, ps, pe, rules):
            for ss, se in sentences(text, ls, le, rules):
                for cs, ce in cuts(text, ss, se, max_chars):
                    chunks.append(Chunk(len(chunks), text[cs:ce], cs, ce, lang or guessed))
    return chunks


def split_head(sentence: str, *, language: str | None = None) -> tuple[str, str] | None:
    """A long ``sentence`` as a short first piece and the rest (a stream starts sooner), else ``None``.

    The cut prefers clause punctuation, else a word boundary after a few words (see :mod:`synthesis.textsplit.head`);
    ``head + " " + rest`` says the sentence again with its spaces at the cut folded into one.
    """
    cut = head_cut(sentence, language=language)
    if cut is None:
        return None
    head, rest = sentence[:cut].strip(), sentence[cut:].strip()
    return (head, rest) if head and rest else None
