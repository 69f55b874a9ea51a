"""The Russian words the UI shows for fixed tags, genders and technologies (frontend/src/i18n/ru.ts), so that a
search typed in the UI's language finds what the cards say: "мужской" finds male voices, "нейро" neural ones."""

from __future__ import annotations

RUSSIAN = {
    "мужской": "male",
    "мужчина": "male",
    "женский": "female",
    "женщина": "female",
    "нейтральный": "neutral",
    "нейросетевой": "neural",
    "формантный": "formant",
    "роботизированный": "robotic",
    "дифонный": "diphone",
    "параметрический": "parametric",
    "многоязычный": "multilingual",
    "смесь": "mix",
    "клон": "cloned",
    "клонированный": "cloned",
    "созданный": "designed",
}


def canonical_words(text: str) -> set[str]:
    """The stored words that `text` (a whole word, or the first 3+ letters of one) names in Russian."""
    typed = text.strip().lower()
    if len(typed) < 3:
        return set()
    return {word for russian, word in RUSSIAN.items() if russian.startswith(typed)}
