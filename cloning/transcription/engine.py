"""faster-whisper, loaded once per (model, device, compute type) and kept warm. Worker code only.

Audio is decoded by clonyvoice.media.decode (ffmpeg, file protocol only) rather than faster-whisper's
own PyAV decoder, which would follow whatever URLs a playlist-like container points at.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings

from cloning.transcription.catalog import WhisperModelInfo, resolve_model
from cloning.transcription.transcript import Segment, Transcript, Word
from clonyvoice import audio as audio_io
from clonyvoice.audio import Audio
from clonyvoice.media import decode

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

logger = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
_lock = threading.Lock()
_models: dict[tuple[str, str, str], WhisperModel] = {}

# Called with (seconds transcribed so far, total seconds) after each segment; may raise to stop.
ProgressCallback = Callable[[float, float], None]


def runtime() -> tuple[str, str, int]:
    """Device, compute type and CPU threads: CLONYVOICE_WHISPER_DEVICE/_COMPUTE_TYPE/_THREADS or a good guess."""
    device = settings.CLONYVOICE_WHISPER_DEVICE
    if device == "auto":
        import ctranslate2

        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    compute_type = settings.CLONYVOICE_WHISPER_COMPUTE_TYPE or ("float16" if device == "cuda" else "int8")
    threads = settings.CLONYVOICE_WHISPER_THREADS or min(4, os.cpu_count() or 1)
    return device, compute_type, threads


def load(info: WhisperModelInfo) -> WhisperModel:
    """The loaded model for `info`, from the cache when this process loaded it before."""
    device, compute_type, threads = runtime()
    key = (str(info.path), device, compute_type)
    with _lock:
        model = _models.get(key)
        if model is None:
            from faster_whisper import WhisperModel

            started = time.monotonic()
            model = WhisperModel(
                str(info.path), device=device, compute_type=compute_type, cpu_threads=threads, local_files_only=True
            )
            _models[key] = model
            logger.info(
                "loaded whisper %s (%s, %s) in %.1f s", info.name, device, compute_type, time.monotonic() - started
            )
    return model


def loaded_models() -> list[dict[str, Any]]:
    return [{"path": path, "device": device, "compute_type": ct} for path, device, ct in _models]


def _samples(source: Path | str | Audio | np.ndarray) -> np.ndarray:
    if isinstance(source, np.ndarray):
        return source.astype(np.float32, copy=False)
    if isinstance(source, Audio):
        if source.sample_rate != SAMPLE_RATE:
            source = audio_io.resample(source, SAMPLE_RATE)
        return source.samples.astype(np.float32, copy=False)
    return decode(Path(source), sample_rate=SAMPLE_RATE).samples


def transcribe(
    source: Path | str | Audio | np.ndarray,
    *,
    model: str | None = None,
    language: str | None = None,
    word_timestamps: bool = True,
    beam_size: int = 5,
    on_progress: ProgressCallback | None = None,
) -> Transcript:
    """Transcribe a file, an Audio, or 16 kHz mono float samples with an installed Whisper model.

    `language` None or "auto" lets Whisper detect it. `on_progress` is called after every segment.
    """
    language = None if not language or language == "auto" else language.split("-")[0].lower()
    info = resolve_model(model, language=language)
    whisper = load(info)
    samples = _samples(source)
    duration = len(samples) / SAMPLE_RATE
    pieces, result = whisper.transcribe(
        samples, language=language, beam_size=beam_size, word_timestamps=word_timestamps
    )
    segments: list[Segment] = []
    for piece in pieces:  # a generator: Whisper decodes 30 s windows as it is iterated
        words = [
            Word(
                start=round(float(w.start), 3),
                end=round(float(w.end), 3),
                word=w.word,
                probability=round(float(w.probability), 4),
            )
            for w in piece.words or []
        ]
        segments.append(
            Segment(
                id=len(segments),
                start=round(float(piece.start), 3),
                end=round(float(piece.end), 3),
                text=piece.text.strip(),
                words=words,
            )
        )
        if on_progress is not None:
            on_progress(min(float(piece.end), duration), duration)
    return Transcript(
        text=" ".join(s.text for s in segments if s.text),
        segments=segments,
        language=result.language,
        language_probability=round(float(result.language_probability), 4),
        duration=round(duration, 3),
        model=info.name,
    )
