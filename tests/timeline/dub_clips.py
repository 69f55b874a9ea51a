"""What the dub tests share: a short talking clip (real speech, Piper or eSpeak NG without it, with pauses, under a
test picture, muxed by ffmpeg) and its upload, and the preset voice that speaks Spanish without a clone."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile

from clonyvoice.audio import Audio, join, write_wav
from synthesis.engines import SynthesisRequest, get_engine
from voices.models import Voice

LINES = [
    "Good morning, my friends.",
    "The weather is very nice today.",
    "We are going to the market to buy some green apples.",
]


def speech(lines: list[str] = LINES, pause: float = 0.7) -> Audio:
    piper = get_engine("piper")
    if piper.is_installed():
        parts = [piper.synthesize(SynthesisRequest(text=line, voice_id=piper.voices()[0].voice_id)) for line in lines]
    else:
        espeak = get_engine("espeak")
        parts = [espeak.synthesize(SynthesisRequest(text=line, voice_id="en-us")) for line in lines]
    spoken = join(parts, gap=pause)
    lead = np.zeros(int(0.5 * spoken.sample_rate), dtype=np.float32)
    return Audio(samples=np.concatenate([lead, spoken.samples, lead]), sample_rate=spoken.sample_rate)


def with_picture(folder: Path, sound: Path, name: str = "talk.mp4", *, tail: float = 0.0) -> Path:
    """`sound` under a moving test picture, as H.264 + AAC in MP4: as long as the sound, or with the picture going
    on `tail` s after the sound ends."""
    target = folder / name
    args = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=96x64:rate=10", "-i", str(sound)]
    args += ["-t", f"{seconds(sound) + tail:.3f}"] if tail else ["-shortest"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-pix_fmt", "yuv420p", str(target)]
    subprocess.run(args, check=True)
    return target


def talking_clip(folder: Path, lines: list[str] = LINES, *, tail: float = 0.0) -> Path:
    wav = folder / "talk.wav"
    write_wav(wav, speech(lines))
    return with_picture(folder, wav, tail=tail)


def silent_clip(folder: Path, seconds: float = 4.0) -> Path:
    target = folder / "silent.mp4"
    args = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size=96x64:rate=10:duration={seconds}"]
    args += ["-f", "lavfi", "-i", f"anullsrc=r=16000:cl=mono:d={seconds}", "-shortest", "-c:v", "libx264"]
    args += ["-preset", "ultrafast", "-c:a", "aac", "-pix_fmt", "yuv420p", str(target)]
    subprocess.run(args, check=True)
    return target


def streams(path: Path) -> set[str]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {line.strip() for line in out.splitlines() if line.strip()}


def seconds(path: Path, stream: str = "") -> float:
    """ffprobe's duration of the file (its container), or of its first `stream` (audio, video)."""
    what = ["-select_streams", f"{stream[0]}:0", "-show_entries", "stream=duration"] if stream else []
    args = ["ffprobe", "-v", "error", *(what or ["-show_entries", "format=duration"]), "-of", "csv=p=0", str(path)]
    return float(subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip().splitlines()[0])


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="video/mp4")


def spanish_voice() -> Voice:
    return Voice.objects.get(kind=Voice.Kind.PRESET, engine="espeak", engine_voice_id="es")
