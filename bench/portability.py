"""Voice portability: a `.clonyvoice` round trip of 50 voices between two installs, timed and byte-checked.

Starts two products as the README does (embedded Redis, daphne, workers), each in its own data dir: the
"first install" gets 50 cloned voices (two samples each, original 44.1 kHz + cleaned 24 kHz, ~10 s, a
preview and a clone-profile file), then through the API:
  export   POST /api/voices/export on the first install (all 50 voices)
  preview  POST /api/voices/import/preview on the second install
  import   POST /api/voices/import on the second install
  upload   the same upload refused once parsed: what moving the bytes through HTTP costs by itself
and checks that the second install's voices have identical metadata and byte-identical files (by
exporting them again and comparing every voice's metadata and every file's sha256).

    .venv/bin/python bench/portability.py [--voices 50] [--seconds 10]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live.product import Product  # noqa: E402

SEED = """
import numpy as np
from pathlib import Path
from django.conf import settings
from clonyvoice.accounts import owner_ensure
from clonyvoice.audio import Audio, write_wav
from voices.models import Category, Voice, VoiceSample

rng = np.random.default_rng(7)
owner, _ = owner_ensure()
media = Path(settings.MEDIA_ROOT)
categories = [Category.objects.get_or_create(owner=owner, name=f"Bench {{n}}")[0] for n in range(5)]

def clip(relative, seconds, rate):
    t = np.arange(int(seconds * rate)) / rate
    tone = 0.2 * np.sin(2 * np.pi * rng.uniform(90, 250) * t) + 0.05 * rng.standard_normal(len(t))
    write_wav(media / relative, Audio(samples=tone.astype(np.float32), sample_rate=rate))
    return relative

for n in range({voices}):
    voice = Voice.objects.create(
        owner=owner, name=f"Bench voice {{n:02d}}", kind="cloned", engine="espeak", engine_voice_id="en-us",
        languages=["en-us", "en"], gender="female", tags=["bench"], category=categories[n % 5],
        description="A voice for the portability benchmark.", similarity=0.8 + n / 1000, default_seed=n,
    )
    for position in range(2):
        sample = VoiceSample(voice=voice, position=position, name=f"take {{position}}.wav", duration={seconds})
        sample.original.name = clip(f"voices/{{voice.pk}}/samples/{{sample.pk}}.wav", {seconds}, 44100)
        sample.cleaned.name = clip(f"voices/{{voice.pk}}/samples/{{sample.pk}}-clean.wav", {seconds}, 24000)
        sample.save()
    voice.preview.name = clip(f"previews/{{voice.pk}}.wav", 3, 24000)
    profile = media / f"voices/{{voice.pk}}/profile/embedding.npy"
    profile.parent.mkdir(parents=True, exist_ok=True)
    np.save(profile, rng.standard_normal(256).astype(np.float32))
    voice.profile = {{"method": "world", "embedding": f"voices/{{voice.pk}}/profile/embedding.npy"}}
    voice.save()
print(Voice.objects.filter(owner=owner).count())
"""

METADATA = ("name", "description", "languages", "gender", "age", "accent", "tags", "kind", "engine")
METADATA += ("engine_voice_id", "defaults", "similarity", "category", "is_favorite")


def _manifest(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return json.loads(archive.read("manifest.json"))


def _fingerprint(manifest: dict) -> tuple[dict, dict]:
    """Per voice name: its metadata, and the sha256 of each of its files in order."""
    files = manifest["files"]
    metadata, hashes = {}, {}
    for voice in manifest["voices"]:
        metadata[voice["name"]] = {k: voice[k] for k in METADATA}
        paths = [p for s in voice["samples"] for p in (s["original"], s["cleaned"])]
        paths += [voice["preview"], *voice["profile_files"]]
        hashes[voice["name"]] = [files[p]["sha256"] for p in paths]
    return metadata, hashes


def _own_voice_ids(client) -> list[str]:
    body = client.get("/api/voices", params={"kind": "cloned", "page_size": 500}).raise_for_status().json()
    return [v["id"] for v in body["results"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voices", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each sample")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="cv-bench-portability-"))
    limits = ["--limit", "voices:read=10000", "--limit", "voices:write=10000"]
    first = Product(base / "first").start()
    second = None
    try:
        second = Product(base / "second").start()
        seeded = first.manage("shell", "-c", SEED.format(voices=args.voices, seconds=args.seconds)).split()[-1]
        assert int(seeded) == args.voices, seeded
        with first.client(first.create_key(*limits)) as a, second.client(second.create_key(*limits)) as b:
            a.timeout = b.timeout = 600
            ids = _own_voice_ids(a)

            start = time.perf_counter()
            exported = a.post("/api/voices/export", json={"voice_ids": ids}).raise_for_status().content
            export_s = time.perf_counter() - start

            upload = {"file": ("bench.clonyvoice", exported, "application/zip")}
            # Baseline: the same upload to the import endpoint, refused after the body is parsed.
            start = time.perf_counter()
            refused = b.post("/api/voices/import", files=upload, data={"conflict": "none"})
            upload_s = time.perf_counter() - start
            assert refused.status_code == 400, refused.text
            start = time.perf_counter()
            preview = b.post("/api/voices/import/preview", files=upload).raise_for_status().json()
            preview_s = time.perf_counter() - start

            start = time.perf_counter()
            result = b.post("/api/voices/import", files=upload, data={"conflict": "rename"}).raise_for_status().json()
            import_s = time.perf_counter() - start

            again = b.post("/api/voices/export", json={"voice_ids": _own_voice_ids(b)}).raise_for_status().content
    finally:
        if second is not None:
            second.stop()
        first.stop()

    source, copy = _manifest(exported), _manifest(again)
    (meta_a, hash_a), (meta_b, hash_b) = _fingerprint(source), _fingerprint(copy)
    size_mb = len(exported) / 1024 / 1024
    files = len(source["files"])
    print(f"{args.voices} voices, {files} files, {size_mb:.1f} MB archive; two installs (serve), one client each")
    print(f"export   {export_s:7.2f} s   {size_mb / export_s:7.1f} MB/s   (request to last byte received)")
    print(f"upload   {upload_s:7.2f} s   {size_mb / upload_s:7.1f} MB/s   (baseline: body sent, parsed, refused)")
    shown = len(preview["voices"])
    print(f"preview  {preview_s:7.2f} s   {size_mb / preview_s:7.1f} MB/s   ({shown} voices, nothing written)")
    print(f"import   {import_s:7.2f} s   {size_mb / import_s:7.1f} MB/s   ({len(result['created'])} created)")
    print(f"round trip (export + import) {export_s + import_s:.2f} s")
    print(f"metadata identical: {meta_a == meta_b}   files byte-identical: {hash_a == hash_b}")
    if meta_a != meta_b or hash_a != hash_b or len(result["created"]) != args.voices:
        raise SystemExit("round trip is not identical")


if __name__ == "__main__":
    main()
