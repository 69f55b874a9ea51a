"""`.clonyvoice` export, import preview and import through the API, and every unsafe archive refused."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from clonyvoice.audio import Audio, write_wav
from tests.factories import CategoryFactory, VoiceFactory, issue_key
from voices.models import Favorite, Voice, VoiceSample

pytestmark = pytest.mark.django_db

METADATA = (
    "name",
    "description",
    "languages",
    "gender",
    "age",
    "accent",
    "tags",
    "kind",
    "engine",
    "engine_voice_id",
    "default_speed",
    "default_pitch",
    "default_seed",
    "similarity",
)


def _wav(relative: str, *, seconds: float = 0.5, freq: float = 220.0) -> str:
    t = np.arange(int(16_000 * seconds)) / 16_000
    write_wav(
        Path(settings.MEDIA_ROOT) / relative, Audio(samples=(0.3 * np.sin(2 * np.pi * freq * t)), sample_rate=16_000)
    )
    return relative


def _cloned_voice(owner, name: str, *, category=None, freq: float = 220.0) -> Voice:
    voice = VoiceFactory(
        owner=owner,
        name=name,
        kind="cloned",
        description=f"{name}, warm and slow",
        languages=["ru", "en"],
        gender="male",
        age="adult",
        accent="moscow",
        tags=["calm", "audiobook"],
        category=category,
        default_speed=1.1,
        default_pitch=-2.0,
        default_seed=42,
        similarity=0.87,
    )
    for position in range(2):
        sample = VoiceSample(
            voice=voice,
            position=position,
            name=f"take {position}.mp3",
            start=0.25,
            end=3.5,
            duration=0.5,
            transcript="Привет, мир.",
            transcript_language="ru",
        )
        sample.original.name = _wav(f"voices/{voice.pk}/samples/{sample.pk}.wav", freq=freq + position)
        sample.cleaned.name = _wav(f"voices/{voice.pk}/samples/{sample.pk}-clean.wav", freq=freq + 10 + position)
        sample.save()
    voice.preview.name = _wav(f"previews/{voice.pk}.wav", freq=freq * 2)
    embedding = Path(settings.MEDIA_ROOT) / f"voices/{voice.pk}/profile/embedding.npy"
    embedding.parent.mkdir(parents=True, exist_ok=True)
    np.save(embedding, np.arange(256, dtype=np.float32))
    voice.profile = {
        "method": "world",
        "embedding": f"voices/{voice.pk}/profile/embedding.npy",
        "reference": voice.samples.first().cleaned.name,
        "f0": [110.5, 20.0],
    }
    voice.save()
    return voice


def _client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=issue_key(user).token)
    return client


def _export(api, **body) -> bytes:
    response = api.post("/api/voices/export", body, format="json")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    assert ".clonyvoice" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def _upload(data: bytes, name: str = "voices.clonyvoice") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def _import(client, data: bytes, **fields):
    return client.post("/api/voices/import", {"file": _upload(data), **fields}, format="multipart")


def _preview(client, data: bytes):
    return client.post("/api/voices/import/preview", {"file": _upload(data)}, format="multipart")


def _sha(path: str) -> str:
    return hashlib.sha256((Path(settings.MEDIA_ROOT) / path).read_bytes()).hexdigest()


def _files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")} if root.exists() else set()


@pytest.fixture
def library(owner):
    category = CategoryFactory(owner=owner, name="Audiobooks")
    alice = _cloned_voice(owner, "Alice", category=category, freq=200)
    boris = _cloned_voice(owner, "Boris", freq=300)
    Favorite.objects.create(user=owner, voice=alice)
    preset = Voice.objects.filter(kind="preset", engine="espeak").first()
    Favorite.objects.create(user=owner, voice=preset)
    return {"alice": alice, "boris": boris, "preset": preset, "category": category}


def test_round_trip_to_another_install_keeps_metadata_and_bytes(api, outsider, library):
    alice, boris, preset = library["alice"], library["boris"], library["preset"]
    data = _export(api, voice_ids=[str(alice.pk), str(boris.pk), str(preset.pk)])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format_version"] == 1 and manifest["app_version"] == settings.VERSION
        assert manifest["categories"] == [{"name": "Audiobooks"}]
        assert [v["kind"] for v in manifest["voices"]] == ["cloned", "cloned", "preset"]
        assert manifest["voices"][2]["samples"] == [] and manifest["voices"][2]["preview"] is None
        for name, ref in manifest["files"].items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == ref["sha256"]
        assert len(manifest["files"]) == 2 * (4 + 1 + 1)

    # A second install: another owner, who has never seen these voices.
    other = _client_for(outsider)
    preview = _preview(other, data)
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert [v["action"] for v in body["voices"]] == ["create", "create", "link"]
    assert body["conflicts"] == [] and body["unknown_engines"] == []
    assert Voice.objects.filter(owner=outsider).count() == 0

    response = _import(other, data)
    assert response.status_code == 201, response.content
    result = response.json()
    assert [v["name"] for v in result["created"]] == ["Alice", "Boris"]
    assert result["linked"] == [{"id": str(preset.pk), "source_id": str(preset.pk), "name": preset.name}]
    assert result["categories_created"] == ["Audiobooks"]

    for source in (alice, boris):
        copy = Voice.objects.get(owner=outsider, name=source.name)
        assert copy.pk != source.pk
        assert {f: getattr(copy, f) for f in METADATA} == {f: getattr(source, f) for f in METADATA}
        assert (copy.category.name if copy.category else None) == (source.category.name if source.category else None)
        assert copy.category is None or copy.category.owner == outsider
        originals = list(source.samples.order_by("position"))
        copies = list(copy.samples.order_by("position"))
        assert len(copies) == len(originals) == 2
        for a, b in zip(originals, copies, strict=True):
            for field in ("position", "name", "start", "end", "duration", "transcript", "transcript_language"):
                assert getattr(a, field) == getattr(b, field)
            assert _sha(b.original.name) == _sha(a.original.name)
            assert _sha(b.cleaned.name) == _sha(a.cleaned.name)
            assert b.original.name.startswith(f"voices/{copy.pk}/samples/")
        assert _sha(copy.preview.name) == _sha(source.preview.name)
        # Paths inside the clone profile now point at the copy's own files.
        assert copy.profile["embedding"] == f"voices/{copy.pk}/profile/embedding.npy"
        assert _sha(copy.profile["embedding"]) == _sha(source.profile["embedding"])
        assert copy.profile["reference"] == copies[0].cleaned.name
        assert copy.profile["f0"] == source.profile["f0"]
    assert Favorite.objects.filter(user=outsider, voice__name="Alice").exists()
    assert not Favorite.objects.filter(user=outsider, voice__name="Boris").exists()
    assert Favorite.objects.filter(user=outsider, voice=preset).exists()

    # Exporting the copies again gives the same files, byte for byte.
    again = _export(other, voice_ids=[str(v.pk) for v in Voice.objects.filter(owner=outsider).order_by("name")])
    with zipfile.ZipFile(io.BytesIO(data)) as first, zipfile.ZipFile(io.BytesIO(again)) as second:
        hashes = [
            sorted(r["sha256"] for r in json.loads(a.read("manifest.json"))["files"].values()) for a in (first, second)
        ]
    assert hashes[0] == hashes[1]


def test_export_by_category_and_refusals(api, outsider, library):
    data = _export(api, category=library["category"].pk)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert [v["name"] for v in json.loads(archive.read("manifest.json"))["voices"]] == ["Alice"]
    theirs = VoiceFactory(owner=outsider, name="Secret")
    response = api.post("/api/voices/export", {"voice_ids": [str(library["alice"].pk), str(theirs.pk)]}, format="json")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert api.post("/api/voices/export", {"voice_ids": ["nope"]}, format="json").status_code == 404
    assert api.post("/api/voices/export", {}, format="json").status_code == 400
    other_category = CategoryFactory(owner=outsider, name="Theirs")
    assert api.post("/api/voices/export", {"category": other_category.pk}, format="json").status_code == 404
    assert list((Path(settings.DATA_DIR) / "tmp").glob("export-*")) == []


@pytest.mark.parametrize(
    ("strategy", "names", "replaced"),
    [
        ("skip", ["Alice", "Boris"], 0),
        ("rename", ["Alice", "Alice (2)", "Boris", "Boris (2)"], 0),
        ("replace", ["Alice", "Boris"], 2),
    ],
)
def test_conflict_strategies(api, library, strategy, names, replaced):
    data = _export(api, voice_ids=[str(library["alice"].pk), str(library["boris"].pk)])
    preview = _preview(api, data).json()
    assert preview["conflicts"] == ["Alice", "Boris"]
    assert preview["voices"][0]["conflicting_voice_id"] == str(library["alice"].pk)
    old_files = {_sha(s.original.name) for s in VoiceSample.objects.filter(voice=library["alice"])}
    old_sample_path = Path(settings.MEDIA_ROOT) / library["alice"].samples.first().original.name

    response = _import(api, data, conflict=strategy)
    assert response.status_code == 201, response.content
    result = response.json()
    assert len(result["replaced"]) == replaced
    assert sorted(Voice.objects.filter(owner=library["alice"].owner).values_list("name", flat=True)) == names
    if strategy == "skip":
        assert [s["name"] for s in result["skipped"]] == ["Alice", "Boris"]
    if strategy == "replace":
        assert not Voice.objects.filter(pk=library["alice"].pk).exists()
        assert not old_sample_path.exists()
        fresh = Voice.objects.get(name="Alice")
        assert {_sha(s.original.name) for s in fresh.samples.all()} == old_files
    else:
        assert old_sample_path.exists()


def test_preview_reports_unknown_engines_and_missing_presets(api, library):
    data = _export(api, voice_ids=[str(library["alice"].pk), str(library["preset"].pk)])

    def alter(manifest: dict) -> None:
        manifest["voices"][0]["engine"] = "future-engine"
        manifest["voices"][1]["engine_voice_id"] = "no-such-voice"

    body = _preview(api, _rebuild(data, alter)).json()
    assert body["unknown_engines"] == ["future-engine"]
    assert body["voices"][0]["engine_known"] is False
    assert body["voices"][1]["action"] == "unavailable"
    assert len(body["warnings"]) == 2


@pytest.mark.parametrize(
    "content",
    [b"this is not audio at all" * 100, b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/passwd\n"],
    ids=["garbage", "playlist"],
)
def test_a_bad_file_among_good_ones_imports_nothing(api, outsider, library, content):
    data = _export(api, voice_ids=[str(library["alice"].pk), str(library["boris"].pk)])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    last = manifest["voices"][1]["samples"][1]["cleaned"]
    data = _rebuild(data, lambda m: None, replace={last: content})
    before = _snapshot()
    response = _import(_client_for(outsider), data)
    assert response.status_code == 400, response.content
    assert "audio file" in response.json()["detail"] and last in response.json()["detail"]
    assert _snapshot() == before and Voice.objects.filter(owner=outsider).count() == 0


def test_a_failed_move_removes_what_was_moved(api, outsider, library, monkeypatch):
    data = _export(api, voice_ids=[str(library["alice"].pk), str(library["boris"].pk)])
    from voices.portability import importer

    real_move, calls = importer.shutil.move, []

    def flaky_move(source, target):
        calls.append(target)
        if len(calls) == 7:
            raise OSError("disk full")
        return real_move(source, target)

    monkeypatch.setattr(importer.shutil, "move", flaky_move)
    before = _snapshot()
    with pytest.raises(OSError):
        _import(_client_for(outsider), data)
    assert len(calls) == 7
    assert _snapshot() == before and Voice.objects.filter(owner=outsider).count() == 0


# --- unsafe or invalid archives ------------------------------------------------------------------


def _rebuild(data: bytes, alter, *, replace: dict[str, bytes] | None = None, fix_sums: bool = True) -> bytes:
    """A copy of an export with its manifest changed by `alter` and some entries' bytes replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        manifest = json.loads(source.read("manifest.json"))
        for info in source.infolist():
            if info.filename == "manifest.json":
                continue
            content = (replace or {}).get(info.filename, source.read(info))
            if fix_sums:
                manifest["files"][info.filename].update(sha256=hashlib.sha256(content).hexdigest(), size=len(content))
            target.writestr(info.filename, content)
        alter(manifest)
        target.writestr("manifest.json", json.dumps(manifest))
    return out.getvalue()


