"""POST /api/translate and the pairs listing: apertium in the request, a tiny Marian model in a real worker."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from clonyvoice.models import Job
from synthesis.translation import normalize_language
from synthesis.translation.apertium import _mode_pair

pytestmark = pytest.mark.django_db(transaction=True)

SOURCE_LINES = ["hello world", "the cat sat on the mat", "good morning my friend", "how are you today"]
TARGET_LINES = ["privet mir", "koshka sidela na kovrike", "dobroe utro moi drug", "kak dela segodnya"]


def build_tiny_marian(folder: Path) -> str:
    """A random-weight MarianMT model with sentencepiece tokenizers trained here; returns the word it always says."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True)
    for name, lines in (("source", SOURCE_LINES), ("target", TARGET_LINES)):
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(lines * 4),
            model_writer=model,
            vocab_size=40,
            model_type="unigram",
            character_coverage=1.0,
            hard_vocab_limit=False,
            pad_id=-1,
            bos_id=-1,
            eos_id=-1,
            unk_id=0,
            minloglevel=2,
        )
        (folder / f"{name}.spm").write_bytes(model.getvalue())
    vocab = {"</s>": 0, "<unk>": 1, "<pad>": 2}
    for name in ("source", "target"):
        processor = spm.SentencePieceProcessor(model_file=str(folder / f"{name}.spm"))
        for i in range(processor.get_piece_size()):
            vocab.setdefault(processor.id_to_piece(i), len(vocab))
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    MarianTokenizer(
        source_spm=str(folder / "source.spm"), target_spm=str(folder / "target.spm"), vocab=str(folder / "vocab.json")
    ).save_pretrained(folder)
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        max_position_embeddings=64,
        pad_token_id=2,
        eos_token_id=0,
        decoder_start_token_id=2,
        forced_eos_token_id=0,
    )
    torch.manual_seed(0)
    network = MarianMTModel(config)
    # Random weights would say anything; a large bias on one target piece makes the output predictable.
    piece = max((p for p in vocab if p.startswith("▁") and len(p) > 3), key=len)
    with torch.no_grad():
        network.final_logits_bias[0, vocab[piece]] = 50.0
    network.save_pretrained(folder)
    return piece.lstrip("▁")


@pytest.fixture
def tiny_marian():
    folder = Path(settings.MODELS_DIR) / "translation" / "opus-mt-en-ru"
    word = build_tiny_marian(folder)
    yield word
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def run_jobs(broker, worker):
    def run() -> None:
        broker.join("gpu", fail_fast=False, timeout=120_000)
        worker.join()

    return run


def test_apertium_translates_english_to_spanish_in_the_request(api):
    response = api.post(
        "/api/translate", {"text": "The cat is black.\nI have two dogs.", "target": "es"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["engine"] == "apertium" and body["model"] == "eng-spa"
    assert body["source"] == "en" and body["source_detected"] is True
    assert body["text"].splitlines() == ["El gato es negro.", "Tengo dos perros."]
    assert not Job.objects.exists()
    back = api.post("/api/translate", {"text": "Buenos días", "source": "es-ES", "target": "en"}, format="json")
    assert back.json()["text"] == "Good morning"


def test_pairs_list_installed_apertium_directions(api):
    body = api.get("/api/translate/pairs").json()
    pairs = {(p["source"], p["target"]): p for p in body["pairs"]}
    assert pairs[("en", "es")] == {"source": "en", "target": "es", "engine": "apertium", "model": "eng-spa"}
    assert ("es", "en") in pairs
    assert {e["name"] for e in body["engines"]} == {"apertium", "transformers"}
    assert api.get("/api/translate").json() == body


def test_unsupported_pair_is_503_with_what_to_install(api):
    response = api.post("/api/translate", {"text": "Hello", "source": "en", "target": "ru"}, format="json")
    assert response.status_code == 503
    body = response.json()
    assert body["error"] == "model_not_installed"
    assert "opus-mt-en-ru" in body["install"]
    missing_apertium = api.post("/api/translate", {"text": "Hola", "source": "es", "target": "it"}, format="json")
    assert missing_apertium.status_code == 503
    assert "apt-get install apertium apertium-spa-ita" in missing_apertium.json()["install"]
    assert api.post("/api/translate", {"text": "  ", "target": "es"}, format="json").status_code == 400
    assert not Job.objects.exists()


def test_tiny_marian_runs_in_the_worker_and_answers_in_the_request(api, tiny_marian, run_jobs):
    pairs = api.get("/api/translate/pairs").json()["pairs"]
    assert {"source": "en", "target": "ru", "engine": "transformers", "model": "opus-mt-en-ru"} in pairs
    response = api.post(
        "/api/translate", {"text": "hello world. how are you today?", "target": "ru", "wait": 60}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["engine"] == "transformers" and body["model"] == "opus-mt-en-ru"
    assert tiny_marian in body["text"]
    job = Job.objects.get(kind="translate")
    assert job.queue == "gpu" and job.status == "succeeded"

    later = api.post("/api/translate", {"text": "good morning", "target": "ru", "wait": 0}, format="json")
    assert later.status_code == 202
    run_jobs()
    job = api.get(f"/api/jobs/{later.json()['task_id']}").json()
    assert job["status"] == "succeeded"
    assert tiny_marian in job["result"]["text"]


def test_language_codes():
    assert normalize_language("pt-BR") == "pt"
    assert normalize_language("spa") == "es"
    assert _mode_pair("eng-spa") == ("en", "es")
    assert _mode_pair("fr-es") == ("fr", "es")
    assert _mode_pair("eng-cat_valencia") is None
    assert _mode_pair("eco-fr-es") is None
