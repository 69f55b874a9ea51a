"""Speech to text with Whisper (faster-whisper), for the API, cloning references and benchmarks.

`transcribe(...)` runs in-process and loads the model on first use: call it from worker code only (the
web process validates with `resolve_model` and enqueues a job instead). `word_error_rate` is plain Python.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from cloning.transcription import engine
from cloning.transcription.catalog import WhisperModelInfo, installed_models, resolve_model
from cloning.transcription.transcript import Segment, Transcript, Word, to_srt, to_vtt
from cloning.transcription.wer import normalize_words, word_error_rate

if TYPE_CHECKING:
    import numpy as np

    from clonyvoice.audio import Audio

__all__ = [
    "Segment",
    "Transcript",
    "WhisperModelInfo",
    "Word",
    "installed_models",
    "normalize_words",
    "resolve_model",
    "to_srt",
    "to_vtt",
    "transcribe",
    "word_error_rate",
]


def transcribe(
    source: Path | str | Audio | np.ndarray,
    *,
    model: str | None = None,
    language: str | None = None,
    word_timestamps: bool = True,
    **options: Any,
) -> Transcript:
    """Transcribe a file path, an Audio or 16 kHz float samples; see `engine.transcribe`. Worker code only."""
    return engine.transcribe(source, model=model, language=language, word_timestamps=word_timestamps, **options)
