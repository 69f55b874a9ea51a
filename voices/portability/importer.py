"""Previewing and importing a `.clonyvoice` file: all or nothing.

Every file is checked (names, links, limits on bytes read, sha256, ffprobe for audio) into a staging
folder before a single row is written. Rows are written in one transaction whose last step renames the
staged files into MEDIA_ROOT; if the transaction does not commit, the renamed files are removed again.
The files of voices replaced by the import are deleted only after the commit.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import wave
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from clonyvoice.media import MediaRejected, probe
from clonyvoice.paths import media_path, media_root
from synthesis.engines import registry
from voices.models import Category, Favorite, Voice, VoiceSample
from voices.portability.manifest import MANIFEST_NAME, MAX_MANIFEST_BYTES, manifest_parse, voice_files
from voices.portability.safezip import ArchiveRejected, SafeZip

logger = logging.getLogger(__name__)

STRATEGIES = ("skip", "rename", "replace")
# What ffprobe may call a sample's container; playlists (hls, concat) would make ffmpeg open other files.
AUDIO_CONTAINERS = {"wav", "flac", "mp3", "ogg", "mov", "matroska", "aac", "webm"}


@dataclass
class Bundle:
    """An opened, validated archive: its manifest and the zip to read the files from."""

    archive: SafeZip
    manifest: dict[str, Any]

    @property
    def total_bytes(self) -> int:
        return sum(f["size"] for f in self.manifest["files"].values())

    def verify(self, *, into: Path | None = None) -> dict[str, Path]:
        """Read every file once, checking size and sha256; with `into`, keep them there. Returns path → file."""
        staged: dict[str, Path] = {}
        for index, (name, expected) in enumerate(sorted(self.manifest["files"].items())):
            target = into / f"{index:05d}{PurePosixPath(name).suffix.lower()[:10]}" if into else None
            sha256, size = self.archive.digest(name, into=target)
            if size != expected["size"] or sha256 != expected["sha256"]:
                raise ArchiveRejected(
                    f"The checksum of {name[:200]!r} does not match manifest.json: the file is damaged or altered.",
                    code="checksum_mismatch",
                )
            if target is not None:
                staged[name] = target
        return staged


@contextmanager
def bundle_open(file: BinaryIO) -> Iterator[Bundle]:
    """Open an uploaded `.clonyvoice` file and validate its structure and manifest."""
    file.seek(0)
    with SafeZip(file) as archive:
        if MANIFEST_NAME not in archive.entries:
            raise ArchiveRejected("This zip has no manifest.json: it is not a ClonyVoice export.", code="no_manifest")
        raw = archive.read_bytes(MANIFEST_NAME, max_bytes=MAX_MANIFEST_BYTES)
        manifest = manifest_parse(raw, entries=set(archive.entries))
        yield Bundle(archive=archive, manifest=manifest)


@dataclass
class _Engines:
    """What the engine registry knows: (known, installed), asked once per engine."""

    seen: dict[str, tuple[bool, bool]] = field(default_factory=dict)

    def status(self, name: str) -> tuple[bool, bool]:
        if name not in self.seen:
            engine = registry().get(name)
            try:
                installed = bool(engine and engine.is_installed())
            except Exception:
                logger.exception("could not ask engine %s whether it is installed", name)
                installed = False
            self.seen[name] = (engine is not None, installed)
        return self.seen[name]


def _preset_for(voice: dict[str, Any]) -> Voice | None:
    return Voice.objects.filter(
        kind=Voice.Kind.PRESET, engine=voice["engine"], engine_voice_id=voice["engine_voice_id"]
    ).first()


def _existing_names(user: AbstractBaseUser) -> dict[str, list[Voice]]:
    names: dict[str, list[Voice]] = {}
    for voice in Voice.objects.filter(owner=user).exclude(kind=Voice.Kind.PRESET):
        names.setdefault(voice.name.casefold(), []).append(voice)
    return names


def import_preview(*, user: AbstractBaseUser, file: BinaryIO) -> dict[str, Any]:
    """What importing `file` would do for `user`: voices, name conflicts, unknown engines, warnings. Writes nothing."""
    with bundle_open(file) as bundle:
        bundle.verify()
        manifest = bundle.manifest
    existing = _existing_names(user)
    own_categories = set(Category.objects.filter(owner=user).values_list("name", flat=True))
    engines = _Engines()
    voices, warnings, unknown = [], [], set()
    for voice in manifest["voices"]:
        known, installed = engines.status(voice["engine"])
        notes = []
        conflict = None
        if voice["kind"] == Voice.Kind.PRESET:
            preset = _preset_for(voice)
            action = "link" if preset else "unavailable"
            if preset is None:
                notes.append(f"The preset {voice['engine_voice_id']!r} of {voice['engine']!r} is not installed here.")
        else:
            action = "create"
            matches = existing.get(voice["name"].casefold(), [])
            conflict = str(matches[0].pk) if matches else None
        if not known:
            unknown.add(voice["engine"])
            notes.append(f"Engine {voice['engine']!r} is unknown to this ClonyVoice; the voice cannot speak here.")
        elif not installed:
            notes.append(f"Engine {voice['engine']!r} is not installed; install its model to use this voice.")
        warnings.extend(f"{voice['name']}: {note}" for note in notes)
        voices.append(
            {
                "id": voice["id"],
                "name": voice["name"],
                "kind": voice["kind"],
                "engine": voice["engine"],
                "engine_voice_id": voice["engine_voice_id"],
                "languages": voice["languages"],
                "category": voice["category"],
                "samples": len(voice["samples"]),
                "has_preview": bool(voice["preview"]),
                "files": len(voice_files(voice)),
                "action": action,
                "conflict": conflict is not None,
                "conflicting_voice_id": conflict,
                "engine_known": known,
                "engine_installed": installed,
                "warnings": notes,
            }
        )
    return {
        "format_version": manifest["format_version"],
        "app_version": manifest["app_version"],
        "exported_at": manifest["exported_at"],
        "voices": voices,
        "categories": [{"name": c["name"], "exists": c["name"] in own_categories} for c in manifest["categories"]],
        "conflicts": sorted({v["name"] for v in voices if v["conflict"]}),
        "unknown_engines": sorted(unknown),
        "warnings": warnings,
        "file_count": len(manifest["files"]),
        "total_bytes": bundle.total_bytes,
    }


def _plain_wav(path: Path) -> bool:
    """A PCM WAV whose RIFF header parses (what ClonyVoice itself writes): no need to start ffprobe."""
    try:
        with wave.open(str(path), "rb") as clip:
            return clip.getnchannels() > 0 and clip.getframerate() > 0 and clip.getnframes() > 0
    except (wave.Error, EOFError, OSError):
        return False


def _probe_audio(bundle: Bundle, staged: dict[str, Path]) -> None:
    """Every sample and preview must be audio: an archive must not smuggle in, say, a playlist for ffmpeg.

    A file named .wav must parse as RIFF/WAVE (ffmpeg then can only read it as WAV); anything else is
    ffprobed.
    """
    for voice in bundle.manifest["voices"]:
        for name in voice_files(voice)[: len(voice_files(voice)) - len(voice["profile_files"])]:
            path = staged[name]
            if path.suffix == ".wav" and _plain_wav(path):
                continue
            try:
                info = probe(path)
            except MediaRejected as exc:
                raise ArchiveRejected(f"{name[:200]!r} is not a readable audio file: {exc.detail}") from exc
            if not info.has_audio or info.container.split(",", 1)[0] not in AUDIO_CONTAINERS:
                raise ArchiveRejected(f"{name[:200]!r} is not an audio file ({info.container}).", code="invalid_media")


def _free_name(name: str, taken: set[str]) -> str:
    for number in range(2, 10_000):
        suffix = f" ({number})"
        candidate = name[: 120 - len(suffix)] + suffix
        if candidate.casefold() not in taken:
            return candidate
    raise ArchiveRejected(f"No free name for {name!r}.")


def _rewrite(value: Any, replace: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_rewrite(v, replace) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite(v, replace) for k, v in value.items()}
    return value


class _Import:
    """One import's rows and file moves, built inside the transaction."""

    def __init__(self, *, user: AbstractBaseUser, bundle: Bundle, staged: dict[str, Path], strategy: str) -> None:
        self.user = user
        self.bundle = bundle
        self.staged = staged
        self.strategy = strategy
        self.moves: list[tuple[Path, Path]] = []
        self.doomed: list[Path] = []
        self.result: dict[str, list[dict[str, Any]]] = {
            "created": [],
            "skipped": [],
            "replaced": [],
            "linked": [],
            "unavailable": [],
        }
        self.categories_created: list[str] = []
        self.engines = _Engines()

    def category(self, name: str | None, cache: dict[str, Category]) -> Category | None:
        if not name:
            return None
        if name not in cache:
            cache[name], created = Category.objects.get_or_create(owner=self.user, name=name)
            if created:
                self.categories_created.append(name)
        return cache[name]

    def plan_target(self, relative: str) -> Path:
        return media_path(relative)

    def run(self) -> None:
        existing = _existing_names(self.user)
        taken = set(existing)
        categories: dict[str, Category] = {}
        for entry in self.bundle.manifest["voices"]:
            if entry["kind"] == Voice.Kind.PRESET:
                self.link_preset(entry)
                continue
            name = entry["name"]
            matches = existing.get(name.casefold(), [])
            if matches and self.strategy == "skip":
                self.result["skipped"].append(
                    {"source_id": entry["id"], "name": name, "existing_id": str(matches[0].pk)}
                )
                continue
            if matches and self.strategy == "rename":
                name = _free_name(name, taken)
            if matches and self.strategy == "replace":
                for old in matches:
                    self.replace(old)
                existing.pop(name.casefold(), None)
            taken.add(name.casefold())
            voice = self.create(entry, name=name, category=self.category(entry["category"], categories))
            self.result["created"].append({"id": str(voice.pk), "source_id": entry["id"], "name": voice.name})

    def link_preset(self, entry: dict[str, Any]) -> None:
        preset = _preset_for(entry)
        if preset is None:
            self.result["unavailable"].append({"source_id": entry["id"], "name": entry["name"]})
            return
        if entry["is_favorite"]:
            Favorite.objects.get_or_create(user=self.user, voice=preset)
        self.result["linked"].append({"id": str(preset.pk), "source_id": entry["id"], "name": preset.name})

    def replace(self, old: Voice) -> None:
        self.result["replaced"].append({"id": str(old.pk), "name": old.name})
        for sample in old.samples.all():
            self.doomed += [self.plan_target(f.name) for f in (sample.original, sample.cleaned) if f]
        if old.preview:
            self.doomed.append(self.plan_target(old.preview.name))
        self.doomed.append(self.plan_target(f"voices/{old.pk}"))
        old.delete()

    def create(self, entry: dict[str, Any], *, name: str, category: Category | None) -> Voice:
        files = self.bundle.manifest["files"]
        known, installed = self.engines.status(entry["engine"])
        voice = Voice(
            owner=self.user,
            name=name,
            description=entry["description"],
            languages=entry["languages"],
            gender=entry["gender"],
            age=entry["age"],
            accent=entry["accent"],
            tags=entry["tags"],
            category=category,
            kind=entry["kind"],
            engine=entry["engine"],
            engine_voice_id=entry["engine_voice_id"],
            default_speed=entry["defaults"]["speed"],
            default_pitch=entry["defaults"]["pitch"],
            default_seed=entry["defaults"]["seed"],
            similarity=entry["similarity"],
            is_available=known and installed,
        )
        renamed: dict[str, str] = {}
        base = f"voices/{voice.pk}"

        def place(archive_path: str, relative: str) -> str:
            self.moves.append((self.staged[archive_path], self.plan_target(relative)))
            if stored_as := files[archive_path]["stored_as"]:
                renamed[stored_as] = relative
            return relative

        if entry["preview"]:
            voice.preview.name = place(entry["preview"], f"previews/{voice.pk}{_suffix(entry['preview'])}")
        samples = []
        for item in entry["samples"]:
            sample = VoiceSample(
                voice=voice,
                position=item["position"],
                name=item["name"],
                start=item["start"],
                end=item["end"],
                duration=item["duration"],
                transcript=item["transcript"],
                transcript_language=item["transcript_language"],
            )
            sample.original.name = place(item["original"], f"{base}/samples/{sample.pk}{_suffix(item['original'])}")
            if item["cleaned"]:
                cleaned = f"{base}/samples/{sample.pk}-cleaned{_suffix(item['cleaned'])}"
                sample.cleaned.name = place(item["cleaned"], cleaned)
            samples.append(sample)
        profile_prefix = f"voices/{entry['id']}/profile/"
        for path in entry["profile_files"]:
            place(path, f"{base}/{path.removeprefix(profile_prefix)}")
        old_base = f"voices/{entry['id']}/"

        def replace(text: str) -> str:
            if text in renamed:
                return renamed[text]
            return f"{base}/{text.removeprefix(old_base)}" if text.startswith(old_base) else text

        voice.profile = _rewrite(entry["profile"], replace)
        voice.save()
        VoiceSample.objects.bulk_create(samples)
        if entry["is_favorite"]:
            Favorite.objects.create(user=self.user, voice=voice)
        return voice

    def move_files(self) -> list[Path]:
        moved: list[Path] = []
        try:
            for source, target in self.moves:
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.exists():
                    raise FileExistsError(f"{target} already exists")
                shutil.move(source, target)
                moved.append(target)
        except BaseException:
            _remove(moved, prune=True)
            raise
        return moved


