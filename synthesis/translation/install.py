"""`models pull translation:REPO [--from PATH]`: put a Marian / M2M100 / NLLB model under MODELS_DIR/translation."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from clonyvoice.downloads import disk_size, model_row
from synthesis.translation import installed_models
from synthesis.translation.neural import _describe, engine


class InstallError(Exception):
    """The model could not be installed; the message says why."""


def _place(staged: Path, target: Path) -> None:
    if _describe(target.name, staged, "local") is None:
        raise InstallError(
            f"{staged.name} is not a translation model ClonyVoice can use: a Marian (config.json model_type 'marian', "
            "named opus-mt-SRC-TGT or with clonyvoice.json source/target) or an M2M100/NLLB folder."
        )
    if target.exists():
        shutil.rmtree(target)
    staged.rename(target)


def pull(
    name: str, *, source: Path | None, force: bool, endpoint: Callable[[], str], log: Callable[[str], None] = print
) -> None:
    repo_id = name
    local_name = repo_id.rsplit("/", 1)[-1]
    target = engine.models_dir / local_name
    if target.exists() and not force:
        raise InstallError(f"{target} already exists; use --force to replace it.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pull-") as tmp:
        staged = Path(tmp) / local_name
        if source is not None:
            if not source.is_dir():
                raise InstallError(f"{source} is not a folder.")
            shutil.copytree(source, staged, symlinks=False)
        else:
            if "/" not in repo_id:
                raise InstallError("Name a hub repository, e.g. translation:Helsinki-NLP/opus-mt-en-ru.")
            from huggingface_hub import snapshot_download

            log(f"Downloading {repo_id} ...")
            try:
                snapshot_download(
                    repo_id,
                    local_dir=staged,
                    endpoint=endpoint(),
                    etag_timeout=15,
                    ignore_patterns=["*.h5", "*.msgpack", "*.ot", "tf_model*", "flax_model*", "rust_model*"],
                )
            except Exception as exc:
                raise InstallError(f"Could not download {repo_id}: {exc}") from exc
            shutil.rmtree(staged / ".cache", ignore_errors=True)
        _place(staged, target)
    log(f"Installed translation model {local_name!r} in {target}.")


def model_list_rows() -> list[dict[str, Any]]:
    from synthesis.translation import registry

    licenses = {name: engine.license for name, engine in registry().items()}
    rows = []
    for model in installed_models():
        path = Path(model.path) if model.path else None
        rows.append(
            model_row(
                "apertium" if model.engine == "apertium" else "translation",
                model.name,
                installed=True,
                source=model.source,
                size_bytes=disk_size(path) if path else 0,
                license=licenses.get(model.engine, ""),
                path=model.path or f"{model.source} (apertium -l)",
            )
        )
    return rows
