"""Kokoro-82M, the packaged multilingual neural engine: the model, its voices, its speech and its languages."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile
from django.core.management import call_command

from clonyvoice.audio import resample
from clonyvoice.models import Job
from synthesis.engines import EngineError, SynthesisRequest, get_engine, intelligibility
from synthesis.engines.kokoro import install, phonemes
from synthesis.models import Generation
from tests.workers import run_all_jobs
from voices.models import Voice

SENTENCE = "The quick brown fox jumps over the lazy dog."


def speak(voice_id: str, text: str = SENTENCE, **kwargs):
    return get_engine("kokoro").synthesize(SynthesisRequest(text=text, voice_id=voice_id, **kwargs))


def heard(audio, language: str = "en") -> str:
    from cloning.transcription import transcribe

    model = "tiny.en" if language == "en" else "base"
    return transcribe(resample(audio, 16000), model=model, language=language).text.lower()


@pytest.fixture(scope="module")
def whisper_base():
    """The multilingual Whisper model setup joins from its packages, joined into the test data dir once."""
    from cloning.transcription.install import assemble_base

    assemble_base(log=lambda _message: None)


@pytest.fixture
def kokoro_voice(db) -> Voice:
    return Voice.objects.filter(engine="kokoro", kind="preset").order_by("name").first()


def test_the_model_is_joined_from_its_packages_and_listed(capsys):
    assert install.is_assembled()
    assert install.installed_meta()["sha256"] == install.expected_sha256()
    call_command("models", "pull", "kokoro")  # idempotent: a verified join is kept
    call_command("models", "list")
    out = capsys.readouterr().out
    assert "already assembled" in out
    assert any(line.startswith("kokoro-v1.0-int8") and "installed" in line for line in out.splitlines())


def test_a_damaged_part_is_refused_and_leaves_nothing(tmp_path, monkeypatch, settings):
    settings.MODELS_DIR = tmp_path
    monkeypatch.setattr(install, "expected_sha256", lambda: "0" * 64)
    with pytest.raises(install.InstallError, match="sha256"):
        install.assemble()
    assert not install.model_path().exists()
    assert list((tmp_path / "kokoro").iterdir()) == []


def test_it_speaks_english_intelligibly():
    audio = speak("jm_kumo", language="en-us")
    assert audio.sample_rate == 24_000
    assert 1.5 < audio.duration < 6
    words = heard(audio)
    assert sum(word in words for word in ("quick", "brown", "fox", "lazy", "dog")) >= 4, words


def test_the_language_is_in_the_phonemes(whisper_base):
    russian = speak("jf_alpha", "Привет, как у тебя дела?", language="ru")
    assert "привет" in heard(russian, "ru")
    # the hard л and ё that espeak-ng writes as IPA outside Kokoro's vocabulary are spoken, not dropped
    assert "l" in phonemes.phonemize("дела", "ru") and "o" in phonemes.phonemize("пойдём", "ru")


def test_speed_changes_duration_natively():
    assert get_engine("kokoro").capabilities.speed
    fast, slow = speak("jf_nezumi", speed=2.0), speak("jf_nezumi", speed=0.5)
    assert fast.duration < 0.6 * slow.duration


@pytest.mark.parametrize(
    ("voice_id", "text", "language"),
    [("no_such_voice", SENTENCE, "en-us"), ("jf_alpha", SENTENCE, "tlh"), ("jf_alpha", "\u200b\u200b", "en-us")],
)
def test_what_it_cannot_say_is_an_engine_error(voice_id, text, language):
    with pytest.raises(EngineError):
        speak(voice_id, text, language=language)


def test_voices_are_offered_only_in_the_languages_they_passed(db):
    presets = Voice.objects.filter(engine="kokoro", kind="preset")
    assert presets.count() == 5
    for voice in presets:
        assert voice.technology == "neural"
        measured = [tag for tag in voice.languages if "-" in tag or tag in phonemes.candidates()]
        assert measured
        for tag in measured:
            assert intelligibility.passes("kokoro", voice.engine_voice_id, tag), (voice.name, tag)
    english = Voice.objects.get(engine="kokoro", engine_voice_id="jm_kumo")
    assert {"en-us", "en", "es", "ru"} <= set(english.languages)
    assert english.gender == "male"


def test_system_status_lists_the_engine(api):
    engines = {e["name"]: e for e in api.get("/api/system/status").json()["engines"]}
    assert engines["kokoro"]["installed"] is True
    assert engines["kokoro"]["capabilities"]["mixing"] is True
    assert "ru" in engines["kokoro"]["languages"]


def test_default_voices_are_the_best_measured(db, owner):
    from voices.selectors import default_voice_for

    for language in ("en", "es", "fr", "it", "pt", "ru"):
        chosen = default_voice_for(user=owner, language=language)
        assert chosen is not None and chosen.technology == "neural", language
        best = min(
            (m for m in intelligibility.measures() if m.language.split("-")[0] == language),
            key=lambda m: (m.technology != "neural", m.rank),
        )
        assert intelligibility.measure_of(chosen.engine, chosen.engine_voice_id, language).rank == best.rank


def test_the_library_ranks_a_language_by_measurement(api):
    results = api.get("/api/voices", {"language": "ru", "page_size": 500}).json()["results"]
    assert results[0]["engine"] == "kokoro"
    assert [v["technology"] for v in results].index("formant") > max(
        i for i, v in enumerate(results) if v["technology"] == "neural"
    )
    assert api.get("/api/voices", {"q": "neural", "page_size": 500}).json()["count"] >= 6


@pytest.mark.django_db(transaction=True)
def test_generation_with_a_kokoro_voice_through_the_worker(api, broker):
    voice = Voice.objects.get(engine="kokoro", engine_voice_id="jf_gongitsune")
    text = "Hola, ¿cómo estás? El tiempo es bueno hoy."  # no language given: detected per sentence
    response = api.post("/api/generate/preset", {"text": text, "voice_id": str(voice.pk)}, format="json")
    assert response.status_code == 202, response.content
    run_all_jobs(broker)
    job = api.get(f"/api/jobs/{response.json()['task_id']}").json()
    assert job["status"] == "succeeded", job
    generation = Generation.objects.get(job_id=job["task_id"])
    assert {chunk.language for chunk in generation.chunks.all()} == {"es"}
    audio = b"".join(api.get(job["result"]["audio_url"]).streaming_content)
    samples, rate = soundfile.read(io.BytesIO(audio))
    assert rate == 24_000 and len(samples) / rate > 1.5 and np.abs(samples).max() > 0.05


@pytest.mark.django_db(transaction=True)
def test_text_a_voice_cannot_say_is_refused_before_anything_starts(api):
    piper = Voice.objects.get(engine="piper", kind="preset")
    jobs = Job.objects.count()
    response = api.post(
        "/api/generate/preset",
        {"text": "Hello there. Привет, как у тебя дела сегодня?", "voice_id": str(piper.pk)},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "language_mismatch" and body["language"] == "ru"
    assert "ru" not in body["voice_languages"]
    suggested = Voice.objects.filter(pk__in=[v["id"] for v in body["voices"]])
    assert suggested and all(v.speaks("ru") for v in suggested)
    assert Voice.objects.get(pk=body["voices"][0]["id"]).engine == "kokoro"
    assert Job.objects.count() == jobs and not Generation.objects.exists()
    # naming the language is the user's choice, and so is a sentence whose language is not clear
    named = {"text": "Привет.", "voice_id": str(piper.pk), "language": "ru"}
    assert api.post("/api/generate/preset", named, format="json").json()["error"] == "language_not_supported"
    unclear = {"text": "Hello world", "voice_id": str(piper.pk)}
    assert api.post("/api/generate/preset", unclear, format="json").status_code == 202


def test_the_split_preview_says_each_sentences_language(api):
    chunks = api.post("/api/text/split", {"text": "The cat is on the mat. Привет, как дела?"}, format="json").json()[
        "chunks"
    ]
    assert [c["detected_language"] for c in chunks] == ["en", "ru"]
    # a sentence too short to tell takes its neighbour's language, never one from another script
    text = "Hola. ¿Qué tal? El tiempo es bueno hoy. Hello there. Привет, как дела?"
    chunks = api.post("/api/text/split", {"text": text, "max_chars": 20}, format="json").json()["chunks"]
    assert len(chunks) >= 4
    assert [c["detected_language"] for c in chunks] == ["es"] * (len(chunks) - 1) + ["ru"]
