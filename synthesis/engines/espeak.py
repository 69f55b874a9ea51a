"""eSpeak NG: a formant synthesizer for about a hundred languages, run as the `espeak-ng` binary."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path
from typing import Any

from clonyvoice.downloads import disk_size
from synthesis.engines import register
from synthesis.engines._util import parse_wav, run
from synthesis.engines.base import (
    Audio,
    Capabilities,
    EngineError,
    ModelNotInstalled,
    PresetVoice,
    SynthesisRequest,
)

BINARY = "espeak-ng"
DEFAULT_WPM = 175  # espeak-ng's own default rate, taken as speed 1.0
DEFAULT_PITCH = 50
INSTALL_HINT = "apt-get install espeak-ng (part of the setup command)"
_GENDERS = {"M": "male", "F": "female"}
_VARIANT_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _language_tags(identifier: str, others: list[str]) -> tuple[str, ...]:
    """("en-gb-x-rp", ["en-gb", "en"]) -> ("en-gb-x-rp", "en-gb", "en"): most specific first, no duplicates."""
    tags: list[str] = []
    for tag in [identifier, *others]:
        parts = tag.lower().split("-")
        while parts:
            if parts[-1] != "x":
                candidate = "-".join(parts)
                if candidate not in tags:
                    tags.append(candidate)
            parts.pop()
    return tuple(tags)


def parse_voice_listing(listing: str) -> list[tuple[str, str, str, list[str]]]:
    """Rows of `espeak-ng --voices`: (identifier, display name, gender letter, other languages)."""
    rows = []
    for line in listing.splitlines()[1:]:
        parts = line.split()
        if len(parts) < 5 or not parts[0].isdigit():
            continue
        identifier, age_gender, name = parts[1], parts[2], parts[3]
        others = re.findall(r"\(([^\s()]+)\s+\d+\)", line)
        gender = age_gender.split("/")[-1] if "/" in age_gender else ""
        rows.append((identifier, name.replace("_", " "), gender, others))
    return rows


class EspeakEngine:
    """eSpeak NG through its command line: every language of `espeak-ng --voices`, native speed and pitch."""

    name = "espeak"
    label = "eSpeak NG"
    license = "GPL-3.0-or-later"
    capabilities = Capabilities(preset_voices=True, speed=True, pitch=True)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._voices: list[PresetVoice] | None = None
        self._variants: set[str] | None = None

    def _binary(self) -> str | None:
        return shutil.which(BINARY)

    def is_installed(self) -> bool:
        return self._binary() is not None

    def _data_dir(self) -> Path | None:
        for candidate in (Path("/usr/lib/x86_64-linux-gnu/espeak-ng-data"), Path("/usr/share/espeak-ng-data")):
            if candidate.is_dir():
                return candidate
        found = sorted(Path("/usr/lib").glob("*/espeak-ng-data"))
        return found[0] if found else None

    def status(self) -> dict[str, Any]:
        data_dir = self._data_dir()
        installed = self.is_installed()
        return {
            "voices": len(self.voices()) if installed else 0,
            "install_hint": INSTALL_HINT,
            "models": [
                {
                    "name": "espeak-ng-data",
                    "engine": self.name,
                    "installed": installed,
                    "size_bytes": disk_size(data_dir) if data_dir else 0,
                    "license": self.license,
                    "path": str(data_dir or ""),
                    "source": "apt package espeak-ng",
                }
            ],
        }

    def voices(self) -> list[PresetVoice]:
        if not self.is_installed():
            return []
        with self._lock:
            if self._voices is None:
                listing = run([BINARY, "--voices"], timeout=20).stdout.decode("utf-8", "replace")
                self._voices = [
                    PresetVoice(
                        engine=self.name,
                        voice_id=identifier,
                        name=f"eSpeak {name}",
                        languages=_language_tags(identifier, others),
                        gender=_GENDERS.get(gender, ""),
                        tags=("formant", "robotic"),
                        technology="formant",
                    )
                    for identifier, name, gender, others in parse_voice_listing(listing)
                ]
            return list(self._voices)

    def _variant_names(self) -> set[str]:
        with self._lock:
            if self._variants is None:
                listing = run([BINARY, "--voices=variant"], timeout=20).stdout.decode("utf-8", "replace")
                self._variants = {
                    line.split()[4].split("/")[-1].lower()
                    for line in listing.splitlines()[1:]
                    if len(line.split()) >= 5
                }
            return set(self._variants)

    def _check_voice(self, voice_id: str) -> None:
        base, _, variant = voice_id.partition("+")
        if base not in {v.voice_id for v in self.voices()}:
            raise EngineError(f"eSpeak NG has no voice {voice_id!r}.")
        if variant and (not _VARIANT_RE.match(variant) or variant.lower() not in self._variant_names()):
            raise EngineError(f"eSpeak NG has no voice variant {variant!r}.")

    def synthesize(self, request: SynthesisRequest) -> Audio:
        if not self.is_installed():
            raise ModelNotInstalled("espeak-ng is not installed.", install_hint=INSTALL_HINT)
        self._check_voice(request.voice_id)
        speed = min(max(request.speed, 0.5), 2.0)
        semitones = min(max(request.pitch, -12.0), 12.0)
        wpm = round(DEFAULT_WPM * speed)
        # espeak-ng scales its base pitch from half (-p 0) to double (-p 99..100) around 50: an octave each way
        pitch = round(min(max(DEFAULT_PITCH + semitones * 50 / 12, 0), 99))
        argv = [BINARY, "-v", request.voice_id, "-s", str(wpm), "-p", str(pitch), "-b", "1", "--stdout"]
        wav = run(argv, input_bytes=request.text.encode("utf-8"), timeout=120).stdout
        samples, sample_rate = parse_wav(wav)
        if not len(samples):
            raise EngineError("espeak-ng produced no audio.")
        return Audio(samples=samples, sample_rate=sample_rate)


engine = register(EspeakEngine())
