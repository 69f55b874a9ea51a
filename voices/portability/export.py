"""Writing a `.clonyvoice` file from a user's voices."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from clonyvoice.errors import Conflict, NotFound, ServiceError
from clonyvoice.paths import media_path
from voices.models import Category, Favorite, Voice
from voices.portability.manifest import FORMAT, FORMAT_VERSION, MANIFEST_NAME
from voices.selectors import voices_visible

CHUNK = 1024 * 1024


def voices_for_export(
    *, user: AbstractBaseUser, voice_ids: Iterable[str] | None = None, category_id: int | None = None
) -> list[Voice]:
    """The voices to export: given ids (own voices or presets) or every own voice in a category."""
    if category_id is not None:
        category = Category.objects.filter(owner=user, pk=category_id).first()
        if category is None:
            raise NotFound("No such category.")
        voices = list(Voice.objects.filter(owner=user, category=category).select_related("category"))
        if not voices:
            raise ServiceError(f"The category {category.name!r} has no voices to export.", code="nothing_to_export")
        return voices
    wanted: list[uuid.UUID] = []
    for raw in voice_ids or []:
        try:
            wanted.append(uuid.UUID(str(raw)))
        except ValueError:
            raise NotFound(f"No such voice: {raw!s:.64}.") from None
    found = {v.pk: v for v in voices_visible(user=user).filter(pk__in=wanted)}
    for pk in wanted:
        if pk not in found:
            raise NotFound(f"No such voice: {pk}.")
    return [found[pk] for pk in dict.fromkeys(wanted)]


def _media_path(name: str) -> Path:
    return media_path(name)


def _suffix(name: str) -> str:
    return Path(name).suffix.lower()[:10]


class _Writer:
    """Adds files to the zip as stored entries, hashing them on the way."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.files: dict[str, dict[str, Any]] = {}

    def add(self, arcname: str, path: Path, *, stored_as: str) -> str:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise Conflict(f"The file {stored_as!r} is missing from this install; it cannot be exported.") from None
        info = zipfile.ZipInfo(arcname, date_time=time.localtime(path.stat().st_mtime)[:6])
        # Audio hardly deflates, and a stored entry's ratio is 1: a silent clip must not look like a bomb.
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = (0o100644 & 0xFFFF) << 16
        info.file_size = size
        sha = hashlib.sha256()
        with open(path, "rb") as source, self.archive.open(info, "w", force_zip64=size > 2**31) as target:
            while chunk := source.read(CHUNK):
                sha.update(chunk)
                target.write(chunk)
        self.files[arcname] = {"sha256": sha.hexdigest(), "size": size, "stored_as": stored_as}
        return arcname

    def add_field(self, arcname: str, field: FieldFile) -> str:
        return self.add(arcname, _media_path(field.name), stored_as=field.name)


def _profile_files(voice: Voice) -> list[tuple[str, Path]]:
    """Files kept beside the voice (clone profiles: embeddings, reference clips), samples excluded."""
    folder = _media_path(f"voices/{voice.pk}")
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not path.is_symlink() and not relative.startswith("samples/"):
            found.append((relative, path))
    return found


def _voice_entry(voice: Voice, writer: _Writer, *, favorite: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": str(voice.pk),
        "name": voice.name,
        "description": voice.description,
        "languages": list(voice.languages),
        "gender": voice.gender,
        "age": voice.age,
        "accent": voice.accent,
        "tags": list(voice.tags),
        "kind": voice.kind,
        "engine": voice.engine,
        "engine_voice_id": voice.engine_voice_id,
        "profile": voice.profile,
        "defaults": {"speed": voice.default_speed, "pitch": voice.default_pitch, "seed": voice.default_seed},
        "similarity": voice.similarity,
        "category": voice.category.name if voice.category_id and voice.owner_id else None,
        "is_favorite": favorite,
        "preview": None,
        "samples": [],
        "profile_files": [],
    }
    if voice.is_preset:
        return entry
    base = f"voices/{voice.pk}"
    for sample in voice.samples.order_by("position", "created_at"):
        number = len(entry["samples"]) + 1
        original = writer.add_field(f"{base}/samples/{number}-original{_suffix(sample.original.name)}", sample.original)
        cleaned = None
        if sample.cleaned:
            cleaned = writer.add_field(f"{base}/samples/{number}-cleaned{_suffix(sample.cleaned.name)}", sample.cleaned)
        entry["samples"].append(
            {
                "position": sample.position,
                "name": sample.name,
                "original": original,
                "cleaned": cleaned,
                "start": sample.start,
                "end": sample.end,
                "duration": sample.duration,
                "transcript": sample.transcript,
                "transcript_language": sample.transcript_language,
            }
        )
    if voice.preview:
        entry["preview"] = writer.add_field(f"{base}/preview{_suffix(voice.preview.name)}", voice.preview)
    for relative, path in _profile_files(voice):
        entry["profile_files"].append(
            writer.add(f"{base}/profile/{relative}", path, stored_as=f"voices/{voice.pk}/{relative}")
        )
    return entry


def voices_export(*, user: AbstractBaseUser, voices: list[Voice]) -> Path:
    """Write `voices` into a new `.clonyvoice` temp file under the data dir; the caller removes it."""
    incoming = Path(settings.DATA_DIR) / "tmp"
    incoming.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=incoming, prefix="export-", suffix=".clonyvoice")
    path = Path(name)
    favorites = set(Favorite.objects.filter(user=user, voice__in=voices).values_list("voice_id", flat=True))
    try:
        with os.fdopen(fd, "wb") as out, zipfile.ZipFile(out, "w", allowZip64=True) as archive:
            writer = _Writer(archive)
            entries = [_voice_entry(v, writer, favorite=v.pk in favorites) for v in voices]
            categories = sorted({e["category"] for e in entries if e["category"]})
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": settings.VERSION,
                "exported_at": timezone.now().isoformat(),
                "settings": {"presets": "by_reference"},
                "categories": [{"name": c} for c in categories],
                "voices": entries,
                "files": writer.files,
            }
            archive.writestr(
                MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1), compress_type=zipfile.ZIP_DEFLATED
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
