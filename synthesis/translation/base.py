"""The contract between ClonyVoice and a translation engine, and language-code helpers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable

# ISO 639-3 / 639-2 codes that engines use -> the two-letter codes the API speaks.
ISO3_TO_ISO1 = {
    "eng": "en",
    "spa": "es",
    "cat": "ca",
    "fra": "fr",
    "fre": "fr",
    "por": "pt",
    "glg": "gl",
    "ita": "it",
    "rus": "ru",
    "ukr": "uk",
    "bel": "be",
    "deu": "de",
    "ger": "de",
    "nld": "nl",
    "dut": "nl",
    "afr": "af",
    "arg": "an",
    "ast": "ast",
    "oci": "oc",
    "ron": "ro",
    "rum": "ro",
    "epo": "eo",
    "eus": "eu",
    "baq": "eu",
    "dan": "da",
    "nor": "no",
    "nob": "nb",
    "nno": "nn",
    "swe": "sv",
    "isl": "is",
    "mkd": "mk",
    "bul": "bg",
    "hbs": "sh",
    "slv": "sl",
    "pol": "pl",
    "ces": "cs",
    "slk": "sk",
    "hun": "hu",
    "fin": "fi",
    "ell": "el",
    "tur": "tr",
    "ara": "ar",
    "heb": "he",
    "hin": "hi",
    "urd": "ur",
    "ben": "bn",
    "fas": "fa",
    "pes": "fa",
    "zho": "zh",
    "cmn": "zh",
    "jpn": "ja",
    "kor": "ko",
    "vie": "vi",
    "tha": "th",
    "ind": "id",
    "zlm": "ms",
    "msa": "ms",
    "srd": "sc",
    "kaz": "kk",
    "uzb": "uz",
    "kat": "ka",
    "hye": "hy",
    "swh": "sw",
    "tgl": "tl",
    "lit": "lt",
    "lav": "lv",
    "est": "et",
    "hrv": "hr",
    "srp": "sr",
    "bos": "bs",
    "sqi": "sq",
    "gle": "ga",
    "cym": "cy",
    "bre": "br",
}


def normalize_language(code: str) -> str:
    """`pt-BR`, `PT`, `por` -> `pt`: the base language in the two-letter form where there is one."""
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return ISO3_TO_ISO1.get(base, base)


class TranslationError(Exception):
    """The engine could not translate this text."""


@dataclass(frozen=True)
class LanguagePair:
    """One direction an installed model translates."""

    source: str
    target: str
    engine: str
    model: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TranslationModel:
    """An installed model: one pair (Marian, an apertium mode) or many languages in any direction (M2M100, NLLB)."""

    engine: str
    name: str
    kind: str
    pairs: tuple[tuple[str, str], ...] = ()
    languages: tuple[str, ...] = ()
    path: str = ""
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def covers(self, source: str, target: str) -> bool:
        if (source, target) in self.pairs:
            return True
        return source != target and source in self.languages and target in self.languages

    def as_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "name": self.name,
            "kind": self.kind,
            "pairs": [{"source": s, "target": t} for s, t in self.pairs],
            "languages": list(self.languages),
            "source": self.source,
        }


@runtime_checkable
class TranslationEngine(Protocol):
    name: str
    label: str
    license: str
    # True when the engine needs the worker (a neural model); False for a cheap subprocess the web process may run.
    in_worker: bool

    def is_installed(self) -> bool:
        """Whether the engine and at least one model are present; cheap, never loads a model."""
        ...

    def models(self) -> list[TranslationModel]:
        """The installed models, read from disk (no heavy imports)."""
        ...

    def translate(self, text: str, *, source: str, target: str, model: str) -> str:
        """Translate `text` with `model` (one of `models()`), loading it on first use."""
        ...
