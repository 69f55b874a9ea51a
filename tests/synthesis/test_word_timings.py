"""Word timings and subtitles through the API and a real Dramatiq worker: Kokoro times its own words, Piper's are
aligned by Whisper on request; SRT/WebVTT for a generation and for a timeline render."""

from __future__ import annotations

import re

import pytest
from django.db.models import F
from rest_framework.test import APIClient

from clonyvoice.models import Job
from synthesis.models import Generation, Take
from tests.factories import issue_key
from tests.workers import run_all_jobs
from timeline.models import Block, Timeline
from voices.models import Voice

pytestmark = pytest.mark.django_db(transaction=True)

TWO_SENTENCES = "The old lighthouse stood at the edge of the harbor. Every evening the keeper climbed the stairs."
CUE_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d)([,.])(\d\d\d) --> (\d\d):(\d\d):(\d\d)([,.])(\d\d\d)$")


@pytest.fixture(scope="module")
def whisper_base():
    """The multilingual Whisper model that aligns words, joined into the test data dir once."""
    from cloning.transcription.install import assemble_base

    assemble_base(log=lambda _message: None)


@pytest.fixture
def kokoro_voice(db) -> Voice:
    return next(
        v for v in Voice.objects.filter(engine="kokoro", kind="preset").order_by("name") if "en-us" in v.languages
    )


@pytest.fixture
def piper_voice(db) -> Voice:
    return Voice.objects.get(engine="piper", engine_voice_id="en_US-joe-medium")


@pytest.fixture
def run_jobs(broker):
    return lambda: run_all_jobs(broker)


def _generate(api, run_jobs, path: str, body: dict) -> str:
    response = api.post(path, body, format="json")
    assert response.status_code == 202, response.content
    run_jobs()
    task_id = response.json()["task_id"]
    assert Job.objects.get(pk=task_id).status == "succeeded", Job.objects.get(pk=task_id).error
    return task_id


def _assert_words_follow_the_text(words: list[dict], chunks: list[dict], duration: float) -> None:
    assert [w["word"] for w in words] == [word for c in chunks for word in c["text"].split()]
    assert [w["chunk"] for w in words] == [c["index"] for c in chunks for _ in c["text"].split()]
    previous_end = 0.0
    for word in words:
        assert previous_end - 1e-6 <= word["start"] <= word["end"] <= duration + 1e-3, word
        previous_end = word["end"]
    assert words[-1]["end"] > duration / 2  # spread over the audio, not bunched at the start


def _seconds(groups: tuple[str, ...]) -> float:
    hours, minutes, secs, _sep, millis = groups
    return int(hours) * 3600 + int(minutes) * 60 + int(secs) + int(millis) / 1000


