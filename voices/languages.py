"""Language names for search: "russian", "русский" or "British" find the voices that speak that language.

The names come from Django's own table (`LANG_INFO`: English and native names) and its translations into the
languages the UI speaks (`settings.LANGUAGES`), so no name list lives in this repository.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation


@cache
def _names() -> dict[str, tuple[str, ...]]:
    """Every known code with its names, case-folded: English, native, and in each UI language."""
    table: dict[str, set[str]] = {}
    for code, info in LANG_INFO.items():
        if "name" not in info:
            continue  # a fallback entry ("zh" → "zh-hans") without names of its own
        names = table.setdefault(code, set())
        names.update({info["name"].casefold(), info.get("name_local", "").casefold()})
        for ui_language, _label in settings.LANGUAGES:
            with translation.override(ui_language):
                names.add(translation.gettext(info["name"]).casefold())
    return {code: tuple(sorted(name for name in names if name)) for code, names in table.items()}


def codes_named(text: str) -> set[str]:
    """The language codes whose name (in English, natively or in a UI language) contains `text`."""
    needle = text.strip().casefold()
    if len(needle) < 3:
        return set()  # "en" or "ru" are codes, not the start of a name
    return {code for code, names in _names().items() if any(needle in name for name in names)}
