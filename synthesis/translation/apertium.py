"""Debian's apertium: rule-based, offline, fast. Each installed pair package adds modes like `eng-spa`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from django.conf import settings

from synthesis.translation.base import TranslationError, TranslationModel, normalize_language

MODE_DIRS = ("/usr/share/apertium/modes", "/usr/local/share/apertium/modes")
TIMEOUT = 60.0
# Debian 12 packages per language pair (either direction), for the install hint of a missing pair.
DEBIAN_PACKAGES = {
    frozenset(("en", "es")): "apertium-eng-spa",
    frozenset(("en", "ca")): "apertium-eng-cat",
    frozenset(("fr", "es")): "apertium-fr-es",
    frozenset(("es", "pt")): "apertium-es-pt",
    frozenset(("es", "ca")): "apertium-spa-cat",
    frozenset(("es", "it")): "apertium-spa-ita",
    frozenset(("es", "gl")): "apertium-es-gl",
    frozenset(("es", "ro")): "apertium-es-ro",
    frozenset(("en", "gl")): "apertium-en-gl",
    frozenset(("en", "eo")): "apertium-eo-en",
    frozenset(("en", "eu")): "apertium-eu-en",
    frozenset(("en", "is")): "apertium-isl-eng",
    frozenset(("en", "mk")): "apertium-mkd-eng",
    frozenset(("fr", "ca")): "apertium-fra-cat",
    frozenset(("pt", "ca")): "apertium-por-cat",
    frozenset(("ca", "it")): "apertium-cat-ita",
    frozenset(("ru", "uk")): "apertium-rus-ukr",
    frozenset(("be", "ru")): "apertium-bel-rus",
    frozenset(("sv", "da")): "apertium-swe-dan",
    frozenset(("nn", "nb")): "apertium-nno-nob",
    frozenset(("af", "nl")): "apertium-afr-nld",
}


def debian_package(source: str, target: str) -> str | None:
    return DEBIAN_PACKAGES.get(frozenset((source, target)))


def _mode_pair(mode: str) -> tuple[str, str] | None:
    """`eng-spa` -> ("en", "es"); variants (`eng-cat_valencia`) and non-language modes are skipped."""
    if "_" in mode or mode.count("-") != 1:
        return None
    left, right = mode.split("-")
    if not (2 <= len(left) <= 3 and 2 <= len(right) <= 3 and left.isalpha() and right.isalpha()):
        return None
    source, target = normalize_language(left), normalize_language(right)
    if (source == left and len(left) == 3) or (target == right and len(right) == 3):
        return None  # a three-letter code we do not know (e.g. `eco`): not a language we can name
    return source, target


class ApertiumEngine:
    """Shallow-transfer machine translation through the `apertium` command (a pipeline of small binaries)."""

    name = "apertium"
    label = "Apertium (rule-based)"
    license = "GPL-2.0+ / GPL-3.0"
    in_worker = False

    def mode_dirs(self) -> list[Path]:
        return [Path(p) for p in settings.CLONYVOICE_APERTIUM_MODE_DIRS or MODE_DIRS]

    def modes(self) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for folder in self.mode_dirs():
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.mode")):
                pair = _mode_pair(path.stem)
                if pair and pair[0] != pair[1] and pair not in found.values():
                    found[path.stem] = pair
        return found

    def is_installed(self) -> bool:
        return shutil.which("apertium") is not None and bool(self.modes())

    def models(self) -> list[TranslationModel]:
        if shutil.which("apertium") is None:
            return []
        return [
            TranslationModel(engine=self.name, name=mode, kind="apertium", pairs=(pair,), source="debian")
            for mode, pair in self.modes().items()
        ]

    def translate(self, text: str, *, source: str, target: str, model: str) -> str:
        if model not in self.modes():
            raise TranslationError(f"The apertium mode {model!r} is not installed.")
        try:
            done = subprocess.run(
                ["apertium", "-u", "-f", "txt", model],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise TranslationError(f"apertium did not finish within {TIMEOUT:.0f} s.") from exc
        if done.returncode != 0:
            raise TranslationError(f"apertium failed: {done.stderr.decode('utf-8', 'replace').strip()[-500:]}")
        # The pipeline pads sentence and line boundaries with spaces; the line structure is what matters.
        lines = done.stdout.decode("utf-8", "replace").rstrip().split("\n")
        return "\n".join(" ".join(line.split()) for line in lines)


engine = ApertiumEngine()
