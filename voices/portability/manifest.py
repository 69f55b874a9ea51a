"""The `.clonyvoice` format: a zip with `manifest.json` and the voices' files.

```
manifest.json
voices/<voice id>/samples/<position>-original.<ext>     each VoiceSample's file as it arrived
voices/<voice id>/samples/<position>-cleaned.<ext>      ...and the cleaned clip the engines use
voices/<voice id>/preview.<ext>                         the voice's preview
voices/<voice id>/profile/<path>                        clone-profile files kept beside the voice
```

`manifest.json` (format version 1) lists the voices with their metadata, the categories they were in,
the export's settings, and `files`: every other entry of the zip with its sha256, its size and the
storage name it had in the exporting install (so paths inside a clone profile can be mapped to the new
ones). Preset voices are exported by reference (engine + engine_voice_id, no files): they come with the
engine, and an import links them (and keeps the favorite mark) when that engine offers the same voice.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from rest_framework import serializers

from clonyvoice import jsonsafe
from voices.models import Voice
from voices.portability.safezip import ArchiveRejected

FORMAT = "clonyvoice"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_VOICES = 1000
AUDIO_SUFFIXES = {".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a", ".aac", ".webm"}
# No pickles (.pt, .pkl): loading one runs code. Arrays, JSON, safetensors and audio only.
PROFILE_SUFFIXES = AUDIO_SUFFIXES | {".json", ".npy", ".npz", ".safetensors", ".txt"}


class FileRefIn(serializers.Serializer):
    sha256 = serializers.RegexField(r"^[0-9a-f]{64}$")
    size = serializers.IntegerField(min_value=0)
    stored_as = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SampleIn(serializers.Serializer):
    position = serializers.IntegerField(min_value=0, max_value=100_000)
    name = serializers.CharField(max_length=255, allow_blank=True, required=False, default="")
    original = serializers.CharField(max_length=500)
    cleaned = serializers.CharField(max_length=500, allow_null=True, required=False, default=None)
    start = serializers.FloatField(allow_null=True, required=False, default=None)
    end = serializers.FloatField(allow_null=True, required=False, default=None)
    duration = serializers.FloatField(min_value=0, required=False, default=0.0)
    transcript = serializers.CharField(max_length=100_000, allow_blank=True, required=False, default="")
    transcript_language = serializers.CharField(max_length=16, allow_blank=True, required=False, default="")


class DefaultsIn(serializers.Serializer):
    speed = serializers.FloatField(min_value=0.5, max_value=2.0, required=False, default=1.0)
    pitch = serializers.FloatField(min_value=-12, max_value=12, required=False, default=0.0)
    seed = serializers.IntegerField(min_value=0, max_value=2**63 - 1, allow_null=True, required=False, default=None)


class VoiceIn(serializers.Serializer):
    id = serializers.RegexField(r"^[A-Za-z0-9_-]{1,64}$")
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")
    languages = serializers.ListField(child=serializers.CharField(max_length=16), max_length=50, default=list)
    gender = serializers.CharField(max_length=16, allow_blank=True, required=False, default="")
    age = serializers.CharField(max_length=32, allow_blank=True, required=False, default="")
    accent = serializers.CharField(max_length=64, allow_blank=True, required=False, default="")
    tags = serializers.ListField(child=serializers.CharField(max_length=40), max_length=50, default=list)
    kind = serializers.ChoiceField(choices=Voice.Kind.choices)
    engine = serializers.CharField(max_length=32)
    engine_voice_id = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    profile = serializers.JSONField(required=False, default=dict)
    defaults = DefaultsIn(required=False, default=dict)
    similarity = serializers.FloatField(allow_null=True, required=False, default=None)
    category = serializers.CharField(max_length=60, allow_null=True, required=False, default=None)
    is_favorite = serializers.BooleanField(required=False, default=False)
    preview = serializers.CharField(max_length=500, allow_null=True, required=False, default=None)
    samples = SampleIn(many=True, required=False, default=list, max_length=500)
    profile_files = serializers.ListField(child=serializers.CharField(max_length=500), max_length=500, default=list)

    def validate_profile(self, value: Any) -> dict:
        if not isinstance(value, dict):
            raise serializers.ValidationError("must be an object")
        if len(json.dumps(value)) > 1024 * 1024:
            raise serializers.ValidationError("is larger than 1 MB")
        return value


class CategoryIn(serializers.Serializer):
    name = serializers.CharField(max_length=60)


class ManifestIn(serializers.Serializer):
    format = serializers.ChoiceField(choices=[FORMAT])
    format_version = serializers.IntegerField()
    app_version = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")
    exported_at = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")
    settings = serializers.DictField(required=False, default=dict)
    categories = CategoryIn(many=True, required=False, default=list, max_length=MAX_VOICES)
    voices = VoiceIn(many=True, max_length=MAX_VOICES)
    files = serializers.DictField(child=FileRefIn(), default=dict)


def _first_error(errors: Any, path: str = "") -> str:
    if isinstance(errors, dict):
        key, value = next(iter(errors.items()))
        return _first_error(value, f"{path}.{key}" if path else str(key))
    if isinstance(errors, list) and errors:
        for index, item in enumerate(errors):
            if item:
                return _first_error(item, f"{path}[{index}]" if isinstance(item, dict) else path)
    return f"{path}: {errors}"


def manifest_parse(raw: bytes, *, entries: set[str]) -> dict[str, Any]:
    """Parse and validate manifest.json against the archive's other entries; ArchiveRejected if anything is off."""
    try:
        data = jsonsafe.loads(raw, max_bytes=MAX_MANIFEST_BYTES)
    except jsonsafe.JSONRejected as exc:
        raise ArchiveRejected(f"manifest.json is not usable: {exc}", code="invalid_manifest") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveRejected("This zip is not a ClonyVoice export (manifest.json has no format 'clonyvoice').")
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise ArchiveRejected(
            f"This file is format version {version!r}; this ClonyVoice reads format version {FORMAT_VERSION}.",
            code="unsupported_format_version",
        )
    serializer = ManifestIn(data=data)
    if not serializer.is_valid():
        raise ArchiveRejected(f"manifest.json is invalid: {_first_error(serializer.errors)}", code="invalid_manifest")
    manifest = serializer.validated_data
    _check_files(manifest, entries=entries)
    return manifest


