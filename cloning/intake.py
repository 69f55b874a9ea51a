"""Sample intake shared by every clone endpoint: gate uploads in the request, clean them in the worker.

In the request each file is saved to a private temp file and probed with ffprobe (container, an audio stream,
a plausible size for its duration, 3 s to 10 min, at most 30 min in all), and regions are checked against the
probed durations, so bad input is a 400 before anything is stored. In the worker each sample (or region) is
decoded to mono float, trimmed of leading/trailing silence and loudness-normalized.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from cloning import voicing
from clonyvoice.audio import Audio
from clonyvoice.errors import ServiceError
from clonyvoice.media import MediaInfo, MediaRejected, decode, probe, require_audio, save_upload

MAX_FILES = 20
MAX_REGIONS = 100
MAX_FILE_BYTES = 300 * 1024 * 1024
MIN_SAMPLE_SECONDS = 3.0
MAX_SAMPLE_SECONDS = 10 * 60.0
MAX_TOTAL_SECONDS = 30 * 60.0
MIN_REGION_SECONDS = 0.5
MIN_SPEECH_SECONDS = 2.0  # what must be left after trimming silence
WORK_RATE = 24_000
TARGET_RMS_DBFS = -20.0
SILENCE_BELOW_PEAK_DB = 40.0


class TooManyFiles(ServiceError):
    code = "too_many_files"


@dataclass
class StagedFile:
    """An upload saved to a temp file and probed; the service moves it into the voice's folder."""

    path: Path
    name: str
    info: MediaInfo

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Region:
    file: int
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


def discard_all(staged: list[StagedFile]) -> None:
    for item in staged:
        item.discard()


def stage_uploads(files: list[UploadedFile], *, min_seconds: float = MIN_SAMPLE_SECONDS) -> list[StagedFile]:
    """Save and probe every upload; on any bad file all temp files are removed and MediaRejected raised."""
    if not files:
        raise ServiceError("Upload at least one audio sample.", code="no_samples")
    if len(files) > MAX_FILES:
        raise TooManyFiles(f"{len(files)} files were sent; at most {MAX_FILES} samples per voice.", limit=MAX_FILES)
    for upload in files:
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise MediaRejected(f"{upload.name} is larger than {MAX_FILE_BYTES // 2**20} MB.")
    staged: list[StagedFile] = []
    try:
        for upload in files:
            name = Path(upload.name or "sample").name[:200]
            path = save_upload(upload)
            staged.append(StagedFile(path=path, name=name, info=MediaInfo(0, 0, "", False, False)))
            try:
                info = require_audio(probe(path), min_seconds=min_seconds, max_seconds=MAX_SAMPLE_SECONDS)
            except MediaRejected as exc:
                raise MediaRejected(f"{name}: {exc.detail}") from exc
            staged[-1].info = info
        total = sum(item.info.duration for item in staged)
        if total > MAX_TOTAL_SECONDS:
            raise MediaRejected(
                f"The samples last {total / 60:.0f} min in all; at most {MAX_TOTAL_SECONDS / 60:.0f} min."
            )
    except BaseException:
        discard_all(staged)
        raise
    return staged


