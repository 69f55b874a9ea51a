# ruff: noqa: RUF001
"""Sentences ClonyVoice speaks on its own: voice previews, and the reference text of designed voices."""

from __future__ import annotations

PREVIEW = {
    "en": "Hello! This is a preview of my voice. I can read your stories, articles and scripts aloud.",
    "ru": "Здравствуйте! Так звучит мой голос. Я могу читать вслух ваши рассказы, статьи и сценарии.",
    "de": "Hallo! So klingt meine Stimme. Ich kann Ihre Geschichten, Artikel und Skripte vorlesen.",
    "fr": "Bonjour ! Voici un aperçu de ma voix. Je peux lire à voix haute vos histoires et vos articles.",
    "es": "¡Hola! Así suena mi voz. Puedo leer en voz alta tus historias, artículos y guiones.",
    "it": "Ciao! Questa è un'anteprima della mia voce. Posso leggere ad alta voce storie e articoli.",
    "pt": "Olá! Esta é uma amostra da minha voz. Posso ler em voz alta as suas histórias e artigos.",
    "uk": "Вітаю! Так звучить мій голос. Я можу читати вголос ваші оповідання, статті та сценарії.",
}

# Longer text for a designed voice's reference clip: varied sounds, about ten seconds of speech.
DESIGN_REFERENCE = {
    "en": "The old lighthouse keeper walked along the shore every morning. He listened to the waves, counted "
    "the ships, and wrote short notes about the weather. Nothing pleased him more than a quiet, sunny day.",
    "ru": "Старый смотритель маяка каждое утро гулял по берегу. Он слушал волны, считал корабли и записывал "
    "короткие заметки о погоде. Больше всего он любил тихие солнечные дни.",
}


def _base(language: str) -> str:
    return (language or "en").lower().split("-")[0]


def preview_text(language: str) -> str:
    """The default preview sentence in `language` (English when there is none for it)."""
    return PREVIEW.get(_base(language), PREVIEW["en"])


def design_text(language: str) -> str:
    return DESIGN_REFERENCE.get(_base(language), preview_text(language))
