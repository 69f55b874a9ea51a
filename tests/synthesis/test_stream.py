"""Streamed speech through the API and a running Dramatiq worker, with eSpeak NG as the engine (fast, always
installed): the response grows sentence by sentence, and it is still a job with its history entry and takes."""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import OperationalError

from clonyvoice.models import Job
from synthesis.engines import get_engine
from synthesis.models import Generation, Take
from synthesis.streaming.relay import ABANDON_SECONDS, MAX_QUEUED
from tests.factories import issue_key
from voices.models import Voice

pytestmark = pytest.mark.django_db(transaction=True)

THREE_SENTENCES = "The weather is fine today. We will walk to the river. Then we go home."


@pytest.fixture
def espeak_en(db) -> Voice:
    return next(v for v in Voice.objects.filter(engine="espeak", kind="preset") if "en-us" in v.languages)


@pytest.fixture
def finish(broker, worker):
    """Wait until the running worker has finished every queued job (the stream may end before its job does)."""

    def wait() -> None:
        broker.join("gpu", fail_fast=False, timeout=120_000)
        worker.join()

    return wait


def _body(response) -> bytes:
    async def collect() -> bytes:
        return b"".join([part async for part in response.streaming_content])

    return async_to_sync(collect)()


def _speech(api, **fields):
    return api.post("/v1/audio/speech", {"model": "tts-1", **fields}, format="json")


def _probe(data: bytes, fmt: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}") as handle:
        handle.write(data)
        handle.flush()
        out = subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-show_entries",
                "stream=codec_name,sample_rate:format=duration",
                "-of",
                "json",
                handle.name,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout)


def _decoded_seconds(data: bytes, fmt: str) -> float:
    """Decode the whole stream (as a player would) and count its samples."""
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}") as handle:
        handle.write(data)
        handle.flush()
        pcm = subprocess.run(
            ["ffmpeg", "-v", "error", "-i", handle.name, "-f", "s16le", "-ac", "1", "-ar", "24000", "pipe:1"],
            capture_output=True,
            check=True,
        ).stdout
    return len(pcm) / 2 / 24000


def test_pcm_stream_equals_the_whole_file_and_is_a_job_with_history(api, espeak_en, finish):
    response = _speech(api, input=THREE_SENTENCES, voice=str(espeak_en.pk), response_format="pcm")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "audio/pcm"
    task_id = response["X-Task-Id"]
    streamed = _body(response)
    finish()
    generation = Generation.objects.get(pk=task_id)
    assert generation.job.status == Job.Status.SUCCEEDED
    assert generation.settings["stream"] is True
    whole = generation.output.read()
    assert len(streamed) > 24000 * 2  # more than a second of 24 kHz 16-bit audio
    assert streamed == whole  # nothing lost or doubled at the sentence seams
    assert Take.objects.filter(chunk__generation=generation).count() == 3
    history = api.get("/api/generations").json()["results"]
    assert task_id in [g["id"] for g in history]


@pytest.mark.parametrize("fmt", ["wav", "mp3", "opus", "aac", "flac"])
def test_every_format_streams_as_one_playable_file(api, espeak_en, finish, fmt):
    response = _speech(api, input=THREE_SENTENCES, voice=str(espeak_en.pk), response_format=fmt)
    assert response.status_code == 200
    streamed = _body(response)
    finish()
    whole = Generation.objects.get(pk=response["X-Task-Id"]).output.read()
    expected = _decoded_seconds(whole, fmt)
    assert expected > 2.0
    # Encoders pad their last frame; a lost or doubled sentence would be a second off.
    assert _decoded_seconds(streamed, fmt) == pytest.approx(expected, abs=0.08)
    if fmt == "wav":
        assert streamed[:4] == b"RIFF" and streamed[44:] == whole[44:]


