"""VITS through transformers: Meta's MMS-TTS checkpoints (one language each) or any local VITS folder."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from clonyvoice.downloads import disk_size, hub_cache_dir, hub_snapshot, model_row, modules_present
from synthesis.engines import register
from synthesis.engines.base import (
    Audio,
    Capabilities,
    EngineError,
    ModelNotInstalled,
    PresetVoice,
    SynthesisRequest,
)

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizer, VitsModel

INSTALL_HINT = "python manage.py models pull {name}"
META_FILE = "clonyvoice.json"
MMS_PREFIX = "mms-tts-"
SUGGESTED = ("mms-tts-eng", "mms-tts-rus")

# ISO 639-3 codes of MMS checkpoints -> BCP-47. Codes missing here are used as they are (valid BCP-47 too).
ISO3_TO_BCP47 = {
    "eng": "en",
    "rus": "ru",
    "deu": "de",
    "fra": "fr",
    "spa": "es",
    "por": "pt",
    "ita": "it",
    "nld": "nl",
    "pol": "pl",
    "ukr": "uk",
    "bel": "be",
    "bul": "bg",
    "ces": "cs",
    "slk": "sk",
    "ron": "ro",
    "hun": "hu",
    "fin": "fi",
    "swe": "sv",
    "nob": "nb",
    "dan": "da",
    "ell": "el",
    "tur": "tr",
    "ara": "ar",
    "heb": "he",
    "hin": "hi",
    "ben": "bn",
    "urd": "ur",
    "fas": "fa",
    "vie": "vi",
    "tha": "th",
    "ind": "id",
    "kor": "ko",
    "jpn": "ja",
    "cmn": "zh",
    "kaz": "kk",
    "uzb": "uz",
    "kat": "ka",
    "hye": "hy",
    "swh": "sw",
    "tgl": "tl",
}


@dataclass(frozen=True)
class VitsCheckpoint:
    """A VITS model folder (config.json + weights + tokenizer files) and what we know about it."""

    voice_id: str
    path: Path
    languages: tuple[str, ...]
    display_name: str
    source: str  # "local" (MODELS_DIR/vits) or "hub-cache"


def _is_vits_folder(path: Path) -> bool:
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return config.get("model_type") == "vits" and (path / "vocab.json").is_file()


def _mms_languages(name: str) -> tuple[str, ...]:
    if not name.startswith(MMS_PREFIX):
        return ()
    code = name.removeprefix(MMS_PREFIX).split("_")[0].lower()
    return (ISO3_TO_BCP47.get(code, code),)


def _describe(voice_id: str, path: Path, source: str) -> VitsCheckpoint:
    languages, display = _mms_languages(voice_id), ""
    try:
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    if isinstance(meta, dict):
        languages = tuple(str(tag).lower() for tag in meta.get("languages") or ()) or languages
        display = str(meta.get("name") or "")
    if not display:
        display = f"MMS {languages[0]}" if voice_id.startswith(MMS_PREFIX) and languages else f"VITS {voice_id}"
    return VitsCheckpoint(voice_id=voice_id, path=path, languages=languages, display_name=display, source=source)


def hub_repo_id(name: str) -> str:
    """ "mms-tts-rus" -> "facebook/mms-tts-rus"; anything with an owner is left as it is."""
    name = name.removeprefix("vits:")
    return name if "/" in name else f"facebook/{name}"


class VitsEngine:
    """VITS models through transformers' VitsModel: MMS-TTS languages or local folders; native speed; seeded."""

    name = "vits"
    preset_rank = 3  # neural presets make the best base for a designed voice
    label = "MMS / VITS (transformers)"
    license = "CC-BY-NC-4.0 (MMS checkpoints)"
    capabilities = Capabilities(preset_voices=True, speed=True, seed=True)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[Path, tuple[VitsModel, PreTrainedTokenizer]] = {}

    @property
    def models_dir(self) -> Path:
        return Path(settings.MODELS_DIR) / "vits"

    def checkpoints(self) -> dict[str, VitsCheckpoint]:
        found: dict[str, VitsCheckpoint] = {}
        if self.models_dir.is_dir():
            for path in sorted(self.models_dir.iterdir()):
                if path.is_dir() and _is_vits_folder(path):
                    found[path.name] = _describe(path.name, path, "local")
        cache = hub_cache_dir()
        if cache.is_dir():
            for repo_dir in sorted(cache.glob(f"models--facebook--{MMS_PREFIX}*")):
                name = repo_dir.name.split("--", 2)[-1]
                snapshot = hub_snapshot(f"facebook/{name}")
                if name not in found and snapshot is not None and _is_vits_folder(snapshot):
                    found[name] = _describe(name, snapshot, "hub-cache")
        return found

    def _runtime_present(self) -> bool:
        return modules_present("torch", "transformers")

    def is_installed(self) -> bool:
        return self._runtime_present() and bool(self.checkpoints())

    def status(self) -> dict[str, Any]:
        runtime = self._runtime_present()
        found = self.checkpoints()
        rows = [
            model_row(
                self.name,
                voice_id,
                installed=runtime,
                size_bytes=disk_size(checkpoint.path),
                license=self.license if voice_id.startswith(MMS_PREFIX) else "see the model's card",
                path=str(checkpoint.path),
                source=checkpoint.source,
            )
            for voice_id, checkpoint in found.items()
        ]
        rows += [
            model_row(self.name, name, installed=False, license=self.license, source=f"hub {hub_repo_id(name)}")
            for name in SUGGESTED
            if name not in found
        ]
        return {
            "voices": len(found) if runtime else 0,
            "install_hint": INSTALL_HINT.format(name="vits:facebook/mms-tts-<lang>"),
            "models": rows,
        }

    def voices(self) -> list[PresetVoice]:
        if not self._runtime_present():
            return []
        return [
            PresetVoice(
                engine=self.name,
                voice_id=voice_id,
                name=checkpoint.display_name,
                languages=checkpoint.languages,
                description=f"VITS model {voice_id}",
                tags=("neural", "mms") if voice_id.startswith(MMS_PREFIX) else ("neural",),
                technology="neural",
            )
            for voice_id, checkpoint in self.checkpoints().items()
        ]

    def _load(self, checkpoint: VitsCheckpoint) -> tuple[VitsModel, PreTrainedTokenizer]:
        loaded = self._loaded.get(checkpoint.path)
        if loaded is None:
            from transformers import AutoTokenizer, VitsModel

            try:
                model = VitsModel.from_pretrained(checkpoint.path, local_files_only=True)
                tokenizer = AutoTokenizer.from_pretrained(checkpoint.path, local_files_only=True)
            except Exception as exc:  # a damaged download fails in safetensors, torch or the tokenizer
                raise EngineError(f"Could not load VITS model {checkpoint.voice_id!r}: {exc}") from exc
            model.eval()
            loaded = self._loaded[checkpoint.path] = (model, tokenizer)
        return loaded

    def synthesize(self, request: SynthesisRequest) -> Audio:
        if not self._runtime_present():
            raise ModelNotInstalled(
                "torch and transformers are not installed.", install_hint="pip install -r requirements.txt"
            )
        checkpoint = self.checkpoints().get(request.voice_id)
        if checkpoint is None:
            if request.voice_id.startswith(MMS_PREFIX):
                raise ModelNotInstalled(
                    f"The VITS model {request.voice_id!r} is not installed.",
                    install_hint=INSTALL_HINT.format(name=request.voice_id),
                )
            raise EngineError(f"VITS has no voice {request.voice_id!r}.")

        import numpy as np
        import torch

        speed = min(max(request.speed, 0.5), 2.0)
        with self._lock:
            model, tokenizer = self._load(checkpoint)
            inputs = tokenizer(request.text, return_tensors="pt")
            if inputs["input_ids"].shape[-1] == 0:
                raise EngineError("Nothing in the text is in this VITS model's alphabet.")
            # the model keeps its noise scales as attributes; reset them per request since it is shared
            model.noise_scale = float(request.options.get("noise_scale", model.config.noise_scale))
            model.noise_scale_duration = float(
                request.options.get("noise_scale_duration", model.config.noise_scale_duration)
            )
            if request.seed is not None:
                torch.manual_seed(int(request.seed))
            else:
                torch.seed()  # an unseeded request must not replay the previous request's seed
            with torch.inference_mode():
                output = model(**inputs, speaking_rate=speed)
            waveform = output.waveform[0].float().cpu().numpy()
        samples = np.clip(np.nan_to_num(waveform), -1.0, 1.0).astype(np.float32)
        if not len(samples):
            raise EngineError("VITS produced no audio.")
        return Audio(samples=samples, sample_rate=int(model.config.sampling_rate))


engine = register(VitsEngine())