def _suffix(name: str) -> str:
    return PurePosixPath(name).suffix.lower()[:10]


def _remove(paths: list[Path], *, prune: bool = False) -> None:
    """Delete files and folders; with `prune`, also the folders they leave empty under MEDIA_ROOT."""
    root = media_root()
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        parent = path.parent
        while prune and parent != root and root in parent.parents:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent


def voices_import(*, user: AbstractBaseUser, file: BinaryIO, strategy: str = "rename") -> dict[str, Any]:
    """Import every voice of a `.clonyvoice` file for `user`, or nothing at all.

    Name conflicts with the user's voices follow `strategy`: `skip` keeps the existing voice, `rename`
    imports as "Name (2)", `replace` deletes the existing same-named voices first.
    """
    if strategy not in STRATEGIES:
        raise ArchiveRejected(
            f"Unknown conflict strategy {strategy!r}; use skip, rename or replace.", code="bad_request"
        )
    incoming = Path(settings.DATA_DIR) / "tmp"
    incoming.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=incoming, prefix="import-"))
    try:
        with bundle_open(file) as bundle:
            staged = bundle.verify(into=staging)
        _probe_audio(bundle, staged)
        job = _Import(user=user, bundle=bundle, staged=staged, strategy=strategy)
        moved: list[Path] = []
        try:
            with transaction.atomic():
                job.run()
                moved = job.move_files()
        except BaseException:
            _remove(moved, prune=True)
            raise
        _remove(job.doomed)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {**job.result, "categories_created": job.categories_created}
