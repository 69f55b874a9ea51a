"""Streamed speech on the real product (serve: daphne, Redis, workers): the official `openai` client and curl
get the first audio while the generation is still running, and a client that hangs up cancels its job."""

from __future__ import annotations

import json
import subprocess
import time
from datetime import datetime

import httpx
import pytest
from openai import OpenAI

pytestmark = pytest.mark.live

LONG_TEXT = " ".join(f"This is sentence number {n}, and it is spoken on its own." for n in range(1, 21))


def _voice(product, key: str, engine: str = "espeak") -> str:
    with product.client(key) as client:
        voices = client.get("/api/voices", params={"engine": engine, "language": "en"}).json()["results"]
    return voices[0]["id"]


def _job(product, key: str, task_id: str, *, until_finished: bool = True) -> dict:
    deadline = time.monotonic() + 60
    with product.client(key) as client:
        while True:
            job = client.get(f"/api/jobs/{task_id}").json()
            if job["finished_at"] or not until_finished or time.monotonic() > deadline:
                return job
            time.sleep(0.1)


@pytest.fixture(scope="module")
def ready(product, product_key):
    product.wait_for_workers(product_key)
    return _voice(product, product_key)


def test_the_openai_client_gets_the_first_audio_before_the_generation_ends(product, product_key, ready):
    client = OpenAI(api_key=product_key, base_url=f"{product.url}/v1", max_retries=0, timeout=120)
    with client.audio.speech.with_streaming_response.create(
        model="tts-1", voice=ready, input=LONG_TEXT, response_format="pcm"
    ) as response:
        task_id = response.headers["x-task-id"]
        chunks = response.iter_bytes()
        first = next(chunks)
        first_at = datetime.now().astimezone()
        running = _job(product, product_key, task_id, until_finished=False)
        rest = b"".join(chunks)
    assert first
    assert running["status"] == "running"  # asked right after the first audio arrived
    job = _job(product, product_key, task_id)
    assert job["status"] == "succeeded"
    assert first_at < datetime.fromisoformat(job["finished_at"])
    with product.client(product_key) as http:
        whole = http.get(job["result"]["audio_url"]).content
    assert first + rest == whole


def test_the_openai_client_reads_server_sent_events(product, product_key, ready):
    client = OpenAI(api_key=product_key, base_url=f"{product.url}/v1", max_retries=0, timeout=120)
    with client.audio.speech.with_streaming_response.create(
        model="tts-1",
        voice=ready,
        input="Events carry the audio. One delta at a time.",
        response_format="mp3",
        stream_format="sse",
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [json.loads(line[len("data: ") :]) for line in response.iter_lines() if line.startswith("data: ")]
    assert events[0]["type"] == "speech.audio.delta"
    assert events[-1]["type"] == "speech.audio.done"
    assert events[-1]["usage"]["total_tokens"] > 0


def test_curl_plays_a_stream_that_starts_early(product, product_key, ready):
    body = json.dumps({"model": "tts-1", "voice": ready, "input": LONG_TEXT, "response_format": "mp3"})
    out = subprocess.run(
        [
            "curl",
            "-sS",
            "-N",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{time_starttransfer} %{time_total}",
            "-H",
            f"X-API-Key: {product_key}",
            "-H",
            "Content-Type: application/json",
            "--data",
            body,
            f"{product.url}/v1/audio/speech",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    code, first, total = out.stdout.split()
    assert code == "200"
    assert float(first) < float(total) / 2, out.stdout


def test_hanging_up_cancels_the_job_and_frees_the_gpu_worker(product, product_key, ready):
    body = {"model": "tts-1", "voice": ready, "input": LONG_TEXT * 3, "response_format": "wav"}
    with httpx.Client(base_url=product.url, headers={"X-API-Key": product_key}, timeout=60) as client:
        with client.stream("POST", "/v1/audio/speech", json=body) as response:
            assert response.status_code == 200
            task_id = response.headers["x-task-id"]
            assert next(response.iter_raw())[:4] == b"RIFF"
        hung_up = time.monotonic()
    job = _job(product, product_key, task_id)
    assert job["status"] == "cancelled", job
    assert time.monotonic() - hung_up < 10
    assert job["progress"] < job["total"]
    with product.client(product_key) as client:
        again = client.post(
            "/v1/audio/speech", json={"model": "tts-1", "voice": ready, "input": "Next.", "response_format": "pcm"}
        )
    assert again.status_code == 200 and again.content
    assert _job(product, product_key, again.headers["x-task-id"])["status"] == "succeeded"