def parse_regions(raw: Any, staged: list[StagedFile]) -> list[Region]:
    """Regions `[{"file": i, "start": s, "end": e}]` (a list or its JSON text), checked against probed durations."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise ServiceError("regions must be a JSON list of {file, start, end}.", code="invalid_regions") from exc
    if not isinstance(raw, list) or not raw:
        raise ServiceError("Give at least one region {file, start, end}.", code="invalid_regions")
    if len(raw) > MAX_REGIONS:
        raise ServiceError(f"At most {MAX_REGIONS} regions.", code="invalid_regions")
    regions = []
    for index, item in enumerate(raw):
        try:
            file, start, end = int(item["file"]), float(item["start"]), float(item["end"])
        except (TypeError, KeyError, ValueError) as exc:
            raise ServiceError(
                f"Region {index} needs a file index and start and end seconds.", code="invalid_regions"
            ) from exc
        if not 0 <= file < len(staged):
            raise ServiceError(f"Region {index} names file {file}; there are {len(staged)}.", code="invalid_regions")
        duration = staged[file].info.duration
        if start < 0 or end < 0:
            raise ServiceError(f"Region {index} has a negative time.", code="invalid_regions")
        if end <= start:
            raise ServiceError(f"Region {index} ends before it starts.", code="invalid_regions")
        if end > duration + 0.05:
            raise ServiceError(
                f"Region {index} ends at {end:.2f} s, after the end of its file ({duration:.2f} s).",
                code="invalid_regions",
            )
        if end - start < MIN_REGION_SECONDS:
            raise ServiceError(f"Region {index} is shorter than {MIN_REGION_SECONDS} s.", code="invalid_regions")
        regions.append(Region(file=file, start=round(start, 3), end=round(min(end, duration), 3)))
    total = sum(r.duration for r in regions)
    if total < MIN_SAMPLE_SECONDS:
        raise ServiceError(
            f"The regions last {total:.1f} s; at least {MIN_SAMPLE_SECONDS:g} s is needed.", code="invalid_regions"
        )
    if total > MAX_TOTAL_SECONDS:
        raise ServiceError(f"The regions last more than {MAX_TOTAL_SECONDS / 60:.0f} min.", code="invalid_regions")
    return regions


def require_speech(staged: list[StagedFile], parts: list[tuple[int, float | None, float | None]]) -> None:
    """400 `no_speech` unless the samples (or their regions) hold voiced speech: silence or noise is not a voice."""
    voiced = 0.0
    for file, start, end in parts:
        audio = decode(staged[file].path, sample_rate=voicing.RATE, start=start, end=end)
        voiced += voicing.voiced_seconds(audio)
        if voiced >= voicing.MIN_VOICED_SECONDS:
            return
    raise ServiceError(
        "No speech was found in the samples (only silence or noise): record someone speaking.", code="no_speech"
    )


# --- worker side ---------------------------------------------------------------------------------------------


def trim_silence(audio: Audio, *, pad: float = 0.1) -> Audio:
    """Cut leading and trailing frames more than 40 dB under the loudest (and under -55 dBFS at least)."""
    import numpy as np

    frame = max(1, int(audio.sample_rate * 0.02))
    count = len(audio.samples) // frame
    if count == 0:
        return audio
    rms = np.sqrt(np.mean(audio.samples[: count * frame].reshape(count, frame) ** 2, axis=1) + 1e-12)
    level = 20 * np.log10(rms)
    threshold = max(level.max() - SILENCE_BELOW_PEAK_DB, -55.0)
    loud = np.nonzero(level > threshold)[0]
    if not len(loud):
        return Audio(samples=audio.samples[:0], sample_rate=audio.sample_rate)
    start = max(0, loud[0] * frame - int(pad * audio.sample_rate))
    end = min(len(audio.samples), (loud[-1] + 1) * frame + int(pad * audio.sample_rate))
    return Audio(samples=audio.samples[start:end], sample_rate=audio.sample_rate)


def normalize_loudness(audio: Audio) -> Audio:
    """Scale to -20 dBFS RMS over the voiced part, never past a -1 dBFS peak."""
    import numpy as np

    samples = audio.samples.astype(np.float32)
    if not len(samples):
        return audio
    frame = max(1, int(audio.sample_rate * 0.02))
    count = max(1, len(samples) // frame)
    rms = np.sqrt(np.mean(np.resize(samples, count * frame).reshape(count, frame) ** 2, axis=1) + 1e-12)
    active = rms[rms > rms.max() * 0.1]
    level = float(np.sqrt(np.mean(active**2))) if len(active) else float(rms.mean())
    gain = 10 ** (TARGET_RMS_DBFS / 20) / max(level, 1e-6)
    peak = float(np.max(np.abs(samples))) or 1.0
    gain = min(gain, 10 ** (-1 / 20) / peak)
    return Audio(samples=np.clip(samples * gain, -1.0, 1.0).astype(np.float32), sample_rate=audio.sample_rate)


def clean(path: Path, *, start: float | None = None, end: float | None = None) -> Audio:
    """Decode a stored sample (or a region of it) to the cleaned mono clip the engines use."""
    audio = decode(path, sample_rate=WORK_RATE, start=start, end=end)
    return normalize_loudness(trim_silence(audio))


def split_held_out(audio: Audio) -> tuple[Audio, Audio, bool]:
    """(fit part, held-out part, really held out): a quarter, 1 to 10 s, kept apart to score the clone on."""
    if audio.duration < 4.0:
        return audio, audio, False
    held = min(max(audio.duration * 0.25, 1.0), 10.0)
    cut = len(audio.samples) - int(held * audio.sample_rate)
    return (
        Audio(samples=audio.samples[:cut], sample_rate=audio.sample_rate),
        Audio(samples=audio.samples[cut:], sample_rate=audio.sample_rate),
        True,
    )