def test_sse_sends_base64_deltas_then_done_with_usage(api, espeak_en, finish):
    response = _speech(api, input=THREE_SENTENCES, voice=str(espeak_en.pk), response_format="pcm", stream_format="sse")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    events = [json.loads(block[len("data: ") :]) for block in _body(response).decode().split("\n\n") if block]
    finish()
    assert {e["type"] for e in events[:-1]} == {"speech.audio.delta"}
    assert len(events) > 3
    assert events[-1] == {
        "type": "speech.audio.done",
        "usage": {"input_tokens": len(THREE_SENTENCES), "output_tokens": 0, "total_tokens": len(THREE_SENTENCES)},
    }
    audio = b"".join(base64.b64decode(e["audio"]) for e in events[:-1])
    assert audio == Generation.objects.get(pk=response["X-Task-Id"]).output.read()


def test_whole_file_on_request(api, espeak_en, finish):
    response = _speech(api, input="Just one file.", voice=str(espeak_en.pk), response_format="wav", stream=False)
    assert response.status_code == 200
    assert "X-Task-Id" not in response
    assert b"".join(response.streaming_content)[:4] == b"RIFF"


class TestBadInput:
    def test_unknown_stream_format(self, api, espeak_en):
        response = _speech(api, input="Hello.", voice=str(espeak_en.pk), stream_format="websocket")
        assert response.status_code == 400
        assert response.json()["error"] == "invalid"
        assert "stream_format" in response.json()["fields"]
        assert not Job.objects.exists()

    def test_a_format_that_cannot_stream_as_events(self, api, espeak_en):
        response = _speech(api, input="Hello.", voice=str(espeak_en.pk), response_format="wav", stream_format="sse")
        assert response.status_code == 400
        assert response.json()["error"] == "format_not_streamable"
        assert not Job.objects.exists()

    def test_events_without_a_stream(self, api, espeak_en):
        response = _speech(api, input="Hello.", voice=str(espeak_en.pk), stream_format="sse", stream=False)
        assert response.status_code == 400
        assert response.json()["error"] == "stream_required"

    def test_the_limit_counts_a_stream_once(self, owner, espeak_en, finish):
        from rest_framework.test import APIClient

        key = issue_key(owner, scopes=["tts:generate"], limits={"tts:generate": 2})
        client = APIClient()
        client.credentials(HTTP_X_API_KEY=key.token)
        long_text = " ".join(f"This is sentence number {n}." for n in range(1, 9))
        for _ in range(2):
            response = _speech(client, input=long_text, voice=str(espeak_en.pk), response_format="pcm")
            assert response.status_code == 200
            assert _body(response)
        finish()
        third = _speech(client, input="One more.", voice=str(espeak_en.pk), response_format="pcm")
        assert third.status_code == 429
        assert third.json()["error"] == "rate_limited"


async def _disconnect_after_first_audio(path: str, body: dict, token: str) -> tuple[dict, bytes]:
    """Drive the real ASGI application as daphne does: read the first audio, then hang up."""
    from clonyvoice.asgi import application

    payload = json.dumps(body).encode()
    hang_up = asyncio.Event()
    start: dict = {}
    received = bytearray()
    sent_request = False

    async def receive() -> dict:
        nonlocal sent_request
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": payload, "more_body": False}
        await hang_up.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message.get("body"):
            received.extend(message["body"])
            hang_up.set()

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
            (b"x-api-key", token.encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    await asyncio.wait_for(application(scope, receive, send), timeout=60)
    return start, bytes(received)


def test_a_client_that_disconnects_cancels_the_job_and_frees_the_worker(api, owner_key, espeak_en, finish):
    text = " ".join(f"This is sentence number {n} of a long text." for n in range(1, 61))
    started = time.monotonic()
    start, received = asyncio.run(
        _disconnect_after_first_audio(
            "/v1/audio/speech",
            {"model": "tts-1", "input": text, "voice": str(espeak_en.pk), "response_format": "pcm"},
            owner_key.token,
        )
    )
    assert start["status"] == 200, received
    assert received
    task_id = {name.lower(): value for name, value in start["headers"]}[b"x-task-id"].decode()
    finish()
    freed = time.monotonic() - started
    generation = Generation.objects.get(pk=task_id)
    assert generation.job.status == Job.Status.CANCELLED
    # The worker stopped within a sentence or two of the hang-up, not after sixty.
    made = Take.objects.filter(chunk__generation=generation).count()
    assert 1 <= made <= 10, made
    # Told by the hang-up, not by the reader's silence (ABANDON_SECONDS) nor by the end of the text.
    assert freed < ABANDON_SECONDS / 2
    # Nothing half-written: no joined file, and every take on disk belongs to a row.
    assert not generation.output
    folder = Path(settings.MEDIA_ROOT) / "generations" / task_id
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        Path(t.audio.name).name for t in Take.objects.filter(chunk__generation=generation)
    )
    # The worker serves the next request at once.
    again = _speech(api, input="Still here.", voice=str(espeak_en.pk), response_format="pcm")
    assert _body(again)
    finish()
    assert Job.objects.get(pk=again["X-Task-Id"]).status == Job.Status.SUCCEEDED


