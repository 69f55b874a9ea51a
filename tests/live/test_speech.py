"""Speech end to end on the real product: per-chunk events on /ws, chunk audio, and the openai client."""

from __future__ import annotations

import asyncio
import json
import subprocess
import tempfile

import pytest
import websockets

pytestmark = pytest.mark.live

TEXT = "The first sentence is short. The second one follows it. And a third closes the paragraph."


def _voice(product, key: str, engine: str, language: str = "en") -> str:
    with product.client(key) as client:
        voices = client.get("/api/voices", params={"engine": engine, "language": language}).json()["results"]
    return voices[0]["id"]


def _duration(data: bytes, fmt: str) -> float:
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}") as handle:
        handle.write(data)
        handle.flush()
        out = subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", handle.name],
            capture_output=True,
            text=True,
            check=True,
        )
    return float(out.stdout)


def test_chunked_generation_streams_each_chunk(product, product_key):
    product.wait_for_workers(product_key)
    voice_id = _voice(product, product_key, "piper")

    async def run() -> tuple[str, list[dict]]:
        async with websockets.connect(product.ws_url, additional_headers={"X-API-Key": product_key}) as ws:
            await ws.recv()
            with product.client(product_key) as client:
                response = client.post("/api/generate/clone-chunked", json={"text": TEXT, "voice_id": voice_id})
            assert response.status_code == 202, response.text
            task_id = response.json()["task_id"]
            events = []
            while True:
                event = json.loads(await asyncio.wait_for(ws.recv(), 120))
                if event.get("task_id") != task_id:
                    continue
                events.append(event)
                if event["type"] in ("job.finished", "job.failed"):
                    return task_id, events

    _task_id, events = asyncio.run(run())
    assert events[-1]["type"] == "job.finished", events[-1]
    chunk_events = [e for e in events if e["type"] == "job.progress" and "chunk_index" in e]
    assert [e["chunk_index"] for e in chunk_events] == [0, 1, 2]
    with product.client(product_key) as client:
        for event in chunk_events:
            audio = client.get(event["chunk_url"])
            assert audio.status_code == 200
            assert 0.5 < _duration(audio.content, "wav") < 10


def test_the_openai_client_works_unchanged(product, product_key):
    from openai import OpenAI

    product.wait_for_workers(product_key)
    client = OpenAI(api_key=product_key, base_url=f"{product.url}/v1", max_retries=0, timeout=120)
    speech = client.audio.speech.create(
        model="tts-1", voice="alloy", input="Hello from ClonyVoice.", response_format="mp3"
    )
    data = speech.read()
    assert 0.5 < _duration(data, "mp3") < 10
    espeak_ru = _voice(product, product_key, "espeak", "ru")
    russian = client.audio.speech.create(model="tts-1", voice=espeak_ru, input="Привет, мир.", response_format="wav")
    assert russian.read()[:4] == b"RIFF"
    listed = client.get("/audio/voices", cast_to=object)
    assert any(v["id"] == espeak_ru for v in listed["voices"])
