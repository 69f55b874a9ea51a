"""POST /api/audio-duration: ffprobe facts about an upload or a stored file, nothing decoded."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from clonyvoice.audio import Audio, write_wav
from clonyvoice.media import media_store, probe
from tests.factories import VoiceFactory
from voices.models import VoiceSample

pytestmark = pytest.mark.django_db


def _tone(path: Path, seconds: float, rate: int = 22050) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    write_wav(path, Audio(samples=(0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), sample_rate=rate))
    return path


def _temp_files() -> list[Path]:
    folder = Path(settings.DATA_DIR) / "tmp"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_duration_of_an_uploaded_wav_and_mp3(api, tmp_path):
    wav = _tone(tmp_path / "tone.wav", 2.5)
    response = api.post(
        "/api/audio-duration", {"file": SimpleUploadedFile("tone.wav", wav.read_bytes())}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "duration": 2.5,
        "sample_rate": 22050,
        "channels": 1,
        "codec": "pcm_s16le",
        "container": "wav",
        "size": wav.stat().st_size,
        "has_video": False,
    }
    mp3 = tmp_path / "tone.mp3"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(wav), "-ac", "2", "-ar", "44100", "-c:a", "libmp3lame", str(mp3)],
        check=True,
    )
    body = api.post(
        "/api/audio-duration", {"file": SimpleUploadedFile("x.mp3", mp3.read_bytes())}, format="multipart"
    ).json()
    assert body["codec"] == "mp3" and body["container"] == "mp3"
    assert body["sample_rate"] == 44100 and body["channels"] == 2
    assert body["duration"] == pytest.approx(2.5, abs=0.1)
    assert _temp_files() == []


def test_duration_of_stored_media_and_samples(api, owner, outsider, tmp_path):
    wav = _tone(tmp_path / "a.wav", 1.25, rate=16000)
    media = media_store(owner=owner, path=wav, name="a.wav", info=probe(wav))
    response = api.post("/api/audio-duration", {"media_id": str(media.pk)}, format="json")
    assert response.status_code == 200
    assert response.json()["duration"] == 1.25 and response.json()["sample_rate"] == 16000

    voice = VoiceFactory(owner=owner, kind="cloned")
    sample = VoiceSample(voice=voice, name="s")
    sample_wav = _tone(Path(settings.MEDIA_ROOT) / "voices" / "s.wav", 0.75)
    sample.original.name = str(sample_wav.relative_to(settings.MEDIA_ROOT))
    sample.save()
    assert api.post("/api/audio-duration", {"sample_id": str(sample.pk)}, format="json").json()["duration"] == 0.75

    theirs = VoiceSample.objects.create(
        voice=VoiceFactory(owner=outsider, kind="cloned"), original=sample.original.name
    )
    assert api.post("/api/audio-duration", {"sample_id": str(theirs.pk)}, format="json").status_code == 404
    assert api.post("/api/audio-duration", {"media_id": "not-a-uuid"}, format="json").status_code == 404


@pytest.mark.parametrize(
    ("content", "error"),
    [(b"", "invalid_media"), (b"%PDF-1.4 not audio" * 100, "invalid_media")],
)
def test_non_audio_is_400_and_leaves_no_temp_file(api, content, error):
    response = api.post("/api/audio-duration", {"file": SimpleUploadedFile("f.wav", content)}, format="multipart")
    assert response.status_code == 400, response.content
    assert response.json()["error"] == error
    assert _temp_files() == []


def test_exactly_one_source(api):
    response = api.post("/api/audio-duration", {}, format="json")
    assert response.status_code == 400
    assert "exactly one" in response.json()["detail"]