def test_an_engine_crash_mid_stream_ends_the_events_with_an_error(api, espeak_en, finish, monkeypatch):
    engine = type(get_engine("espeak"))
    real = engine.synthesize
    calls = {"n": 0}

    def flaky(self, request):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("engine exploded")
        return real(self, request)

    monkeypatch.setattr(engine, "synthesize", flaky)
    response = _speech(api, input=THREE_SENTENCES, voice=str(espeak_en.pk), response_format="mp3", stream_format="sse")
    events = [json.loads(block[len("data: ") :]) for block in _body(response).decode().split("\n\n") if block]
    finish()
    assert events[0]["type"] == "speech.audio.delta"
    assert events[-1]["type"] == "error"
    assert events[-1]["error"]["code"] == "generation_failed"
    assert "engine exploded" in events[-1]["error"]["message"]
    assert Job.objects.get(pk=response["X-Task-Id"]).status == Job.Status.FAILED


@pytest.mark.parametrize("path", ["/api/generate/preset", "/api/generate/clone"])
def test_the_native_api_streams_with_stream_true_and_keeps_the_job(api, espeak_en, finish, path):
    response = api.post(
        path,
        {"text": THREE_SENTENCES, "voice_id": str(espeak_en.pk), "format": "wav", "stream": True},
        format="json",
        HTTP_ACCEPT="audio/wav",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    streamed = _body(response)
    finish()
    task_id = response["X-Task-Id"]
    job = api.get(f"/api/jobs/{task_id}").json()
    assert job["status"] == "succeeded"
    whole = api.get(job["result"]["audio_url"])
    assert streamed[44:] == b"".join(whole.streaming_content)[44:]
    detail = api.get(f"/api/generations/{task_id}").json()
    assert [c["selected_take"] for c in detail["chunks"]] == [1, 1, 1]
    # Without `stream` the endpoint answers 202 as before.
    queued = api.post(path, {"text": "Queued.", "voice_id": str(espeak_en.pk)}, format="json")
    assert queued.status_code == 202
    finish()


def _settled_takes(task_id: str) -> int:
    """The number of takes once it stops growing (read beside a running worker: retried past a table lock)."""
    seen, since = -1, time.monotonic()
    while time.monotonic() - since < 1.5:
        try:
            count = Take.objects.filter(chunk__generation_id=task_id).count()
        except OperationalError:
            continue
        if count != seen:
            seen, since = count, time.monotonic()
        time.sleep(0.1)
    return seen


def test_a_reader_that_falls_behind_holds_the_worker_back_and_loses_nothing(api, espeak_en, finish):
    text = " ".join(f"This is sentence number {n}." for n in range(1, 13))
    response = api.post(
        "/api/generate/preset",
        {"text": text, "voice_id": str(espeak_en.pk), "format": "pcm", "stream": True},
        format="json",
    )
    task_id = response["X-Task-Id"]
    # Nobody reads yet: the worker queues MAX_QUEUED sentences, makes one more and waits to hand it over.
    assert _settled_takes(task_id) == MAX_QUEUED + 1
    streamed = _body(response)
    finish()
    generation = Generation.objects.get(pk=task_id)
    assert generation.job.status == Job.Status.SUCCEEDED
    assert generation.chunks.count() == 12
    assert streamed == generation.output.read()
