"""Cloning engines: the speaker embedding, the WORLD transform, voice matching, and Pocket TTS with a tiny model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from cloning.similarity import cosine, embed
from clonyvoice.models import Job
from synthesis.engines import SynthesisRequest, get_engine, registry
from synthesis.engines.matching import WorldAnalysis, f0_stats
from tests.cloning.test_clone import speech, wav_upload
from tests.workers import run_all_jobs
from voices.models import Voice

SENTENCE = "The quick brown fox jumps over the lazy dog, and the dog does not mind at all."


def test_cloning_engines_are_registered_and_declare_cloning():
    engines = registry()
    for name in ("matching", "pocket"):
        assert engines[name].capabilities.cloning
        assert engines[name].voices() == []
    assert engines["matching"].is_installed()
    assert "voice matching" in engines["matching"].description.lower()


def test_same_speaker_scores_higher_than_another():
    slt = get_engine("festival")
    one = slt.synthesize(SynthesisRequest(text=SENTENCE, voice_id="cmu_us_slt_arctic_hts"))
    two = slt.synthesize(
        SynthesisRequest(text="Peter picked a peck of pickled peppers today.", voice_id="cmu_us_slt_arctic_hts")
    )
    other = get_engine("espeak").synthesize(SynthesisRequest(text=SENTENCE, voice_id="en-us"))
    vector = embed(one)
    assert vector.shape == (256,) and abs(float(np.linalg.norm(vector)) - 1) < 1e-4
    assert cosine(vector, embed(two)) > 0.8
    assert cosine(vector, embed(other)) < cosine(vector, embed(two)) - 0.2


def test_world_transform_moves_pitch_and_is_deterministic():
    audio = get_engine("espeak").synthesize(SynthesisRequest(text=SENTENCE, voice_id="en-us"))
    mean, spread = f0_stats(audio)
    target = mean + np.log(1.5)
    transform = {
        "f0": {"source_mean": mean, "source_std": spread, "target_mean": target, "target_std": spread},
        "warp": 1.1,
    }
    analysis = WorldAnalysis(audio)
    moved = analysis.render(transform)
    assert abs(f0_stats(moved)[0] - target) < 0.08
    assert np.array_equal(moved.samples, analysis.render(transform).samples)


def test_matching_engine_speaks_a_profile():
    profile = {
        "base": {"engine": "espeak", "voice_id": "en-us"},
        "transform": {"f0": None, "warp": 1.08, "pace": 1.2, "breathiness": 0.2},
    }
    spoken = get_engine("matching").synthesize(
        SynthesisRequest(text=SENTENCE, voice_id="x", options={"profile": profile})
    )
    plain = get_engine("espeak").synthesize(SynthesisRequest(text=SENTENCE, voice_id="en-us"))
    assert spoken.sample_rate == plain.sample_rate
    assert spoken.duration < plain.duration  # faster pace
    with pytest.raises(Exception, match="no base preset"):
        get_engine("matching").synthesize(SynthesisRequest(text=SENTENCE, voice_id="x", options={"profile": {}}))


# --- Pocket TTS with a tiny random model ---------------------------------------------------------------------------

SPECIALS = {
    "audio_prompt_token": "<audio_prompt>",
    "audio_latent_token": "<audio_latent>",
    "audio_prompt_bos_token": "<audio_prompt_bos>",
    "audio_bos_token": "<audio_bos>",
}
TEMPLATE = (
    "{% for m in messages %}{% for c in m['content'] %}{% if c['type'] == 'audio' %}<audio_prompt_bos><audio_prompt>"
    "{% elif c['type'] == 'text' %}{{ c['text'] }}{% endif %}{% endfor %}{% endfor %}<audio_bos>"
)


def build_tiny_pocket(folder: Path) -> Path:
    """A random Pocket TTS (hidden size 32) with its processor and codec, saved the way the engine loads it."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import (
        PocketTTSAudioTokenizerConfig,
        PocketTTSAudioTokenizerModel,
        PocketTTSConfig,
        PocketTTSFeatureExtractor,
        PocketTTSForConditionalGeneration,
        PocketTTSProcessor,
        PreTrainedTokenizerFast,
    )

    words = ["<unk>", "<pad>", ".", ",", "good", "morning", "how", "are", "you", "hello", "this", "is", "my", "voice"]
    vocab = {w: i for i, w in enumerate([*words, *SPECIALS.values()])}
    backend = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend, unk_token="<unk>", pad_token="<pad>", extra_special_tokens=SPECIALS
    )
    tokenizer.padding_side = "left"
    torch.manual_seed(0)
    model = PocketTTSForConditionalGeneration(
        PocketTTSConfig(
            vocab_size=len(vocab),
            hidden_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=64,
            latent_dim=8,
            pad_token_id=vocab["<pad>"],
            audio_prompt_token_id=vocab["<audio_prompt>"],
            audio_latent_token_id=vocab["<audio_latent>"],
            audio_prompt_bos_token_id=vocab["<audio_prompt_bos>"],
            audio_bos_token_id=vocab["<audio_bos>"],
            flow_head_config={
                "hidden_size": 32,
                "num_hidden_layers": 1,
                "latent_dim": 8,
                "condition_dim": 32,
                "frequency_embedding_size": 16,
            },
        )
    )
    codec = PocketTTSAudioTokenizerModel(
        PocketTTSAudioTokenizerConfig(
            hidden_size=32,
            num_filters=4,
            num_hidden_layers=1,
            intermediate_size=64,
            num_attention_heads=2,
            num_key_value_heads=2,
            upsample_groups=32,
            latent_dim=8,
            sliding_window=16,
        )
    )
    extractor = PocketTTSFeatureExtractor(
        frame_size=codec.config.frame_size, pad_to_multiple_of=codec.config.frame_size
    )
    processor = PocketTTSProcessor(
        feature_extractor=extractor, tokenizer=tokenizer, audio_tokenizer=codec, chat_template=TEMPLATE
    )
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    codec.save_pretrained(folder / "audio_tokenizer")  # processor.save_pretrained does not write the codec
    return folder


