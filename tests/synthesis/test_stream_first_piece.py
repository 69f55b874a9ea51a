# ruff: noqa: RUF001
# Russian text is data here.
"""A streamed generation starts sooner: its long first sentence is spoken in two pieces, a short one first. Through
the API and a running Dramatiq worker (eSpeak NG, and Kokoro for its own word timings); the whole file of a
generation that does not stream stays sentence by sentence."""

from __future__ import annotations

import asyncio
import itertools
import struct
from collections.abc import AsyncIterator

import numpy as np
import pytest
from asgiref.sync import async_to_sync

from clonyvoice.models import Job
from synthesis.models import Generation
from synthesis.streaming.encode import encoded
from synthesis.streaming.relay import Sentence
from synthesis.textsplit import split_head
from voices.models import Voice

pytestmark = pytest.mark.django_db(transaction=True)

LONG_FIRST = "The lighthouse keeper climbed the stairs at dusk. He trimmed the wick and wound the clockwork."
LONG_FIRST_PIECES = [
    "The lighthouse keeper climbed",
    "the stairs at dusk.",
    "He trimmed the wick and wound the clockwork.",
]
WAV_HEADER = 44


@pytest.fixture
def espeak_en(db) -> Voice:
    return next(v for v in Voice.objects.filter(engine="espeak", kind="preset") if "en-us" in v.languages)


@pytest.fixture
def espeak_ru(db) -> Voice:
    return next(v for v in Voice.objects.filter(engine="espeak", kind="preset") if v.languages[:1] == ["ru"])


@pytest.fixture
def kokoro_en(db) -> Voice:
    return next(
        v for v in Voice.objects.filter(engine="kokoro", kind="preset").order_by("name") if "en-us" in v.languages
    )


@pytest.fixture
def finish(broker, worker):
    """Wait until the running worker has finished every queued job (the stream may end before its job does)."""

    def wait() -> None:
        for queue in ("gpu", "cpu"):
            broker.join(queue, fail_fast=False, timeout=120_000)
        worker.join()

    return wait


def _parts(response) -> list[bytes]:
    """What the response sends, piece by piece as the sentences come (raw audio: one part a piece)."""

    async def collect() -> list[bytes]:
        return [part async for part in response.streaming_content]

    return async_to_sync(collect)()


def _speech(api, voice: Voice, text: str, fmt: str, **fields):
    response = api.post(
        "/v1/audio/speech",
        {"model": "tts-1", "voice": str(voice.pk), "input": text, "response_format": fmt, **fields},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response


def _wav_seconds(data: bytes) -> float:
    rate = struct.unpack("<I", data[24:28])[0]
    return (len(data) - WAV_HEADER) / 2 / rate


def _texts(api, task_id: str) -> list[str]:
    return [c["text"] for c in api.get(f"/api/generations/{task_id}").json()["chunks"]]


def test_the_first_audio_is_a_short_piece_of_a_long_first_sentence(api, espeak_en, finish):
    response = _speech(api, espeak_en, LONG_FIRST, "wav")
    parts = _parts(response)
    finish()
    task_id = response["X-Task-Id"]
    generation = Generation.objects.get(pk=task_id)
    assert generation.job.status == Job.Status.SUCCEEDED
    assert generation.job.total == 3
    detail = api.get(f"/api/generations/{task_id}").json()
    assert [c["text"] for c in detail["chunks"]] == LONG_FIRST_PIECES
    # Each piece is a take of its own, selected, saying its own words.
    assert [(c["selected_take"], [t["text"] for t in c["takes"]]) for c in detail["chunks"]] == [
        (1, [text]) for text in LONG_FIRST_PIECES
    ]
    # The first part on the wire is the short piece alone...
    takes = [c["takes"][0]["duration"] for c in detail["chunks"]]
    assert len(parts) == 3
    assert _wav_seconds(parts[0]) == pytest.approx(takes[0], abs=0.002)
    # ...and nothing is lost or doubled at the new seam: the stream is the stored file.
    whole = generation.output.read()
    assert b"".join(parts)[WAV_HEADER:] == whole[WAV_HEADER:]
    assert generation.duration == pytest.approx(sum(takes), abs=0.002)

    # The same text as a whole file keeps its first sentence whole, and that sentence is far longer to say.
    queued = api.post(
        "/api/generate/preset", {"text": LONG_FIRST, "voice_id": str(espeak_en.pk), "format": "wav"}, format="json"
    )
    assert queued.status_code == 202
    finish()
    file_task = queued.json()["task_id"]
    assert Job.objects.get(pk=file_task).status == Job.Status.SUCCEEDED
    file_chunks = api.get(f"/api/generations/{file_task}").json()["chunks"]
    assert [c["text"] for c in file_chunks] == [
        "The lighthouse keeper climbed the stairs at dusk.",
        "He trimmed the wick and wound the clockwork.",
    ]
    assert _wav_seconds(parts[0]) < 0.7 * file_chunks[0]["takes"][0]["duration"]


def test_a_streamed_generation_reopens_with_its_whole_text_and_history_entry(api, espeak_en, finish):
    response = api.post(
        "/api/generate/preset",
        {"text": LONG_FIRST, "voice_id": str(espeak_en.pk), "format": "pcm", "stream": True},
        format="json",
    )
    assert response.status_code == 200
    streamed = b"".join(_parts(response))
    finish()
    task_id = response["X-Task-Id"]
    assert streamed == Generation.objects.get(pk=task_id).output.read()
    detail = api.get(f"/api/generations/{task_id}").json()
    assert detail["text"] == LONG_FIRST  # what the Studio puts back in its editor
    assert " ".join(c["text"] for c in detail["chunks"]) == LONG_FIRST
    history = api.get("/api/generations").json()["results"]
    entry = next(g for g in history if g["id"] == task_id)
    assert entry["title"] == detail["title"]


def test_a_russian_first_sentence_is_cut_at_its_comma(api, espeak_ru, finish):
    text = "Мы долго шли по тёмному лесу, пока не увидели старый дом. Потом пошёл дождь."
    response = _speech(api, espeak_ru, text, "pcm")
    streamed = b"".join(_parts(response))
    finish()
    task_id = response["X-Task-Id"]
    assert _texts(api, task_id) == [
        "Мы долго шли по тёмному лесу,",
        "пока не увидели старый дом.",
        "Потом пошёл дождь.",
    ]
    assert streamed == Generation.objects.get(pk=task_id).output.read()


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        pytest.param(
            "The weather is fine today. We will walk to the river.",
            ["The weather is fine today.", "We will walk to the river."],
            id="already-short",
        ),
        pytest.param(
            "Dial 1 800 555 0100 4417 2233 now. Then wait.",
            ["Dial 1 800 555 0100 4417 2233 now.", "Then wait."],
            id="no-boundary",
        ),
    ],
)
def test_a_first_sentence_without_a_place_to_cut_streams_whole(api, espeak_en, finish, text, sentences):
    response = _speech(api, espeak_en, text, "pcm")
    streamed = b"".join(_parts(response))
    finish()
    task_id = response["X-Task-Id"]
    assert _texts(api, task_id) == sentences
    assert streamed == Generation.objects.get(pk=task_id).output.read()


