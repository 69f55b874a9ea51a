# ruff: noqa: RUF001, RUF003
# Multilingual on purpose: non-ASCII letters and punctuation are data here.
"""Boundary finding for :mod:`synthesis.textsplit`: paragraphs, lines, sentences and max-length cuts.

Everything works on ``(start, end)`` offsets into the original string so chunks map back exactly.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from .rules import TIGHT_TERMINATORS, Rules

Span = tuple[int, int]

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")
# Adjacent to a terminator any quote closes; after a space only unambiguous closers do ("Arrête ! » Puis").
_CLOSERS = "\"'”’»«›‹“„」』）)]】〉》〕｝}"
_SPACED_CLOSERS = "»›」』）)]】〉》"
_OPENERS = "\"'“”„‘’«»‹›「『（([【〈《〔｛{¿¡—–-"
_CLAUSE = ",;:—–!?…،؛·\u0387"
_WIDE_CLAUSE = "、，；：。！？…｡"
_URL_SEPARATORS = "/-_.?&=#@,;:"
# Spaces that mean "do not break here" (French "10 km", "Mr. Smith").
_GLUE_SPACES = "\u00a0\u202f\u2007"
_DOTTED_ACRONYM = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
_VERSE_WIDTH = 60
_NON_SPACE = re.compile(r"\S")


def is_break_space(ch: str) -> bool:
    return ch.isspace() and ch not in _GLUE_SPACES


def paragraphs(text: str) -> Iterator[Span]:
    """Blank lines (possibly holding spaces) always separate chunks."""
    start = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def lines(text: str, s: int, e: int, rules: Rules) -> Iterator[Span]:
    """Split a paragraph at single newlines that look like line ends of verse, lists, letters or headings.

    A newline ends a sentence when the line before it is short (<= 60 columns in a paragraph of short lines, or under
    60% of the widest line in a paragraph of long, wrapped lines), does not end in "." or "-" (left to the sentence
    rules / hyphenation) and the next line does not start in lower case. Thai has no sentence punctuation, so there
    every newline counts.
    """
    bounds = [s] + [s + i for i, ch in enumerate(text[s:e]) if ch == "\n"] + [e]
    if len(bounds) == 2:
        yield s, e
        return
    rows = [text[a:b].strip() for a, b in itertools.pairwise(bounds)]
    widest = max(_width(r) for r in rows)
    start = s
    for i in range(1, len(bounds) - 1):
        prev, nxt = rows[i - 1], rows[i].lstrip(_OPENERS)
        if not prev or not nxt:
            continue
        if not rules.no_punctuation:
            w = _width(prev)
            short = w <= _VERSE_WIDTH if widest <= _VERSE_WIDTH else w < 0.6 * widest
            if not short or prev[-1] in ".-" or nxt[0].islower():
                continue
        yield start, bounds[i]
        start = bounds[i]
    yield start, e


@lru_cache(maxsize=8)
def _terminator_run(terminators: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(terminators)}]+")


def _is_emojiish(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk") or ch in "\u200d\ufe0f\u20e3"


def _extend(text: str, i: int, e: int, terminators: str) -> tuple[int, bool]:
    """Swallow closing quotes/brackets (and terminators after them) that follow a terminator run at ``i``."""
    closed = False
    while True:
        j = i
        while j < e and text[j] in _CLOSERS:
            j += 1
        if j == i:
            k = i
            while k < e and k - i < 2 and text[k] in " \u00a0\u202f\u2009":
                k += 1
            if i < k < e and text[k] in _SPACED_CLOSERS and (k + 1 >= e or not text[k + 1].isalnum()):
                j = k + 1
        if j == i:
            break
        closed = True
        i = j
        while i < e and text[i] in terminators:
            i += 1
    # A trailing emoji belongs to the sentence it follows ("Great! 😀 Next.").
    k = last = i
    while k < e and (text[k] in " \t" or _is_emojiish(text[k])):
        k += 1
        if not text[k - 1].isspace():
            last = k
    if last > i and text[i] in " \t" and (last >= e or text[last].isspace()):
        i = last
    return i, closed


def sentences(text: str, s: int, e: int, rules: Rules) -> Iterator[Span]:
    """Split ``text[s:e]`` after terminators that really end a sentence."""
    start = last = checked = s
    spoken = False
    for m in _terminator_run(rules.terminators).finditer(text, s, e):
        if m.start() < last:
            continue
        end, closed = _extend(text, m.end(), e, rules.terminators)
        last = end
        if not spoken:
            spoken, checked = any(ch.isalnum() for ch in text[checked : m.start()]), m.start()
        if spoken and _ends_sentence(text, start, m.start(), m.end(), end, e, rules, closed):
            yield start, end
            start = checked = end
            spoken = False  # never emit a chunk of bare punctuation ("... Next")
    yield start, e


def _ends_sentence(text: str, seg: int, rs: int, re_: int, end: int, e: int, rules: Rules, closed: bool) -> bool:
    run = text[rs:re_]
    if not _NON_SPACE.search(text, end, e):
        return False  # the rest of the line is the tail of this sentence anyway
    nxt = text[end]
    tight = any(ch in TIGHT_TERMINATORS for ch in run)
    if not is_break_space(nxt):
        if tight:
            if closed and nxt.isalnum():
                return False  # 「こんにちは。」と言った
            if run == "．" and nxt.isdigit():
                return False
            return nxt not in _CLAUSE + _WIDE_CLAUSE
        # Unspaced "!"/"?" still end a sentence before CJK text; otherwise "3.14", "e.g.", URLs, mails, "v2.0".
        return bool(set(run) & set("!?")) and unicodedata.east_asian_width(nxt) in "WF"
    k = end
    while k < e and (text[k].isspace() or text[k] in _OPENERS):
        k += 1
    if k >= e:
        return True
    first = text[k]
    if first.islower() or first in ",;:":
        return False  # "Well... maybe", "“Stop!” he said", «Стой!» — сказал он
    if run != ".":
        return True
    return _period_ends(text, seg, rs, k, rules)


def _period_ends(text: str, seg: int, dot: int, k: int, rules: Rules) -> bool:
    """Decide a lone "." followed by a space and a non-lower-case character at ``k``."""
    t = dot
    while t > seg and not text[t - 1].isspace():
        t -= 1
    word = text[t:dot].lstrip(_OPENERS)
    if not word:
        return True
    first = text[k]
    following = text[k : k + 20].split(maxsplit=1)[0].strip(".,;:!?\"')»”")
    prev = text[max(seg, t - 40) : t].split()
    cands = [word + "."]
    for n in (1, 2):
        if len(prev) >= n and all(p.endswith(".") for p in prev[-n:]):
            cands.append("".join(prev[-n:]).lstrip(_OPENERS) + word + ".")
    if any(rules.before_digit_only(c) for c in cands):
        return not first.isdigit()
    if rules.year_marker(cands[0]) and prev and prev[-1].isdigit():
        return first.isupper()  # "в 1999 г. Потом" ends, "г. Москва" does not
    for cand in cands:
        if rules.is_abbreviation(cand):
            return rules.endable(cand) and first.isupper()
    if len(word) == 1 and word.isalpha():
        return False  # initials ("J. R. R. Tolkien") and one-letter abbreviations
    if _DOTTED_ACRONYM.fullmatch(word):
        return False  # "U.S.", "Ph.D."
    if word.isdigit() and len(word) <= 3:
        before = text[seg:t].strip()
        if not before or before[-1] == ":":
            return False  # list markers: "1. Open the box. 2. Take it out."
        if rules.strict_german_ordinals or rules.german_month(following):
            return False  # "am 3. Oktober", "im 2. Weltkrieg"
    return True


# ---- max_chars cuts --------------------------------------------------------------------------------------------------


def _safe(text: str, p: int) -> bool:
    """True when a cut before ``text[p]`` does not break a grapheme cluster (combining marks, ZWJ, flags, ...)."""
    ch, prev = text[p], text[p - 1]
    cp, pcp = ord(ch), ord(prev)
    if unicodedata.category(ch) in ("Mn", "Mc", "Me") or unicodedata.combining(prev) == 9:  # 9: virama
        return False
    if ch in "\u200d\u200c\u20e3" or prev in "\u200d" or 0xFE00 <= cp <= 0xFE0F or 0xE0000 <= cp <= 0xE01EF:
        return False
    if 0x1F3FB <= cp <= 0x1F3FF or 0xDC00 <= cp <= 0xDFFF or 0x0E40 <= pcp <= 0x0E44 or (prev, ch) == ("\r", "\n"):
        return False
    if 0x1F1E6 <= cp <= 0x1F1FF and 0x1F1E6 <= pcp <= 0x1F1FF:
        run = 0
        while p - run - 1 >= 0 and 0x1F1E6 <= ord(text[p - run - 1]) <= 0x1F1FF:
            run += 1
        return run % 2 == 0  # regional indicators pair up into flags
    return True


def _clause_cut(text: str, p: int) -> bool:
    prev = text[p - 1]
    if prev in _WIDE_CLAUSE:
        return _safe(text, p)
    return prev in _CLAUSE and is_break_space(text[p])


def _char_cut(text: str, s: int, limit: int) -> int:
    def wide(ch: str) -> bool:
        return unicodedata.east_asian_width(ch) in "WF" or 0x0E00 <= ord(ch) <= 0x0E7F

    tests = (
        lambda p: text[p - 1] in _URL_SEPARATORS and not (text[p - 1].isdigit() or text[p].isdigit()),
        lambda p: (wide(text[p - 1]) or wide(text[p])) and not (text[p - 1].isdigit() and text[p].isdigit()),
        lambda p: not (text[p - 1].isdigit() and text[p].isdigit()),
        lambda p: True,
    )
    for test in tests:
        for p in range(limit, s, -1):
            if _safe(text, p) and test(p):
                return p
    return limit


def cuts(text: str, s: int, e: int, max_chars: int) -> Iterator[Span]:
    """Cut an over-long sentence: clause punctuation, else whitespace, else between characters (CJK, Thai, URLs)."""
    while True:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s <= max_chars:
            if e > s:
                yield s, e
            return
        limit = s + max_chars  # a cut at p keeps text[s:p]; text[limit] itself goes to the next piece
        punct = next((p for p in range(limit, s, -1) if _clause_cut(text, p)), None)
        space = next((p for p in range(limit, s, -1) if is_break_space(text[p])), None)
        if punct is not None and punct - s >= 0.4 * max_chars:
            p = punct
        elif space is not None and e - s <= 2 * max_chars:
            # The last two pieces: cut near the middle rather than leave a two-word orphan.
            mid = (s + e) / 2
            fits = [q for q in range(max(s + 1, e - max_chars), limit + 1) if is_break_space(text[q])]
            p = min(fits, key=lambda q: abs(q - mid)) if fits else space
        else:
            p = space or punct or _char_cut(text, s, limit)
        q = p
        while q > s and text[q - 1].isspace():
            q -= 1
        yield s, q
        s = p
