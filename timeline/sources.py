"""What blocks point at: the owner's takes and media files, looked up by id only, and their waveform peaks."""

from __future__ import annotations

import logging
import subprocess
import uuid
import wave
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from clonyvoice.audio import FFMPEG, AudioError, read_wav
from clonyvoice.errors import ServiceError
from clonyvoice.models import MediaFile
from synthesis.models import Take
from timeline.models import SourcePeaks

logger = logging.getLogger(__name__)

PEAKS_RATE = 100  # stored peaks per second of source
PEAKS_DECODE_RATE = 8000
MAX_IMAGE_SECONDS = 24 * 60 * 60


class UnknownSource(ServiceError):
    code = "unknown_source"


@dataclass(frozen=True)
class SourceRef:
    """A block's source as the API names it: ("take", 12) or ("media", UUID)."""

    kind: str
    id: Any

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


def source_ref(kind: str, raw_id: Any) -> SourceRef:
    """Parse an id as the kind's key type; a path, URL or `concat:`-style string is not an id."""
    text = str(raw_id).strip()
    if kind == "take" and text.isascii() and text.isdigit() and len(text) <= 18:
        return SourceRef("take", int(text))
    if kind == "media":
        try:
            return SourceRef("media", uuid.UUID(text))
        except ValueError:
            pass
    raise UnknownSource(f"Blocks name stored sources by id; {text[:80]!r} is not a {kind} id.", kind=kind, id=text[:80])


def sources_fetch(*, owner: AbstractBaseUser, refs: Iterable[SourceRef]) -> dict[str, Take | MediaFile]:
    """The owner's takes and media files among `refs`, keyed by ref key; anyone else's are simply absent."""
    refs = list(refs)
    take_ids = {r.id for r in refs if r.kind == "take"}
    media_ids = {r.id for r in refs if r.kind == "media"}
    found: dict[str, Take | MediaFile] = {}
    if take_ids:
        takes = Take.objects.filter(pk__in=take_ids, chunk__generation__owner=owner).select_related("chunk")
        found.update({f"take:{t.pk}": t for t in takes})
    if media_ids:
        found.update({f"media:{m.pk}": m for m in MediaFile.objects.filter(pk__in=media_ids, owner=owner)})
    return found


def media_is_picture(media: MediaFile) -> bool:
    return bool(media.info.get("has_video") or media.info.get("is_image"))


def media_has_audio(media: MediaFile) -> bool:
    return bool(media.info.get("has_audio"))


def source_duration(source: Take | MediaFile) -> float:
    """Seconds a block may reach into the source; a still image lasts as long as it is placed."""
    if isinstance(source, Take):
        return source.duration
    if source.info.get("is_image"):
        return float(MAX_IMAGE_SECONDS)
    return source.duration


def source_rate_and_channels(source: Take | MediaFile) -> tuple[int, int]:
    if isinstance(source, Take):
        return source.sample_rate, 1
    return int(source.info.get("sample_rate") or 0), int(source.info.get("channels") or 0)