def test_kokoro_words_of_a_streamed_generation_follow_the_whole_text(api, kokoro_en, finish):
    response = _speech(api, kokoro_en, LONG_FIRST, "mp3")
    assert _parts(response)
    finish()
    detail = api.get(f"/api/generations/{response['X-Task-Id']}").json()
    assert [c["text"] for c in detail["chunks"]] == LONG_FIRST_PIECES
    assert detail["words_status"] == "ready"
    words = detail["words"]
    assert [w["word"] for w in words] == LONG_FIRST.split()
    assert [w["chunk"] for w in words] == [c["index"] for c in detail["chunks"] for _ in c["text"].split()]
    first_duration = detail["chunks"][0]["takes"][0]["duration"]
    second = [w for w in words if w["chunk"] == 1]
    assert second[0]["start"] >= first_duration - 1e-3  # the rest of the sentence is placed after its first piece
    assert all(a["end"] <= b["start"] + 1e-6 for a, b in itertools.pairwise(words))


@pytest.mark.parametrize("fmt", ["mp3", "opus", "aac", "flac"])
def test_a_short_first_piece_is_encoded_before_the_next_one_comes(fmt):
    """ffmpeg starts on the first piece alone (it used to wait to probe more audio than a short piece holds)."""
    rate = 24_000
    tone = (0.1 * np.sin(np.arange(rate) * 2 * np.pi * 220 / rate)).astype(np.float32)

    async def pieces() -> AsyncIterator[Sentence]:
        yield Sentence(0, 2, tone, rate)
        await asyncio.Event().wait()  # the next piece is still being spoken
        yield Sentence(1, 2, tone, rate)

    async def first_bytes() -> bytes:
        stream = encoded(pieces(), fmt)
        try:
            return await asyncio.wait_for(anext(stream), timeout=10)
        finally:
            await stream.aclose()

    assert asyncio.run(first_bytes())


@pytest.mark.parametrize(
    ("sentence", "language", "pieces"),
    [
        pytest.param(
            "Out at sea, a fishing boat was heading home.", "en", ("Out at sea,", "a fishing boat was heading home.")
        ),
        pytest.param(
            "Mr. J. R. R. Tolkien wrote the book in 1937 and it sold well.",
            "en",
            ("Mr. J. R. R. Tolkien wrote", "the book in 1937 and it sold well."),
            id="initials",
        ),
        pytest.param(
            "В 1999 г. мы переехали в Москву и прожили там десять лет.",
            "ru",
            ("В 1999 г. мы переехали", "в Москву и прожили там десять лет."),
            id="ru-abbreviation",
        ),
        pytest.param(
            "Москва — столица России и самый большой город страны.",
            "ru",
            ("Москва — столица России", "и самый большой город страны."),
            id="ru-conjunction",
        ),
        pytest.param(
            "Население города — 12 500 000 человек, и оно растёт.",
            "ru",
            ("Население города —", "12 500 000 человек, и оно растёт."),
            id="ru-number",
        ),
        pytest.param(
            "Der alte Mann ging langsam mit seinem Hund durch den Park.",
            None,
            ("Der alte Mann ging langsam", "mit seinem Hund durch den Park."),
            id="de-auto",
        ),
        pytest.param(
            "今日はとても良い天気ですね、散歩に行きましょうか。",
            "ja",
            ("今日はとても良い天気ですね、", "散歩に行きましょうか。"),
            id="ja-comma",
        ),
    ],
)
def test_where_a_first_sentence_is_cut(sentence: str, language: str | None, pieces: tuple[str, str]) -> None:
    assert split_head(sentence, language=language) == pieces


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("The weather is fine today.", "en"),
        ("Population grew to 10 000 000 000 000 people.", "en"),
        ("今日はとても良い天気ですね散歩に行きましょうか本当に。", "ja"),
        ("Supercalifragilisticexpialidocious!", "en"),
    ],
)
def test_a_sentence_with_no_place_to_cut_stays_whole(sentence: str, language: str) -> None:
    assert split_head(sentence, language=language) is None