def _bundle(entries: dict[str, bytes], *, manifest: dict | None = None, voices: list | None = None) -> bytes:
    """A small archive with the given entries and a manifest listing them."""
    files = {n: {"sha256": hashlib.sha256(b).hexdigest(), "size": len(b)} for n, b in entries.items()}
    body = manifest or {"format": "clonyvoice", "format_version": 1, "voices": voices or [], "files": files}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(body))
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def _voice_with_sample(path: str) -> dict:
    return {
        "id": "v1",
        "name": "Bomb",
        "kind": "cloned",
        "engine": "espeak",
        "samples": [{"position": 0, "original": path}],
    }


def _snapshot() -> tuple:
    media, tmp = Path(settings.MEDIA_ROOT), Path(settings.DATA_DIR) / "tmp"
    return Voice.objects.count(), VoiceSample.objects.count(), _files_under(media), _files_under(tmp)


def _symlink_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "clonyvoice", "format_version": 1, "voices": []}))
        link = zipfile.ZipInfo("voices/v1/samples/1-original.wav")
        link.create_system = 3
        link.external_attr = (0o120777 & 0xFFFF) << 16
        archive.writestr(link, "/etc/passwd")
    return out.getvalue()


def _many_entries() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(10_000):
            archive.writestr(f"voices/v1/profile/{n}.txt", b"")
    return out.getvalue()


