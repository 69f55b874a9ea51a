"""Where files live under the data dir: the one place that joins MEDIA_ROOT and DATA_DIR/tmp to a name."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def media_path(*parts: str | Path) -> Path:
    """The absolute path of a file or folder under MEDIA_ROOT, e.g. `media_path("voices", voice_id)`.

    Parts are joined as given: a caller passing a storage name (`voices/<id>/x.wav`) gets its file.
    """
    return media_root().joinpath(*(str(part) for part in parts))


def tmp_dir() -> Path:
    """DATA_DIR/tmp: staged uploads and scratch folders (same filesystem as MEDIA_ROOT, so moves are renames)."""
    return Path(settings.DATA_DIR) / "tmp"
