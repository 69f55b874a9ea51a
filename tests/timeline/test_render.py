"""merge-timeline through the API and a real Dramatiq worker: exact lengths, the mix itself, MP4."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest
from rest_framework.test import APIClient

from clonyvoice.models import Job
from synthesis.models import Take
from tests.factories import issue_key
from tests.timeline.factories import make_generation, mono_wav_16k, png, read_wav_frames, stereo_mp3
from tests.workers import run_all_jobs
from timeline.models import TimelineRender
from voices.models import Voice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def run_jobs(broker, worker):
    def run() -> None:
        for queue in ("gpu", "cpu"):
            broker.join(queue, fail_fast=False, timeout=120_000)
        worker.join()

    return run


def _render(api, run_jobs, key, **options) -> tuple[dict, bytes]:
    response = api.post("/api/generate/merge-timeline", {"task_id": str(key), **options}, format="json")
    assert response.status_code == 202, response.content
    run_jobs()
    job = api.get(f"/api/jobs/{response.json()['task_id']}").json()
    assert job["status"] == "succeeded", job
    assert job["queue"] == "cpu"
    assert job["progress"] == job["total"] > 0
    download = api.get(job["result"]["url"])
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)


def _probe(path: Path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True,
        check=True,
    )
    return json.loads(out.stdout)


def _frames(seconds: float, rate: int) -> int:
    return math.ceil(round(seconds * rate, 6))


def test_wav_render_is_the_exact_mix_to_the_sample(api, owner, run_jobs, tmp_path):
    generation = make_generation(owner)
    layout = api.get(f"/api/timeline/{generation.pk}").json()
    voice = layout["tracks"][0]
    a, b, c = voice["blocks"]
    a.update(start=0.25, in_point=0.1, out_point=0.9, gain_db=-6.0, fade_in=0.05, fade_out=0.2)
    b.update(start=0.5)  # overlaps a
    c.update(start=1.0, in_point=0.2, out_point=0.55, mute=True)
    # a second voice track, muted; then a soloed one that holds a copy of c
    layout["tracks"] += [
        {"kind": "voice", "name": "Muted", "mute": True, "blocks": [dict(c, id=None, start=3.0, mute=False)]},
    ]
    saved = api.post(f"/api/timeline/{generation.pk}/layout", layout, format="json")
    assert saved.status_code == 200, saved.content

    job, body = _render(api, run_jobs, generation.pk, format="wav")
    out = tmp_path / "out.wav"
    out.write_bytes(body)
    mixed, rate = read_wav_frames(out)
    assert rate == 24_000
    end = max(0.25 + 0.8, 0.5 + 0.5)  # the latest audible end: a (b ends at 1.0; c and the muted track are silent)
    assert len(mixed) == job["result"]["frames"] == _frames(end, rate) == 25_200
    assert job["result"]["channels"] == 1

    takes = {t.pk: read_wav_frames(Path(t.audio.path))[0][:, 0] for t in Take.objects.all()}
    expected = np.zeros(len(mixed))
    a_src = takes[a["source"]["id"]][int(0.1 * rate) : int(0.9 * rate)]
    env = np.ones(len(a_src))
    index = np.arange(len(a_src))
    env *= np.minimum(1, index / (0.05 * rate)) * np.minimum(1, (len(a_src) - index) / (0.2 * rate))
    expected[int(0.25 * rate) : int(0.25 * rate) + len(a_src)] += a_src * env * 10 ** (-6 / 20)
    b_src = takes[b["source"]["id"]]
    expected[int(0.5 * rate) : int(0.5 * rate) + len(b_src)] += b_src
    assert np.max(np.abs(mixed[:, 0] - expected)) < 2 / 32768

    render = TimelineRender.objects.get(pk=job["task_id"])
    assert (render.format, render.frames, render.version) == ("wav", 25_200, 2)
    assert api.get(f"/api/timeline/{generation.pk}").json()["renders"][0]["render_id"] == job["task_id"]


def test_solo_and_other_rates_and_channels_render_exact(api, owner, run_jobs, tmp_path):
    generation = make_generation(owner)
    with open(stereo_mp3(tmp_path, 2.0), "rb") as handle:
        api.post(f"/api/timeline/{generation.pk}/import-track", {"file": handle, "start": "0.5"}, format="multipart")
    with open(mono_wav_16k(tmp_path, 1.5), "rb") as handle:
        layout = api.post(f"/api/timeline/{generation.pk}/import-track", {"file": handle}, format="multipart").json()
    music = layout["tracks"][1]["blocks"][0]
    music_end = 0.5 + music["out_point"]

    job, body = _render(api, run_jobs, generation.pk, format="flac")
    out = tmp_path / "out.flac"
    out.write_bytes(body)
    [stream] = _probe(out)["streams"]
    assert (stream["sample_rate"], stream["channels"]) == ("44100", 2)
    assert int(stream["duration_ts"]) == job["result"]["frames"] == _frames(max(2.75, music_end), 44_100)

    # solo the 16 kHz track: only it is heard, at the rate asked for
    layout["tracks"][2]["solo"] = True
    api.post(f"/api/timeline/{generation.pk}/layout", layout, format="json")
    job, body = _render(api, run_jobs, generation.pk, format="wav", sample_rate=16_000)
    out = tmp_path / "solo.wav"
    out.write_bytes(body)
    mixed, rate = read_wav_frames(out)
    ambience = layout["tracks"][2]["blocks"][0]
    assert rate == 16_000
    assert mixed.shape == (_frames(ambience["out_point"], 16_000), 1)

    job, body = _render(api, run_jobs, generation.pk, format="mp3")
    out = tmp_path / "out.mp3"
    out.write_bytes(body)
    # the LAME header records the encoder's delay and padding, so a decoder gets the exact length back
    decoded = subprocess.run(["ffmpeg", "-v", "error", "-i", str(out), "-f", "s16le", "-"], capture_output=True).stdout
    assert len(decoded) // 2 == _frames(ambience["out_point"], 16_000)


def test_mp4_with_an_image_under_the_mix(api, owner, run_jobs, tmp_path):
    generation = make_generation(owner)
    without = api.post("/api/generate/merge-timeline", {"task_id": str(generation.pk), "format": "mp4"}, format="json")
    assert without.status_code == 400
    assert without.json()["error"] == "no_picture"
    with open(png(tmp_path, "320x240"), "rb") as handle:
        imported = api.post(f"/api/timeline/{generation.pk}/import-video", {"file": handle}, format="multipart")
    assert imported.status_code == 201, imported.content

    job, body = _render(api, run_jobs, generation.pk, format="mp4")
    out = tmp_path / "out.mp4"
    out.write_bytes(body)
    info = _probe(out)
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    audio = next(s for s in info["streams"] if s["codec_type"] == "audio")
    assert (video["codec_name"], video["pix_fmt"], video["width"], video["height"]) == ("h264", "yuv420p", 320, 240)
    assert audio["codec_name"] == "aac"
    assert abs(float(info["format"]["duration"]) - 2.75) < 0.1
    assert job["result"]["format"] == "mp4"


def test_montage_opens_as_one_timeline_and_renders(api, owner, run_jobs, tmp_path):
    first = make_generation(owner, frames=(24_000,), title="one")
    second = make_generation(owner, frames=(12_000, 12_000), title="two")
    montage = api.post(
        "/api/montages", {"title": "Both", "generation_ids": [str(second.pk), str(first.pk)]}, format="json"
    ).json()
    layout = api.post(f"/api/montages/{montage['id']}/timeline", {"gap_ms": 500}, format="json").json()
    assert layout["montage_id"] == montage["id"]
    job, body = _render(api, run_jobs, layout["id"], format="wav")
    out = tmp_path / "montage.wav"
    out.write_bytes(body)
    # two: 0.5 s + 0.25 s gap + 0.5 s; then 0.5 s between generations; then one: 1 s
    assert len(read_wav_frames(out)[0]) == _frames(2.75, 24_000)
    assert job["result"]["url"] == f"/api/timeline/{layout['id']}/render/{job['task_id']}"


def test_outsider_cannot_download_and_deleting_the_generation_removes_renders(api, owner, outsider, run_jobs):
    generation = make_generation(owner)
    job, _ = _render(api, run_jobs, generation.pk, format="wav")
    path = Path(TimelineRender.objects.get(pk=job["task_id"]).file.path)
    assert path.exists()
    other = APIClient()
    other.credentials(HTTP_X_API_KEY=issue_key(outsider).token)
    assert other.get(job["result"]["url"]).status_code == 404
    assert api.delete(f"/api/generations/{generation.pk}").status_code == 204
    assert not path.exists()
    assert not TimelineRender.objects.exists()


def test_a_redelivered_render_writes_over_what_its_killed_attempt_left(api, owner, broker, settings):
    generation = make_generation(owner)
    task_id = api.post(
        "/api/generate/merge-timeline", {"task_id": str(generation.pk), "format": "wav"}, format="json"
    ).json()["task_id"]
    # What a worker killed with -9 mid-render leaves: the job running, its scratch folder, a partial file.
    Job.objects.filter(pk=task_id).update(status=Job.Status.RUNNING, attempts=1)
    scratch = Path(settings.DATA_DIR) / "tmp" / f"render-{task_id}"
    scratch.mkdir(parents=True)
    (scratch / "mix.wav").write_bytes(b"RIFF")
    timeline_id = api.get(f"/api/timeline/{generation.pk}").json()["id"]
    folder = Path(settings.MEDIA_ROOT) / "timelines" / timeline_id
    folder.mkdir(parents=True)
    (folder / f"render-{task_id}.wav.part").write_bytes(b"RIFF")

    run_all_jobs(broker)

    job = api.get(f"/api/jobs/{task_id}").json()
    assert job["status"] == "succeeded", job
    assert not scratch.exists()
    assert [p.name for p in folder.iterdir()] == [f"render-{task_id}.wav"]


def test_real_generation_opens_and_renders(api, run_jobs, tmp_path):
    voice = next(v for v in Voice.objects.filter(engine="espeak", kind="preset") if "en-us" in v.languages)
    task_id = api.post(
        "/api/generate/clone-chunked",
        {"text": "The weather is fine today. We will walk to the river.", "voice_id": str(voice.pk)},
        format="json",
    ).json()["task_id"]
    run_jobs()
    assert Job.objects.get(pk=task_id).status == "succeeded"
    layout = api.get(f"/api/timeline/{task_id}").json()
    blocks = layout["tracks"][0]["blocks"]
    assert len(blocks) == 2
    assert blocks[1]["start"] == pytest.approx(blocks[0]["out_point"] + 0.25)
    _, body = _render(api, run_jobs, task_id, format="wav")
    out = tmp_path / "speech.wav"
    out.write_bytes(body)
    mixed, rate = read_wav_frames(out)
    assert len(mixed) == _frames(blocks[1]["end"], rate)
    assert np.abs(mixed).max() > 0.05