@pytest.fixture
def run_jobs(broker):
    return lambda: run_all_jobs(broker)


@pytest.fixture(scope="module")
def tiny_pocket(tmp_path_factory) -> Path:
    return build_tiny_pocket(tmp_path_factory.mktemp("pocket") / "tiny-pocket")


def test_models_pull_installs_pocket_from_a_folder(tiny_pocket, settings, tmp_path, capsys):
    settings.MODELS_DIR = tmp_path / "models"
    engine = get_engine("pocket")
    assert not engine.is_installed()
    call_command("models", "pull", "pocket-tts", "--from", str(tiny_pocket))
    assert (tmp_path / "models" / "pocket-tts" / "audio_tokenizer" / "config.json").is_file()
    assert engine.is_installed()
    assert engine.model_path() == tmp_path / "models" / "pocket-tts"
    assert "Installed pocket model" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_pocket_clone_end_to_end_through_the_worker(tiny_pocket, settings, owner, run_jobs):
    settings.POCKET_TTS_MODEL = str(tiny_pocket)
    client = APIClient()
    client.force_login(owner)
    response = client.post(
        "/api/clone/create",
        {"file": wav_upload(speech("en-us+m3")), "name": "Tiny", "language": "en", "transcript": "given"},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    run_jobs()
    job = Job.objects.get(pk=response.json()["task_id"])
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["engine"] == "pocket"
    voice = Voice.objects.get(pk=response.json()["voice_id"])
    assert voice.engine == "pocket" and voice.is_available
    prompt = Path(settings.MEDIA_ROOT) / voice.profile["prompt"]
    assert prompt.is_file() and prompt.parent.name == str(voice.pk)
    assert np.load(prompt).shape[1] == 8  # (frames, latent_dim): the cached voice prompt
    assert voice.similarity is not None
    assert client.get(f"/api/voices/{voice.pk}").json()["engine"] == "pocket"

    generated = client.post(
        "/api/generate/clone", {"text": "Good morning. How are you?", "voice_id": str(voice.pk)}, format="json"
    )
    assert generated.status_code == 202, generated.content
    run_jobs()
    assert Job.objects.get(pk=generated.json()["task_id"]).status == Job.Status.SUCCEEDED
    assert client.get(f"/api/generations/{generated.json()['task_id']}/audio").status_code == 200
    shutil.rmtree(prompt.parent, ignore_errors=True)


def test_pocket_status_names_the_install_command(settings, tmp_path):
    settings.MODELS_DIR = tmp_path
    settings.POCKET_TTS_MODEL = None
    status = get_engine("pocket").status()
    assert "models pull pocket-tts" in status["install_hint"]
    assert json.dumps(status)  # serializable for /api/system/status
