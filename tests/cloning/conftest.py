from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _empty_media():
    """The database is emptied between tests, the media folder is not: start each test without voice files."""
    for folder in ("voices", "previews"):
        shutil.rmtree(Path(settings.MEDIA_ROOT) / folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _small_fit_budget(monkeypatch):
    """Clones run the real Kokoro fit through the worker, with a search of one generation of two candidates: the
    full budgets (fast, best) are measured by bench/clone.py, not by tests."""
    from synthesis.engines.kokoro import fitting

    small = fitting.Quality(dims=2, popsize=2, generations=1, sentences=1, sigma=0.5, budget_s=60.0)
    monkeypatch.setattr(fitting, "QUALITIES", {"fast": small, "best": small})
