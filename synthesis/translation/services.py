"""Translating text for the API and for multi-language generation.

Apertium is a subprocess the web process runs at once. A transformers model must not load in the web
process: it runs as a job on the gpu queue, and the request waits for it up to `wait` seconds — a
short text comes back in the same answer (200); a longer wait, or a busy worker, answers 202 with the
job's task id, whose `result` holds the translation.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from clonyvoice.errors import ServiceError
from clonyvoice.jobs import ProgressReporter, job_create
from clonyvoice.models import Job
from synthesis.scripts import detect_language
from synthesis.translation import registry, route
from synthesis.translation.base import TranslationError, normalize_language

KIND = "translate"
MAX_CHARS = 20_000
MAX_WAIT_SECONDS = 60.0


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
    source = normalize_language(detect_language(text) if detected else source)
    target = normalize_language(target)
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


def translation_request(
    *,
    owner: AbstractBaseUser,
    text: str,
    source: str | None,
    target: str,
    engine: str | None = None,
    wait: float = 30.0,
) -> tuple[dict[str, Any] | None, Job | None]:
    """(result, None) when the translation is done within the request, else (None, job) still running."""
    from synthesis.tasks import translate_text

    plan = translation_plan(text=text, source=source, target=target, engine=engine)
    if not plan["engine"] or not registry()[plan["engine"]].in_worker:
        return translate_now(text=text, plan=plan), None
    job = job_create(owner=owner, kind=KIND, actor=translate_text, params={"text": text, "plan": plan})
    finished = _wait_for(job, min(max(wait, 0.0), MAX_WAIT_SECONDS))
    if finished is None:
        return None, job
    if finished.status == Job.Status.SUCCEEDED:
        return finished.result, None
    raise ServiceError(
        finished.error or f"The translation was {finished.status}.", code="translation_failed", status=503
    )


def _wait_for(job: Job, seconds: float) -> Job | None:
    deadline = time.monotonic() + seconds
    pause = 0.02
    while time.monotonic() < deadline:
        current = Job.objects.filter(pk=job.pk).first()
        if current is None:
            raise ServiceError("The translation job was deleted.", code="translation_failed", status=503)
        if current.is_finished:
            return current
        time.sleep(pause)
        pause = min(pause * 1.5, 0.25)
    return None


def translation_run(*, job: Job, progress: ProgressReporter) -> None:
    """The gpu worker's side: load the model (kept warm for the next request) and translate."""
    plan = job.params["plan"]
    progress.update(0, 1, message=f"translating {plan['source']} → {plan['target']} with {plan['model']}")
    progress.result = translate_now(text=job.params["text"], plan=plan)


def translate(*, text: str, target: str, source: str | None = None) -> str:
    """Translate in-process (worker code: multi-language generation translating a script)."""
    return translate_now(text=text, plan=translation_plan(text=text, source=source, target=target))["text"]
