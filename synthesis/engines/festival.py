"""Festival: the classic diphone/HTS/clunits synthesizer, run through its `text2wave` script."""

from __future__ import annotations

import re
import shutil
import tempfile
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

BINARY = "text2wave"
VOICES_ROOT = Path("/usr/share/festival/voices")
INSTALL_HINT = "apt-get install festival festvox-us-slt-hts festvox-kallpc16k (part of the setup command)"
_VOICE_NAME_RE = re.compile(r"^[a-z0-9_]+$")

# What the voice folders do not say about themselves: (display name, languages, gender, apt package).
_KNOWN: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "cmu_us_slt_arctic_hts": ("Festival SLT (US English, HTS)", ("en-us", "en"), "female", "festvox-us-slt-hts"),
    "kal_diphone": ("Festival Kal (US English, diphone)", ("en-us", "en"), "male", "festvox-kallpc16k"),
    "ked_diphone": ("Festival Ked (US English, diphone)", ("en-us", "en"), "male", "festvox-kdlpc16k"),
    "rab_diphone": ("Festival Rab (British English, diphone)", ("en-gb", "en"), "male", "festvox-rablpc16k"),
    "don_diphone": ("Festival Don (British English, diphone)", ("en-gb", "en"), "male", "festvox-don"),
    "el_diphone": ("Festival El (Spanish, diphone)", ("es",), "male", "festvox-ellpc11k"),
    "msu_ru_nsh_clunits": ("Festival NSh (Russian, clunits)", ("ru",), "male", "festvox-ru"),
}
_LANGUAGE_DIRS = {
    "us": ("en-us", "en"),
    "english": ("en",),
    "british": ("en-gb", "en"),
    "spanish": ("es",),
    "russian": ("ru",),
    "italian": ("it",),
    "czech": ("cs",),
    "finnish": ("fi",),
    "welsh": ("cy",),
}
_ASCII = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": " - "})


class FestivalEngine:
    """Festival through `text2wave`: one preset voice per installed voice folder; native speed."""

    name = "festival"
    preset_rank = 2  # HTS voices: better than formant speech, below neural
    label = "Festival"
    license = "X11-style (Festival) / voice licenses vary"
    capabilities = Capabilities(preset_voices=True, speed=True)

    def __init__(self, voices_root: Path = VOICES_ROOT) -> None:
        self.voices_root = voices_root

    def _voice_dirs(self) -> dict[str, Path]:
        if not self.voices_root.is_dir():
            return {}
        found: dict[str, Path] = {}
        # HTS voices first: they sound best, and callers often take the first voice
        for path in sorted(self.voices_root.glob("*/*"), key=lambda p: (not (p / "hts").is_dir(), p.name)):
            if path.is_dir() and _VOICE_NAME_RE.match(path.name) and (path / "festvox").is_dir():
                found.setdefault(path.name, path)
        return found

    def is_installed(self) -> bool:
        return shutil.which(BINARY) is not None and bool(self._voice_dirs())

    def status(self) -> dict[str, Any]:
        has_binary = shutil.which(BINARY) is not None
        dirs = self._voice_dirs()
        models = [
            {
                "name": name,
                "engine": self.name,
                "installed": has_binary,
                "size_bytes": disk_size(path),
                "license": "voice license: see /usr/share/doc of its package",
                "path": str(path),
                "source": f"apt package {_KNOWN[name][3]}" if name in _KNOWN else "apt",
            }
            for name, path in dirs.items()
        ]
        for name in ("cmu_us_slt_arctic_hts", "kal_diphone", "msu_ru_nsh_clunits"):
            if name not in dirs:
                models.append(
                    {
                        "name": name,
                        "engine": self.name,
                        "installed": False,
                        "size_bytes": 0,
                        "license": "",
                        "path": "",
                        "source": f"apt package {_KNOWN[name][3]}",
                    }
                )
        return {"voices": len(dirs) if has_binary else 0, "install_hint": INSTALL_HINT, "models": models}

    def voices(self) -> list[PresetVoice]:
        if shutil.which(BINARY) is None:
            return []
        voices = []
        for name, path in self._voice_dirs().items():
            label, languages, gender, _package = _KNOWN.get(
                name, (f"Festival {name}", _LANGUAGE_DIRS.get(path.parent.name, ()), "", "")
            )
            voices.append(
                PresetVoice(
                    engine=self.name,
                    voice_id=name,
                    name=label,
                    languages=languages,
                    gender=gender,
                    tags=("hts",) if name.endswith("_hts") else ("diphone",) if "diphone" in name else (),
                    technology="parametric" if name.endswith("_hts") else "diphone",
                )
            )
        return voices

    def synthesize(self, request: SynthesisRequest) -> Audio:
        if shutil.which(BINARY) is None:
            raise ModelNotInstalled("Festival (text2wave) is not installed.", install_hint=INSTALL_HINT)
        # the voice id goes into a Scheme expression: only names of installed voice folders get that far
        voice_dir = self._voice_dirs().get(request.voice_id)
        if voice_dir is None:
            raise EngineError(f"Festival has no voice {request.voice_id!r}.")
        speed = min(max(request.speed, 0.5), 2.0)
        languages = _KNOWN.get(request.voice_id, ("", (), "", ""))[1]
        text = request.text.translate(_ASCII)
        encoded = text.encode("utf-8") if languages and languages[0] == "ru" else text.encode("latin-1", "ignore")
        with tempfile.TemporaryDirectory(prefix="cv-festival-") as tmp:
            text_path, wav_path = Path(tmp) / "text.txt", Path(tmp) / "out.wav"
            text_path.write_bytes(encoded + b"\n")
            argv = [BINARY, "-o", str(wav_path), "-eval", f"(voice_{request.voice_id})"]
            if (voice_dir / "hts").is_dir():
                # HTS voices ignore Duration_Stretch; hts_engine takes a speech rate (-r) instead
                rate = f'(list "-r" {speed:.4f})'
                argv += ["-eval", f"(set! hts_engine_params (append hts_engine_params (list {rate})))"]
            else:
                argv += ["-eval", f"(Parameter.set 'Duration_Stretch {1.0 / speed:.4f})"]
            argv.append(str(text_path))
            done = run(argv, timeout=180)
            if not wav_path.is_file() or wav_path.stat().st_size <= 44:
                stderr = done.stderr.decode("utf-8", "replace").strip()
                raise EngineError(f"Festival produced no audio for voice {request.voice_id!r}: {stderr}")
            samples, sample_rate = parse_wav(wav_path.read_bytes())
        return Audio(samples=samples, sample_rate=sample_rate)


engine = register(FestivalEngine())