def voice_files(voice: dict[str, Any]) -> list[str]:
    """Every archive path one manifest voice refers to."""
    paths = [s["original"] for s in voice["samples"]] + [s["cleaned"] for s in voice["samples"] if s["cleaned"]]
    if voice["preview"]:
        paths.append(voice["preview"])
    return paths + list(voice["profile_files"])


def _check_files(manifest: dict[str, Any], *, entries: set[str]) -> None:
    files = manifest["files"]
    listed = set(files)
    if missing := sorted(listed - entries):
        raise ArchiveRejected(f"The archive lacks {missing[0]!r}, which manifest.json lists.", code="missing_entry")
    if extra := sorted(entries - listed - {MANIFEST_NAME}):
        raise ArchiveRejected(f"The archive holds {extra[0][:200]!r}, which manifest.json does not list.")
    referenced: set[str] = set()
    ids: set[str] = set()
    for voice in manifest["voices"]:
        if voice["id"] in ids:
            raise ArchiveRejected(f"manifest.json lists voice {voice['id']!r} twice.", code="invalid_manifest")
        ids.add(voice["id"])
        paths = voice_files(voice)
        if voice["kind"] == Voice.Kind.PRESET and paths:
            raise ArchiveRejected(f"Preset voice {voice['name']!r} carries files; presets are exported by reference.")
        base = f"voices/{voice['id']}/"
        for path in paths:
            if path not in files:
                raise ArchiveRejected(f"Voice {voice['name']!r} refers to {path[:200]!r}, which is not in the archive.")
            if path in referenced:
                raise ArchiveRejected(f"{path[:200]!r} is used twice in manifest.json.", code="invalid_manifest")
            referenced.add(path)
            if not path.startswith(base):
                raise ArchiveRejected(f"{path[:200]!r} is not under {base!r}.", code="invalid_manifest")
        for path in paths[: len(paths) - len(voice["profile_files"])]:
            if PurePosixPath(path).suffix.lower() not in AUDIO_SUFFIXES:
                raise ArchiveRejected(f"{path[:200]!r} is not an audio file type ClonyVoice accepts.")
        for path in voice["profile_files"]:
            if not path.startswith(f"{base}profile/") or PurePosixPath(path).suffix.lower() not in PROFILE_SUFFIXES:
                raise ArchiveRejected(f"{path[:200]!r} is not a profile file type ClonyVoice accepts.")
    if unused := sorted(listed - referenced):
        raise ArchiveRejected(f"{unused[0][:200]!r} is listed in manifest.json but no voice uses it.")