def _peaks_of(samples: np.ndarray, per_peak: int) -> np.ndarray:
    count = -(-len(samples) // per_peak)
    padded = np.zeros(count * per_peak, dtype=np.float32)
    padded[: len(samples)] = np.abs(samples)
    return padded.reshape(count, per_peak).max(axis=1)


def _to_bytes(peaks: np.ndarray) -> bytes:
    return np.clip(np.round(peaks * 255.0), 0, 255).astype(np.uint8).tobytes()


def peaks_compute_take(take: Take) -> bytes:
    audio = read_wav(Path(take.audio.path))
    return _to_bytes(_peaks_of(audio.samples, max(1, audio.sample_rate // PEAKS_RATE)))


def peaks_compute_media(media: MediaFile, *, timeout: float = 600) -> bytes:
    """Peaks of a media file's audio, decoded by ffmpeg in a stream (a long file never sits in memory)."""
    if not media_has_audio(media):
        return b""
    per_peak = PEAKS_DECODE_RATE // PEAKS_RATE
    args = [*FFMPEG, "-i", f"file:{media.file.path}", "-vn", "-map", "0:a:0", "-ac", "1"]
    args += ["-ar", str(PEAKS_DECODE_RATE), "-f", "f32le", "pipe:1"]
    out: list[bytes] = []
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as process:
        block = per_peak * 4 * PEAKS_RATE * 10  # ten seconds at a time
        while chunk := process.stdout.read(block):
            samples = np.frombuffer(chunk[: len(chunk) // 4 * 4], dtype="<f4")
            out.append(_to_bytes(_peaks_of(samples, per_peak)))
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            process.kill()
            raise AudioError("Computing the waveform took too long.") from exc
    if code != 0:
        raise AudioError("The audio could not be decoded for its waveform.")
    return b"".join(out)


def peaks_store_media(media: MediaFile) -> None:
    """Compute and keep a media file's peaks (at import, so a GET never decodes a long file)."""
    SourcePeaks.objects.update_or_create(media=media, defaults={"rate": PEAKS_RATE, "data": peaks_compute_media(media)})


def _safely(compute: Any, source: Take | MediaFile) -> bytes | None:
    """A file gone from disk or unreadable draws no waveform (and is retried next time), never a 500."""
    try:
        return compute(source)
    except (OSError, ValueError, EOFError, wave.Error, AudioError) as exc:
        logger.warning("no peaks for %s: %s", source, exc)
        return None


def peaks_get(sources: Iterable[Take | MediaFile]) -> dict[str, bytes]:
    """Peaks per source key, computing (and keeping) any that are missing."""
    sources = list(sources)
    takes = {s.pk: s for s in sources if isinstance(s, Take)}
    media = {s.pk: s for s in sources if isinstance(s, MediaFile)}
    found: dict[str, bytes] = {}
    for row in SourcePeaks.objects.filter(take_id__in=list(takes)).values_list("take_id", "data"):
        found[f"take:{row[0]}"] = bytes(row[1])
    for row in SourcePeaks.objects.filter(media_id__in=list(media)).values_list("media_id", "data"):
        found[f"media:{row[0]}"] = bytes(row[1])
    new: list[SourcePeaks] = []
    for pk, take in takes.items():
        if f"take:{pk}" not in found and (data := _safely(peaks_compute_take, take)) is not None:
            found[f"take:{pk}"] = data
            new.append(SourcePeaks(take=take, rate=PEAKS_RATE, data=data))
    for pk, item in media.items():
        if f"media:{pk}" not in found and (data := _safely(peaks_compute_media, item)) is not None:
            found[f"media:{pk}"] = data
            new.append(SourcePeaks(media=item, rate=PEAKS_RATE, data=data))
    if new:
        try:
            with transaction.atomic():
                SourcePeaks.objects.bulk_create(new, ignore_conflicts=True)
        except IntegrityError:  # a source deleted meanwhile: its peaks are not worth keeping
            pass
    return found


def peaks_slice(
    data: bytes, *, in_point: float, out_point: float, per_second: int, limit: int
) -> tuple[list[float], float]:
    """A block's part of a source's peaks near `per_second` (max of each group), at most `limit` values.

    Returns the peaks (0..1) and how many there are per second of the block.
    """
    if not data or per_second <= 0:
        return [], 0.0
    stored = np.frombuffer(data, dtype=np.uint8)[int(in_point * PEAKS_RATE) : int(np.ceil(out_point * PEAKS_RATE))]
    if not len(stored):
        return [], 0.0
    group = max(1, PEAKS_RATE // per_second, -(-len(stored) // limit))
    count = -(-len(stored) // group)
    padded = np.zeros(count * group, dtype=np.uint8)
    padded[: len(stored)] = stored
    peaks = padded.reshape(count, group).max(axis=1) / 255.0
    return np.round(peaks, 3).tolist(), PEAKS_RATE / group
