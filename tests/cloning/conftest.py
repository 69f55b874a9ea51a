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
