# ruff: noqa: RUF001, RUF002, RUF003
# Multilingual on purpose: non-ASCII letters and punctuation are data here.
"""The first piece of a streamed generation: its first sentence cut short at a natural place.

A stream starts once its first piece is spoken, and an engine takes about as long as the audio it makes; a short
first piece is a sooner start. The cut is made, in order of preference:

* after clause punctuation (``, ; : — –``, a spaced hyphen, ``…``, a ``!``/``?`` the sentence goes on after;
  ``、，`` in Chinese and Japanese) within the first few words;
* else between two words after four to six of them (three before a phrase's first word), best before a
  conjunction, preposition or article of the sentence's language and never right after one; never after a word
  ending in a lone dot (an abbreviation, an initial, an ordinal), never between the digit groups of a number
  ("10 000"), never at a non-breaking space;
* Chinese and Japanese have no spaces to tell words apart: there only clause punctuation cuts.

A sentence that is already short, or has no such place, stays whole.
"""

from __future__ import annotations

import unicodedata

from .rules import detect, normalize_language
from .segment import is_break_space

SHORT_WORDS = 6  # a sentence of at most this many words (or SHORT_CHARS characters) is spoken whole
SHORT_CHARS = 30
CLAUSE_WORDS = (2, 6)  # a clause cut leaves this many words in the first piece
CUT_WORDS = (4, 6)  # ...a cut between words, this many (or PHRASE_WORDS before a phrase's first word)
PHRASE_WORDS = 3
MIN_REST_WORDS = 2
UNSPACED_SHORT_CHARS = 20
UNSPACED_HEAD_CHARS = (4, 16)

_CLAUSE_ENDS = ",;:—–…،؛·\u0387"
_DASHES = ("-", "--", "—", "–")
_WIDE_CLAUSE = "、，；：､"
_CLOSERS = "\"'”’»«›‹“„」』）)]】〉》〕｝}"
_OPENERS = "\"'“”„‘’«»‹›「『（([【〈《〔｛{¿¡"
_UNSPACED_LANGUAGES = ("ja", "zh")

# Words that start a phrase (conjunctions, prepositions, articles): a cut before one is a natural pause, a cut
# right after one leaves it hanging.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "a an the and or but nor so yet for of to in on at by with from into onto over under about after "
        "before while when where which who whom whose that because as if than though although until",
        "ru": "и а но или да в во на с со к ко по за из от до для о об обо при про у над под без через что чтобы "
        "как когда где если который которая которое которые потому чем",
        "uk": "і й та а але або чи в у на з із зі до від для по за про при над під без через що щоб як коли де "
        "якщо який яка яке які бо ніж",
        "de": "der die das den dem des ein eine einen einem einer und oder aber denn sondern dass weil wenn als ob "
        "in im an am auf aus bei mit nach von vom zu zum zur für über unter vor hinter neben zwischen durch gegen "
        "ohne um",
        "fr": "le la les un une des du de et ou mais donc car que qui quand si comme dans en à au aux sur sous "
        "avec pour par sans chez vers entre",
        "es": "el la los las un una unos unas y e o u pero que quien cuando si como en a al de del con por para "
        "sin sobre entre hasta desde",
        "it": "il lo la i gli le un uno una e o ma che chi quando se come in a al di del della da dal con per su "
        "tra fra",
        "pt": "o a os as um uma e ou mas que quando se como em no na nos nas ao de do da dos das com por para sem "
        "sobre entre",
        "nl": "de het een en of maar dat die wie als wanneer omdat in op aan bij met van voor naar door over "
        "onder uit tot",
        "pl": "i a ale lub albo czy że żeby gdy kiedy jak który która które w we na z ze do od dla po za przy nad "
        "pod bez przez o u",
        "cs": "a i ale nebo že aby když jak který která které v ve na s se z ze do od pro po za při nad pod bez "
        "přes o u",
        "sv": "en ett och eller men att som när om i på av med från till för under över efter innan",
    }.items()
}


