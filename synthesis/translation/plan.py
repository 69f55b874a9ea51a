"""Translating in this process: check the text, pick the engine and model (`translation_plan`), translate.

Both halves use it: the request half plans (400/413/503 before any work) and runs a cheap subprocess engine
at once; the worker half runs the engines that load a model.
"""

from __future__ import annotations

from typing import Any

from clonyvoice.errors import ServiceError
from synthesis.scripts import detect_language
from synthesis.translation import registry, route
from synthesis.translation.base import TranslationError, normalize_language

MAX_CHARS = 20_000


class TranslationTooLong(ServiceError):
    status = 413
    code = "text_too_long"


def _result(*, text: str, source: str, target: str, engine: str, model: str, detected: bool) -> dict[str, Any]:
    return {
        "text": text,
        "source": source,
        "target": target,
        "engine": engine,
        "model": model,
        "source_detected": detected,
    }


def translation_plan(*, text: str, source: str | None, target: str, engine: str | None = None) -> dict[str, Any]:
    """Check the text and find the model (400 / 413 / 503 here, before any work)."""
    if not text or not text.strip():
        raise ServiceError("The text is empty.", code="empty_text")
    if len(text) > MAX_CHARS:
        raise TranslationTooLong(f"The text is {len(text)} characters; the limit is {MAX_CHARS}.", limit=MAX_CHARS)
    detected = not source or source == "auto"
    return pair_plan(
        source=detect_language(text) if detected else source, target=target, engine=engine, detected=detected
    )


def pair_plan(*, source: str, target: str, engine: str | None = None, detected: bool = False) -> dict[str, Any]:
    """The plan for one language pair: the engine and model that translate it (503 when none is installed), or
    none when the languages are the same."""
    source, target = normalize_language(source), normalize_language(target)
    if source == target:
        return {"source": source, "target": target, "engine": "", "model": "", "detected": detected}
    chosen, model = route(source, target, engine=engine)
    return {"source": source, "target": target, "engine": chosen.name, "model": model.name, "detected": detected}


def translate_now(*, text: str, plan: dict[str, Any]) -> dict[str, Any]:
    """Translate in this process. Worker code, or the web process for an engine that is a cheap subprocess."""
    if not plan["engine"]:
        translated = text
    else:
        try:
            translated = registry()[plan["engine"]].translate(
                text, source=plan["source"], target=plan["target"], model=plan["model"]
            )
        except TranslationError as exc:
            raise ServiceError(str(exc), code="translation_failed", status=503) from exc
    return _result(
        text=translated,
        source=plan["source"],
        target=plan["target"],
        engine=plan["engine"] or "none",
        model=plan["model"],
        detected=plan["detected"],
    )


def translate(*, text: str, target: str, source: str | None = None) -> str:
    """Translate in-process (worker code: multi-language generation translating a script)."""
    return translate_now(text=text, plan=translation_plan(text=text, source=source, target=target))["text"]
