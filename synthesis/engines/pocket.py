"""Pocket TTS (Kyutai) through transformers' `pocket_tts`: zero-shot cloning from a voice prompt, fast on a CPU.

The model folder holds the model (config.json, weights), the processor files (tokenizer, chat template,
processor_config.json) and the audio tokenizer (codec) in `audio_tokenizer/`, because `save_pretrained` of the
processor does not write it. It comes from `POCKET_TTS_MODEL` (a folder, for tests and custom installs),
MODELS_DIR/pocket-tts (`python manage.py models pull pocket-tts [--from PATH]`) or the hub cache.

A cloned voice's prompt (the codec latents of its reference audio) is computed once at cloning time and saved as
a .npy file in the voice's folder; its path is in the voice profile. Generation reuses it.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from clonyvoice.downloads import disk_size, hub_snapshot, model_row, modules_present
from clonyvoice.paths import media_path
from synthesis.engines import register
from synthesis.engines.base import (
    Audio,
    Capabilities,
    CloneOptions,
    EngineError,
    ModelNotInstalled,
    PresetVoice,
    SynthesisRequest,
)

if TYPE_CHECKING:
    import numpy as np

MODEL_NAME = "pocket-tts"
HUB_REPOS = ("kyutai/pocket-tts", "eustlb/pocket-tts")
AUDIO_TOKENIZER_DIR = "audio_tokenizer"
HUB_AUDIO_TOKENIZERS = ("kyutai/pocket-tts-audio-tokenizer", "eustlb/pocket-tts-audio-tokenizer")
INSTALL_HINT = "python manage.py models pull pocket-tts --from PATH"
PROMPT_FILE = "pocket_prompt.npy"
MAX_PROMPT_SECONDS = 20.0
PROCESSOR_OPTIONS = ("short_text_max_words", "frames_after_eos_short_text", "frames_after_eos", "fade_in_duration")


def pocket_problem(path: Path) -> str | None:
    """Why `path` is not a usable Pocket TTS folder, or None."""
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no readable config.json"
    if config.get("model_type") != "pocket_tts":
        return f"config.json says model_type {config.get('model_type')!r}, not 'pocket_tts'"
    if not any(path.glob("*.safetensors")):
        return "no weights (*.safetensors)"
    if not (path / "tokenizer.json").is_file() and not (path / "tokenizer_config.json").is_file():
        return "no tokenizer files"
    return None


def _audio_tokenizer_folder(path: Path) -> Path | None:
    local = path / AUDIO_TOKENIZER_DIR
    if (local / "config.json").is_file():
        return local
    try:
        named = json.loads((path / "processor_config.json").read_text(encoding="utf-8"))
        name = str((named.get("audio_tokenizer") or {}).get("audio_tokenizer_name_or_path") or "")
    except (OSError, ValueError):
        name = ""
    for repo in (name, *HUB_AUDIO_TOKENIZERS):
        if repo and "/" in repo:
            snapshot = hub_snapshot(repo)
            if snapshot is not None and (snapshot / "config.json").is_file():
                return snapshot
    return None


class PocketTTSEngine:
    """Kyutai's Pocket TTS: English zero-shot voice cloning from a few seconds of reference audio."""

    name = "pocket"
    label = "Pocket TTS (Kyutai, transformers)"
    license = "CC-BY-4.0 (Kyutai Pocket TTS weights)"
    capabilities = Capabilities(preset_voices=False, cloning=True, seed=True)
    clone_priority = 0  # the best cloning engine when its model is installed
    clone_languages = ("en",)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[Path, tuple[Any, Any]] = {}

    def model_path(self) -> Path | None:
        override = settings.POCKET_TTS_MODEL
        candidates = [Path(override)] if override else []
        candidates.append(Path(settings.MODELS_DIR) / MODEL_NAME)
        candidates += [s for s in (hub_snapshot(repo) for repo in HUB_REPOS) if s is not None]
        for path in candidates:
            if pocket_problem(path) is None and _audio_tokenizer_folder(path) is not None:
                return path
        return None

    def _runtime_present(self) -> bool:
        return modules_present("torch", "transformers")

    def is_installed(self) -> bool:
        return self._runtime_present() and self.model_path() is not None

    def status(self) -> dict[str, Any]:
        path = self.model_path()
        row = (
            model_row(
                self.name,
                MODEL_NAME,
                installed=self._runtime_present(),
                size_bytes=disk_size(path),
                license=self.license,
                path=str(path),
                source="local",
            )
            if path
            else model_row(self.name, MODEL_NAME, installed=False, license=self.license, source=f"hub {HUB_REPOS[0]}")
        )
        return {"voices": 0, "install_hint": INSTALL_HINT, "models": [row]}

    def voices(self) -> list[PresetVoice]:
        return []

    def can_clone(self, language: str) -> bool:
        return (language or "en").lower().split("-")[0] in self.clone_languages and self.is_installed()

    def _require(self) -> Path:
        if not self._runtime_present():
            raise ModelNotInstalled(
                "torch and transformers are not installed.", install_hint="pip install -r requirements.txt"
            )
        path = self.model_path()
        if path is None:
            raise ModelNotInstalled("The Pocket TTS model is not installed.", install_hint=INSTALL_HINT)
        return path

    def _load(self, path: Path) -> tuple[Any, Any]:
        loaded = self._loaded.get(path)
        if loaded is None:
            from transformers import (
                AutoTokenizer,
                PocketTTSAudioTokenizerModel,
                PocketTTSFeatureExtractor,
                PocketTTSForConditionalGeneration,
                PocketTTSProcessor,
            )

            try:
                codec = PocketTTSAudioTokenizerModel.from_pretrained(
                    _audio_tokenizer_folder(path), local_files_only=True
                )
                options = json.loads((path / "processor_config.json").read_text(encoding="utf-8"))
                template = path / "chat_template.jinja"
                # Built by hand: from_pretrained would fetch the codec by the name saved in processor_config.json.
                processor = PocketTTSProcessor(
                    feature_extractor=PocketTTSFeatureExtractor.from_pretrained(path, local_files_only=True),
                    tokenizer=AutoTokenizer.from_pretrained(path, local_files_only=True),
                    audio_tokenizer=codec.eval(),
                    chat_template=template.read_text(encoding="utf-8") if template.is_file() else None,
                    **{k: options[k] for k in PROCESSOR_OPTIONS if k in options},
                )
                model = PocketTTSForConditionalGeneration.from_pretrained(path, local_files_only=True).eval()
            except Exception as exc:  # a damaged folder fails in safetensors, torch, json or the tokenizer
                raise EngineError(f"Could not load the Pocket TTS model in {path}: {exc}") from exc
            loaded = self._loaded[path] = (model, processor)
        return loaded

    def _prompt(self, processor: Any, text: str) -> str:
        conversation = [{"role": "user", "content": [{"type": "audio"}, {"type": "text", "text": text}]}]
        return processor.apply_chat_template(conversation, tokenize=False)

    def clone(self, *, reference: Audio, language: str, voice_dir: Path, options: CloneOptions | None = None) -> dict:
        """Encode the reference into the voice prompt (codec latents), saved in `voice_dir`."""
        import numpy as np
        import torch

        from clonyvoice.audio import resample

        path = self._require()
        with self._lock:
            _, processor = self._load(path)
            rate = processor.feature_extractor.sampling_rate
            samples = resample(reference, rate).samples[: int(MAX_PROMPT_SECONDS * rate)]
            inputs = processor(text=self._prompt(processor, "."), audio=[samples], return_tensors="pt")
            latents = inputs["audio_prompt_latents"][0][inputs["audio_prompt_latents_mask"][0].bool()]
        voice_dir.mkdir(parents=True, exist_ok=True)
        target = voice_dir / PROMPT_FILE
        tmp = voice_dir / f".{PROMPT_FILE}.part"
        with open(tmp, "wb") as handle:
            np.save(handle, latents.to(torch.float32).numpy(), allow_pickle=False)
        tmp.replace(target)
        return {
            "method": "pocket tts",
            "prompt": str(target.relative_to(settings.MEDIA_ROOT))
            if target.is_relative_to(settings.MEDIA_ROOT)
            else str(target),
            "prompt_frames": int(latents.shape[0]),
            "model": str(path.name),
            "languages": ["en"],
        }

    def _prompt_latents(self, profile: dict[str, Any]) -> np.ndarray:
        import numpy as np

        name = str(profile.get("prompt") or "")
        path = Path(name) if Path(name).is_absolute() else media_path(name)
        try:
            return np.load(path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise EngineError("This voice's Pocket TTS prompt is missing; clone the voice again.") from exc

    def synthesize(self, request: SynthesisRequest) -> Audio:
        import numpy as np
        import torch

        path = self._require()
        latents = torch.from_numpy(self._prompt_latents(request.options.get("profile") or {}))
        with self._lock:
            model, processor = self._load(path)
            inputs = processor(
                text=self._prompt(processor, request.text), audio_prompt_latents=[latents], return_tensors="pt"
            )
            if request.seed is not None:
                torch.manual_seed(int(request.seed))
            else:
                torch.seed()
            with torch.inference_mode():
                generated = model.generate(**inputs, do_sample=True)
            latents_out = generated.audio_latents[0] if hasattr(generated, "audio_latents") else generated[0]
            waveform = processor.decode(latents_out)
            rate = int(processor.feature_extractor.sampling_rate)
        samples = np.clip(np.nan_to_num(waveform.float().numpy()), -1.0, 1.0).astype(np.float32)
        if not len(samples):
            raise EngineError("Pocket TTS produced no audio.")
        return Audio(samples=samples, sample_rate=rate)


engine = register(PocketTTSEngine())