def head_cut(text: str, *, language: str | None = None) -> int | None:
    """Where the first piece of the sentence `text` ends (an offset into it), or None to speak it whole."""
    lang = normalize_language(language)
    script, guessed = detect(text)
    lang = lang or guessed
    if lang in _UNSPACED_LANGUAGES or (lang is None and script == "Han"):
        return _unspaced_cut(text)
    tokens = _tokens(text)
    words = [_is_word(text[s:e]) for s, e in tokens]
    total = sum(words)
    if total <= SHORT_WORDS or len(text.strip()) <= SHORT_CHARS:
        return None
    function = _FUNCTION_WORDS.get(lang or "", frozenset())
    clause: int | None = None
    best: tuple[int, int] | None = None  # (score, offset)
    seen = 0
    for i in range(len(tokens) - 1):
        seen += words[i]
        if total - seen < MIN_REST_WORDS or seen > max(CLAUSE_WORDS[1], CUT_WORDS[1]):
            break
        (s, e), (ns, ne) = tokens[i], tokens[i + 1]
        token, following = text[s:e], text[ns:ne]
        if not _is_word(following):
            continue  # a dash or a quote goes with the words before it
        if CLAUSE_WORDS[0] <= seen <= CLAUSE_WORDS[1] and _ends_clause(token):
            clause = e
            break
        if not words[i] or not PHRASE_WORDS <= seen <= CUT_WORDS[1] or not _may_cut(token, following):
            continue
        score = _score(token, following, function)
        if seen < CUT_WORDS[0] and score:
            continue
        if best is None or score < best[0]:
            best = (score, e)
    if clause is not None:
        return clause
    return best[1] if best is not None else None


def _tokens(text: str) -> list[tuple[int, int]]:
    """The runs of text between breaking spaces (a non-breaking space holds its words together)."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    for i, ch in enumerate(text):
        if is_break_space(ch):
            if start is not None:
                out.append((start, i))
                start = None
        elif start is None:
            start = i
    if start is not None:
        out.append((start, len(text)))
    return out


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def _bare(token: str) -> str:
    return token.strip(_OPENERS + _CLOSERS)


def _ends_clause(token: str) -> bool:
    core = token.rstrip(_CLOSERS)
    return token in _DASHES or core.endswith("..") or (bool(core) and core[-1] in _CLAUSE_ENDS + "!?")


def _may_cut(token: str, following: str) -> bool:
    core = token.rstrip(_CLOSERS)
    if core.endswith(".") and not core.endswith(".."):
        return False  # "Mr. Smith", "т. е.", "J. R. R.", "am 3. Oktober"
    last = next((ch for ch in reversed(core) if ch.isalnum()), "")
    first = next((ch for ch in following if ch.isalnum()), "")
    return not (last.isdigit() and first.isdigit())  # "10 000", "1 234 567"


def _score(token: str, following: str, function: frozenset[str]) -> int:
    """0: before a phrase's first word; 1: between two ordinary words; 2: right after a function word or a number."""
    previous = _bare(token).lower()
    if previous in function or any(ch.isdigit() for ch in previous):
        return 2
    return 0 if _bare(following).lower() in function else 1


def _unspaced_cut(text: str) -> int | None:
    """Chinese and Japanese: only after an ideographic comma or clause mark, never between characters."""
    if _letters(text) <= UNSPACED_SHORT_CHARS:
        return None
    lo, hi = UNSPACED_HEAD_CHARS
    for i, ch in enumerate(text):
        if ch in _WIDE_CLAUSE or (ch in _CLAUSE_ENDS and i + 1 < len(text) and is_break_space(text[i + 1])):
            head = _letters(text[:i])
            if head > hi:
                return None
            if head >= lo and _letters(text[i + 1 :]) >= MIN_REST_WORDS:
                return i + 1
    return None


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum() or unicodedata.category(ch).startswith("M"))
