"""Text translation behind one small Protocol (see base.py): apertium pairs offline, transformers models when installed.

`route(source, target)` picks the engine and model for a pair: an installed neural model first (better quality),
the apertium pair otherwise. A pair nothing covers is a 503 `model_not_installed` naming what to install.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from clonyvoice.errors import ServiceError
from synthesis.translation.apertium import debian_package
from synthesis.translation.base import (
    LanguagePair,
    TranslationEngine,
    TranslationError,
    TranslationModel,
    normalize_language,
)

__all__ = [
    "LanguagePair",
    "TranslationEngine",
    "TranslationError",
    "TranslationModel",
    "language_pairs",
    "normalize_language",
    "registry",
    "route",
    "translation_status",
]

PULL_HINT = "python manage.py models pull translation:Helsinki-NLP/opus-mt-{source}-{target}"


def registry() -> dict[str, TranslationEngine]:
    """Engines in order of preference."""
    from synthesis.translation.apertium import engine as apertium
    from synthesis.translation.neural import engine as neural

    return {neural.name: neural, apertium.name: apertium}


def installed_models() -> list[TranslationModel]:
    return [model for engine in registry().values() for model in engine.models()]


def language_pairs() -> dict[str, Any]:
    """Every direction some installed model translates, the multilingual models, the engines, and the directions
    between the languages in sight (those of installed models and of the UI) that nothing covers yet, each with
    what installs it — so a missing pair (en → ru) is shown as missing, not left out."""
    models = installed_models()
    pairs: dict[tuple[str, str], LanguagePair] = {}
    for model in models:
        for source, target in model.pairs:
            pairs.setdefault((source, target), LanguagePair(source, target, model.engine, model.name))
    multilingual = [m.as_dict() for m in models if m.languages]
    languages = sorted(
        {code for pair in pairs for code in pair}
        | {code for model in models for code in model.languages}
        | {code for code, _name in settings.LANGUAGES}
    )
    missing = [
        {"source": source, "target": target, "install": install_hint(source, target)}
        for source in languages
        for target in languages
        if source != target and not any(model.covers(source, target) for model in models)
    ]
    return {
        "pairs": [p.as_dict() for _, p in sorted(pairs.items())],
        "multilingual": multilingual,
        "missing": missing,
        "engines": translation_status(models),
    }


def translation_status(models: list[TranslationModel] | None = None) -> list[dict[str, Any]]:
    models = installed_models() if models is None else models
    return [
        {
            "name": engine.name,
            "label": engine.label,
            "license": engine.license,
            "installed": any(m.engine == engine.name for m in models),
            "runs_in": "worker" if engine.in_worker else "web",
            "models": [m.name for m in models if m.engine == engine.name],
        }
        for engine in registry().values()
    ]


def install_hint(source: str, target: str) -> str:
    hints = []
    package = debian_package(source, target)
    if package:
        hints.append(f"apt-get install apertium {package}")
    hints.append(PULL_HINT.format(source=source, target=target) + " (needs the network)")
    hints.append("or copy a Marian / M2M100 / NLLB model folder to MODELS_DIR/translation/")
    return "; ".join(hints)


def route(source: str, target: str, *, engine: str | None = None) -> tuple[TranslationEngine, TranslationModel]:
    """The engine and model that translate source → target (optionally only from `engine`)."""
    engines = registry()
    if engine and engine not in engines:
        raise ServiceError(f"Unknown translation engine {engine!r}; engines: {', '.join(engines)}.", code="invalid")
    candidates = [engines[engine]] if engine else list(engines.values())
    for candidate in candidates:
        # Single-pair models (Marian, apertium) before the many-language ones of the same engine.
        for model in sorted(candidate.models(), key=lambda m: bool(m.languages)):
            if model.covers(source, target):
                return candidate, model
    raise ServiceError(
        f"No installed translation model translates {source} → {target}" + (f" with {engine}" if engine else "") + ".",
        code="model_not_installed",
        status=503,
        source=source,
        target=target,
        install=install_hint(source, target),
    )
