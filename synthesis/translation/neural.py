"""Neural translation through transformers: Marian (one pair per model), M2M100 and NLLB (many languages).

Models are folders under MODELS_DIR/translation/NAME or hub-cache snapshots. Listing reads only files, so
the web process can do it; loading and translating import torch and transformers and run in the worker.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from clonyvoice.downloads import hub_cache_dir, hub_snapshot, modules_present
from synthesis.translation.base import ISO3_TO_ISO1, TranslationError, TranslationModel, normalize_language

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

META_FILE = "clonyvoice.json"
KINDS = {"marian": "marian", "m2m_100": "m2m100"}
_OPUS_NAME = re.compile(r"opus-mt-(?:tc-[a-z]+-)?([a-z]{2,3})-([a-z]{2,3})$")
_M2M_TOKEN = re.compile(r"^__([a-z]{2,3})__$")
_NLLB_TOKEN = re.compile(r"^([a-z]{3})_([A-Z][a-z]{3})$")
HUB_PATTERNS = ("models--Helsinki-NLP--opus-mt-*", "models--facebook--m2m100*", "models--facebook--nllb-200*")
BATCH = 8
MAX_INPUT_TOKENS = 512


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _special_tokens(folder: Path) -> list[str]:
    tokens: list[str] = []
    for name in ("tokenizer_config.json", "special_tokens_map.json"):
        data = _read_json(folder / name)
        for key in ("additional_special_tokens", "extra_special_tokens"):
            value = data.get(key) or []
            tokens += [t if isinstance(t, str) else str(t.get("content", "")) for t in value]
        for entry in (data.get("added_tokens_decoder") or {}).values():
            if isinstance(entry, dict):
                tokens.append(str(entry.get("content", "")))
    return tokens


def _describe(name: str, folder: Path, source: str) -> TranslationModel | None:
    """A model folder's kind and languages, from config.json, clonyvoice.json and the tokenizer's files."""
    config = _read_json(folder / "config.json")
    kind = KINDS.get(str(config.get("model_type")))
    if kind is None:
        return None
    meta = _read_json(folder / META_FILE)
    codes: dict[str, str] = {}
    if kind == "marian":
        pair = (meta.get("source"), meta.get("target"))
        if not all(pair):
            match = _OPUS_NAME.search(name)
            pair = match.groups() if match else (None, None)
        if not all(pair):
            return None
        pairs = ((normalize_language(pair[0]), normalize_language(pair[1])),)
        return TranslationModel("transformers", name, kind, pairs=pairs, path=str(folder), source=source)
    for token in _special_tokens(folder):
        if m := _M2M_TOKEN.match(token):
            codes.setdefault(normalize_language(m[1]), token.strip("_"))
        elif m := _NLLB_TOKEN.match(token):
            kind = "nllb"
            codes.setdefault(ISO3_TO_ISO1.get(m[1], m[1]), token)
    if meta.get("languages"):
        codes = {normalize_language(k): v for k, v in dict(meta["languages"]).items()} or codes
    if not codes:
        return None
    return TranslationModel(
        "transformers",
        name,
        kind,
        languages=tuple(sorted(codes)),
        path=str(folder),
        source=source,
        extra={"codes": codes},
    )


class TransformersEngine:
    """Marian, M2M100 and NLLB sequence-to-sequence models through transformers, in the worker."""

    name = "transformers"
    label = "Marian / M2M100 / NLLB (transformers)"
    license = "CC-BY-4.0 (OPUS-MT), MIT (M2M100), CC-BY-NC-4.0 (NLLB)"
    in_worker = True

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[str, tuple[PreTrainedModel, PreTrainedTokenizerBase]] = {}

    @property
    def models_dir(self) -> Path:
        return Path(settings.MODELS_DIR) / "translation"

    def models(self) -> list[TranslationModel]:
        if not modules_present("torch", "transformers"):
            return []
        found: dict[str, TranslationModel] = {}
        if self.models_dir.is_dir():
            for folder in sorted(self.models_dir.iterdir()):
                if (
                    folder.is_dir()
                    and not folder.name.startswith(".")
                    and (model := _describe(folder.name, folder, "local"))
                ):
                    found[folder.name] = model
        cache = hub_cache_dir()
        if cache.is_dir():
            for pattern in HUB_PATTERNS:
                for repo_dir in sorted(cache.glob(pattern)):
                    repo_id = repo_dir.name.removeprefix("models--").replace("--", "/", 1)
                    name = repo_id.split("/", 1)[1]
                    snapshot = hub_snapshot(repo_id)
                    if name not in found and snapshot and (model := _describe(name, snapshot, "hub-cache")):
                        found[name] = model
        return list(found.values())

    def is_installed(self) -> bool:
        return bool(self.models())

    def _model(self, name: str) -> TranslationModel:
        for model in self.models():
            if model.name == name:
                return model
        raise TranslationError(f"The translation model {name!r} is not installed.")

    def _load(self, model: TranslationModel) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
        with self._lock:
            if model.path not in self._loaded:
                from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

                tokenizer = AutoTokenizer.from_pretrained(model.path)
                network = AutoModelForSeq2SeqLM.from_pretrained(model.path)
                network.eval()
                self._loaded[model.path] = (network, tokenizer)
            return self._loaded[model.path]

    def translate(self, text: str, *, source: str, target: str, model: str) -> str:
        import torch

        from synthesis.textsplit import split_text

        info = self._model(model)
        if not info.covers(source, target):
            raise TranslationError(f"{model} does not translate {source} → {target}.")
        network, tokenizer = self._load(info)
        generate: dict[str, Any] = {}
        if info.kind in ("m2m100", "nllb"):
            codes = info.extra["codes"]
            tokenizer.src_lang = codes[source]
            generate["forced_bos_token_id"] = tokenizer.convert_tokens_to_ids(
                codes[target] if info.kind == "nllb" else f"__{codes[target]}__"
            )
        lines = text.split("\n")
        sentences = [[c.text for c in split_text(line, language=source, max_chars=400)] for line in lines]
        flat = [s for line in sentences for s in line]
        translated: list[str] = []
        with torch.inference_mode():
            for start in range(0, len(flat), BATCH):
                batch = tokenizer(
                    flat[start : start + BATCH],
                    return_tensors="pt",
                    padding=True,
                    truncation=True,
                    max_length=MAX_INPUT_TOKENS,
                )
                limit = min(MAX_INPUT_TOKENS, int(batch["input_ids"].shape[1] * 2) + 10)
                output = network.generate(**batch, max_new_tokens=limit, **generate)
                translated += [t.strip() for t in tokenizer.batch_decode(output, skip_special_tokens=True)]
        out, pos = [], 0
        for line in sentences:
            out.append(" ".join(translated[pos : pos + len(line)]))
            pos += len(line)
        return "\n".join(out)


engine = TransformersEngine()