def _zero_filled(tmp_path: Path, size: int) -> bytes:
    """An archive with one `size`-byte zero-filled entry, written in chunks (deflated it is ~size/1000)."""
    path = tmp_path / "zeros.clonyvoice"
    name = "voices/v1/samples/1-original.wav"
    manifest = {
        "format": "clonyvoice",
        "format_version": 1,
        "voices": [_voice_with_sample(name)],
        "files": {name: {"sha256": "0" * 64, "size": size}},
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        chunk = bytes(4 * 1024 * 1024)
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = 1  # fast, and zeros still shrink ~230x
        with archive.open(info, "w", force_zip64=True) as entry:
            for _ in range(size // len(chunk)):
                entry.write(chunk)
    return path.read_bytes()


def _wrong_checksum() -> bytes:
    content = Path(_wav("tmp-source.wav")).name and (Path(settings.MEDIA_ROOT) / "tmp-source.wav").read_bytes()
    (Path(settings.MEDIA_ROOT) / "tmp-source.wav").unlink()
    name = "voices/v1/samples/1-original.wav"
    data = _bundle({name: content}, voices=[_voice_with_sample(name)])
    return _rebuild(data, lambda m: None, replace={name: content[:-100] + bytes(100)}, fix_sums=False)


BAD_ARCHIVES = {
    "dotdot": (lambda tmp: _bundle({"../../evil.txt": b"x"}), "unsafe_path", "'..'"),
    "dotdot_inside": (lambda tmp: _bundle({"voices/v1/../../x.wav": b"x"}), "unsafe_path", "'..'"),
    "absolute": (lambda tmp: _bundle({"/etc/cron.d/evil": b"x"}), "unsafe_path", "absolute"),
    "symlink": (lambda tmp: _symlink_zip(), "link_entry", "link"),
    "many_entries": (lambda tmp: _many_entries(), "too_many_entries", "10000 entries"),
    "zero_gigabyte": (lambda tmp: _zero_filled(tmp, 1024**3), "compression_ratio", "compression bomb"),
    "ratio_bomb": (
        lambda tmp: _bundle(
            {"voices/v1/samples/1-original.wav": bytes(20 * 1024 * 1024)},
            voices=[_voice_with_sample("voices/v1/samples/1-original.wav")],
        ),
        "compression_ratio",
        "expands more than",
    ),
    "format_version": (
        lambda tmp: _bundle({}, manifest={"format": "clonyvoice", "format_version": 2, "voices": [], "files": {}}),
        "unsupported_format_version",
        "format version 2",
    ),
    "checksum": (lambda tmp: _wrong_checksum(), "checksum_mismatch", "does not match"),
    "not_a_zip": (lambda tmp: b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(1000), "not_a_zip", "not a zip"),
    "empty": (lambda tmp: b"", "not_a_zip", "not a zip"),
    "no_manifest": (lambda tmp: _bundle({}, manifest={"format": "other"}), "invalid_archive", "not a ClonyVoice"),
}


@pytest.mark.parametrize("case", BAD_ARCHIVES)
def test_unsafe_or_invalid_archives_are_refused(api, owner, case, tmp_path):
    build, code, words = BAD_ARCHIVES[case]
    data = build(tmp_path)
    before = _snapshot()
    for send in (_preview, _import):
        response = send(api, data)
        assert response.status_code == 400, (case, response.content)
        assert response.json()["error"] == code, response.json()
        assert words in response.json()["detail"], response.json()
        assert _snapshot() == before


def test_total_size_is_counted_on_bytes_read(api, settings, tmp_path):
    """With the ratio check out of the way, the total-size limit stops a large entry while it is read."""
    settings.CLONYVOICE_IMPORT_MAX_RATIO = 10**9
    settings.CLONYVOICE_IMPORT_MAX_BYTES = 64 * 1024 * 1024
    data = _zero_filled(tmp_path, 32 * 1024 * 1024)
    # The central directory claims a tiny size; the bytes read are what count.
    patched = _rebuild(data, lambda m: m["files"]["voices/v1/samples/1-original.wav"].update(size=10), fix_sums=False)
    assert _import(api, patched).json()["error"] == "checksum_mismatch"
    settings.CLONYVOICE_IMPORT_MAX_BYTES = 16 * 1024 * 1024
    response = _import(api, data)
    assert response.status_code == 400 and response.json()["error"] == "too_large"


def test_upload_cap_answers_413_before_reading(api, settings):
    settings.CLONYVOICE_MAX_UPLOAD_BYTES = 1000
    response = _import(api, bytes(5000))
    assert response.status_code == 413 and response.json()["error"] == "too_large"


def test_unknown_strategy_and_missing_file(api, library):
    data = _export(api, voice_ids=[str(library["alice"].pk)])
    assert _import(api, data, conflict="merge").status_code == 400
    assert api.post("/api/voices/import", {}, format="multipart").status_code == 400