def _cues(text: str, separator: str) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue; asserts the cue timing lines are well-formed."""
    cues = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        if lines == ["WEBVTT"]:
            continue
        timing = next(line for line in lines if "-->" in line)
        match = CUE_TIME.match(timing)
        assert match, timing
        assert match.group(4) == match.group(9) == separator
        start, end = _seconds(match.groups()[:5]), _seconds(match.groups()[5:])
        assert start <= end
        cues.append((start, end, "\n".join(lines[lines.index(timing) + 1 :])))
    return cues


def test_kokoro_times_its_own_words_and_subtitles_follow_them(api, kokoro_voice, run_jobs):
    task_id = _generate(
        api,
        run_jobs,
        "/api/generate/clone-chunked",
        {"text": TWO_SENTENCES, "voice_id": str(kokoro_voice.pk), "language": "en-us"},
    )
    assert all(t.words for t in Take.objects.filter(chunk__generation_id=task_id))  # no alignment job needed
    detail = api.get(f"/api/generations/{task_id}").json()
    assert detail["words_status"] == "ready" and detail["words_task_id"] is None
    takes = [c["takes"][0] for c in detail["chunks"]]
    _assert_words_follow_the_text(detail["words"], detail["chunks"], sum(t["duration"] for t in takes))
    second = [w for w in detail["words"] if w["chunk"] == 1]
    assert second[0]["start"] >= takes[0]["duration"]  # the second sentence is placed after the first

    srt = api.get(f"/api/generations/{task_id}/subtitles.srt")
    assert srt.status_code == 200
    assert srt["Content-Type"].startswith("application/x-subrip")
    assert "attachment" in srt["Content-Disposition"]
    body = srt.content.decode()
    assert [line for line in body.splitlines() if line.isdigit()] == ["1", "2"]
    cues = _cues(body, ",")
    words = detail["words"]
    for index, (start, end, text) in enumerate(cues):
        chunk_words = [w for w in words if w["chunk"] == index]
        assert text == detail["chunks"][index]["text"]
        assert abs(start - chunk_words[0]["start"]) <= 0.0015 and abs(end - chunk_words[-1]["end"]) <= 0.0015

    vtt = api.get(f"/api/generations/{task_id}/subtitles.vtt?download=0")
    assert vtt.status_code == 200 and vtt["Content-Type"].startswith("text/vtt")
    assert vtt.content.decode().startswith("WEBVTT\n\n")
    assert [(round(s, 3), round(e, 3)) for s, e, _ in _cues(vtt.content.decode(), ".")] == [
        (round(s, 3), round(e, 3)) for s, e, _ in cues
    ]


def test_merged_words_take_the_gap_between_sentences(api, kokoro_voice, run_jobs):
    task_id = _generate(
        api,
        run_jobs,
        "/api/generate/clone-chunked",
        {"text": TWO_SENTENCES, "voice_id": str(kokoro_voice.pk), "language": "en-us"},
    )
    before = api.get(f"/api/generations/{task_id}").json()["words"]
    merged = api.post("/api/generate/merge-chunks", {"task_id": task_id, "gap_ms": 700}, format="json")
    assert merged.status_code == 202, merged.content
    run_jobs()
    generation = Generation.objects.get(pk=task_id)
    after = api.get(f"/api/generations/{task_id}").json()["words"]
    assert generation.output_layout["gap"] == 0.7
    for old, new in zip(before, after, strict=True):
        shift = 0.7 if old["chunk"] == 1 else 0.0
        assert new["start"] == pytest.approx(old["start"] + shift, abs=0.002)
    assert after[-1]["end"] <= generation.duration + 0.01


def test_piper_words_are_aligned_on_request(api, piper_voice, whisper_base, run_jobs):
    task_id = _generate(api, run_jobs, "/api/generate/preset", {"text": TWO_SENTENCES, "voice_id": str(piper_voice.pk)})
    detail = api.get(f"/api/generations/{task_id}").json()
    assert (detail["words_status"], detail["words"]) == ("missing", [])
    early = api.get(f"/api/generations/{task_id}/subtitles.srt")
    assert early.status_code == 409 and early.json()["error"] == "words_not_ready"

    started = api.post(f"/api/generations/{task_id}/words")
    assert started.status_code == 202, started.content
    align_id = started.json()["task_id"]
    again = api.post(f"/api/generations/{task_id}/words")  # one alignment at a time
    assert again.status_code == 202 and again.json()["task_id"] == align_id
    assert api.get(f"/api/generations/{task_id}").json()["words_status"] == "aligning"
    run_jobs()
    job = api.get(f"/api/jobs/{align_id}").json()
    assert job["status"] == "succeeded" and job["queue"] == "gpu", job

    ready = api.post(f"/api/generations/{task_id}/words")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    detail = api.get(f"/api/generations/{task_id}").json()
    assert detail["words_status"] == "ready"
    assert detail["words"] == ready.json()["words"]
    _assert_words_follow_the_text(detail["words"], detail["chunks"], detail["duration"])
    srt = api.get(f"/api/generations/{task_id}/subtitles.srt")
    assert srt.status_code == 200
    assert [text for _s, _e, text in _cues(srt.content.decode(), ",")] == [c["text"] for c in detail["chunks"]]


def test_another_users_generation_is_not_found(api, outsider, kokoro_voice, run_jobs):
    task_id = _generate(
        api, run_jobs, "/api/generate/preset", {"text": "Hello there.", "voice_id": str(kokoro_voice.pk)}
    )
    other = APIClient()
    other.credentials(HTTP_X_API_KEY=issue_key(outsider).token)
    for response in (
        other.get(f"/api/generations/{task_id}/subtitles.srt"),
        other.get(f"/api/generations/{task_id}/subtitles.vtt"),
        other.post(f"/api/generations/{task_id}/words"),
    ):
        assert response.status_code == 404, response.content
        assert response.json()["error"] == "not_found"
    unknown = api.get(f"/api/generations/{task_id}/subtitles.ass")
    assert unknown.status_code == 400 and unknown.json()["error"] == "unsupported_format"
    assert api.get("/api/generations/not-a-uuid/subtitles.srt").status_code == 404


def test_timeline_render_subtitles_follow_its_blocks(api, outsider, kokoro_voice, run_jobs):
    task_id = _generate(
        api,
        run_jobs,
        "/api/generate/clone-chunked",
        {"text": TWO_SENTENCES, "voice_id": str(kokoro_voice.pk), "language": "en-us"},
    )
    layout = api.get(f"/api/timeline/{task_id}?peaks=0").json()
    words = api.post(f"/api/timeline/{task_id}/words")
    assert words.status_code == 200 and words.json()["status"] == "ready"
    render = api.post("/api/generate/merge-timeline", {"task_id": task_id, "format": "wav"}, format="json")
    assert render.status_code == 202, render.content
    run_jobs()
    render_id = render.json()["task_id"]
    assert Job.objects.get(pk=render_id).status == "succeeded"

    vtt = api.get(f"/api/timeline/{task_id}/render/{render_id}/subtitles.vtt")
    assert vtt.status_code == 200, vtt.content
    cues = _cues(vtt.content.decode(), ".")
    blocks = sorted(Block.objects.filter(track__timeline_id=layout["id"], take__isnull=False), key=lambda b: b.start)
    assert [text for _s, _e, text in cues] == [b.take.text for b in blocks]
    for (start, end, _text), block in zip(cues, blocks, strict=True):
        heard = block.start - block.in_point
        assert start == pytest.approx(heard + block.take.words[0]["start"], abs=0.0015)
        assert end == pytest.approx(heard + block.take.words[-1]["end"], abs=0.0015)
    assert blocks[1].start > 0 and cues[1][0] > cues[0][1]  # the second block's words where that block plays

    srt = api.get(f"/api/timeline/{task_id}/render/{render_id}/subtitles.srt")
    assert srt.status_code == 200 and len(_cues(srt.content.decode(), ",")) == len(cues)
    other = APIClient()
    other.credentials(HTTP_X_API_KEY=issue_key(outsider).token)
    assert other.get(f"/api/timeline/{task_id}/render/{render_id}/subtitles.srt").status_code == 404
    assert other.post(f"/api/timeline/{task_id}/words").status_code == 404

    Timeline.objects.filter(pk=layout["id"]).update(version=F("version") + 1)
    stale = api.get(f"/api/timeline/{task_id}/render/{render_id}/subtitles.srt")
    assert stale.status_code == 409 and stale.json()["error"] == "render_outdated"
