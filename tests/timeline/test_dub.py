"""Dubbing end to end through the API and a real Dramatiq worker: a short talking clip with a picture, English →
Spanish (apertium), the timeline, the MP4, the subtitles, a regenerated line, and a dub that clones the speaker."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from clonyvoice.audio import write_wav
from clonyvoice.models import Job
from synthesis.models import Take
from tests.timeline.dub_clips import LINES, seconds, spanish_voice, speech, streams, talking_clip, upload
from tests.workers import run_all_jobs
from timeline.dubbing.fitting import BREATH
from timeline.models import Block

pytestmark = pytest.mark.django_db(transaction=True)
STAGES = ["extract", "transcribe", "translate", "speak", "fit", "assemble", "render"]
NOTE_CODES = {
    "one_speaker",
    "one_voice",
    "no_speaker_encoder",
    "second_speaker_short",
    "clone_cannot_speak",
    "starts_late",
    "moved_into_silence",
    "pushed_next",
    "past_end",
    "no_picture",
}
PLACEMENT = {"starts_late", "moved_into_silence", "pushed_next", "past_end"}


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    """Three lines; the picture goes on 1.5 s after the sound ends (as a phone's recording may)."""
    return talking_clip(tmp_path_factory.mktemp("dub"), tail=1.5)


@pytest.fixture(scope="module")
def short_clip(tmp_path_factory) -> Path:
    """Two lines: a clone's Kokoro speech is the slow part of a dub on a CPU."""
    return talking_clip(tmp_path_factory.mktemp("dub-short"), LINES[:2])


def moved_code(segments: list[dict], position: int, duration: float) -> str:
    """Where a line that runs past its slot goes: past the next line's start, past the source's end, or into the
    silence after it."""
    segment, following = segments[position], segments[position + 1 : position + 2]
    if following and segment["speech_end"] > following[0]["start"] + 1e-6:
        return "pushed_next"
    return "past_end" if not following and segment["speech_end"] > duration + 1e-6 else "moved_into_silence"


def check_placed(segments: list[dict], notes: list[dict], duration: float) -> None:
    """Every line starts in its slot (unless the one before ran into it) and speech never overlaps itself; a line
    that starts late or runs past its slot has its note (a code, the line, the seconds, an English sentence), and
    no other line has one."""
    for note in notes:
        assert note["code"] in NOTE_CODES and isinstance(note["text"], str) and note["text"], note
    placed = {(n["code"], n["segment"]): n for n in notes if n["code"] in PLACEMENT}
    expected = set()
    for before, after in pairwise(segments):
        assert before["speech_end"] <= after["speech_start"] + 1e-6, (before, after)
    for position, segment in enumerate(segments):
        line = segment["index"]
        assert segment["speech_start"] >= segment["start"] - 1e-6
        assert segment["speech_end"] > segment["speech_start"]
        assert 1.0 <= segment["speed"] <= 1.25 and 1.0 <= segment["stretch"] <= 1.15
        assert segment["moved_by"] == pytest.approx(max(0.0, segment["speech_end"] - segment["end"]), abs=1e-3)
        # A line is sped up or stretched only when it is longer than its room: its slot and the pause after it,
        # less a breath before the next line.
        following = segments[position + 1]["start"] if position + 1 < len(segments) else max(duration, segment["end"])
        room = max(segment["end"] - segment["start"], following - segment["start"] - BREATH)
        if segment["speed"] > 1.0 or segment["stretch"] > 1.0:
            at_caps = segment["speed"] == 1.25 and segment["stretch"] == 1.15
            assert at_caps or segment["speech_end"] - segment["speech_start"] >= 0.8 * room, (segment, room)
        late = segment["speech_start"] - segment["start"]
        if late > 0.01:
            expected.add(("starts_late", line))
            note = placed[("starts_late", line)]
            assert note["seconds"] == pytest.approx(late, abs=1e-3) and f"segment {line + 1} starts" in note["text"]
        if segment["moved_by"] > 0.01:
            code = moved_code(segments, position, duration)
            expected.add((code, line))
            note = placed[(code, line)]
            assert note["seconds"] == pytest.approx(segment["moved_by"], abs=1e-3)
            assert f"segment {line + 1} moved" in note["text"]
    assert set(placed) == expected, notes


def test_dub_a_video_into_spanish_then_edit_a_line_and_render_again(client, broker, clip, outsider, monkeypatch):
    from clonyvoice import jobs

    sent: list[dict] = []
    real_publish = jobs.publish_job

    def publish(job, event_type, **extra):
        sent.append({"type": event_type, "kind": job.kind, **extra})
        real_publish(job, event_type, **extra)

    monkeypatch.setattr(jobs, "publish_job", publish)
    response = client.post(
        "/api/dub",
        {"file": upload(clip), "target_language": "es", "voice_id": str(spanish_voice().pk)},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    accepted = response.json()
    assert accepted["kind"] == "dub" and accepted["status"] == "pending"
    dub_id = accepted["job_id"]
    run_all_jobs(broker)

    dub = client.get(f"/api/dub/{dub_id}").json()
    assert dub["status"] == "succeeded", dub
    assert dub["source_language"] == "en" and dub["target_language"] == "es"
    # The duration is the source's, as ffprobe reads its container, not the length of its sound.
    assert seconds(clip) - seconds(clip, "audio") > 1.0
    assert dub["duration"] == pytest.approx(seconds(clip), abs=0.01)
    assert [s["name"] for s in dub["stages"]] == STAGES  # no clone: a voice was chosen
    # /ws heard every stage in order, then job.finished
    named = [e["stage"] for e in sent if e["kind"] == "dub" and e["type"] == "job.progress" and "stage" in e]
    assert list(dict.fromkeys(named)) == STAGES
    assert [e["type"] for e in sent if e["kind"] == "dub"][-1] == "job.finished"
    assert dub["speakers"] == [{"label": "A", "voice_id": str(spanish_voice().pk), "cloned": False, "similarity": None}]
    segments = dub["segments"]
    assert len(segments) >= 2
    check_placed(segments, dub["notes"], dub["duration"])
    spoken = " ".join(s["text"] for s in segments).lower()
    assert "buenos" in spoken or "amigos" in spoken or "tiempo" in spoken, spoken
    assert Take.objects.filter(pk__in=[s["take_id"] for s in segments]).count() == len(segments)

    layout = client.get(f"/api/timeline/{dub['timeline_id']}?peaks=0").json()
    kinds = [t["kind"] for t in layout["tracks"]]
    assert kinds == ["video", "music", "voice"]
    original = layout["tracks"][1]
    assert original["gain_db"] == -18.0 and original["name"] == "Original audio"
    voice_blocks = layout["tracks"][2]["blocks"]
    assert [b["start"] for b in voice_blocks] == [s["speech_start"] for s in segments]

    assert dub["render"]["format"] == "mp4"
    video = client.get(dub["render"]["url"])
    assert video.status_code == 200
    rendered = Path(clip.parent) / "dubbed.mp4"
    rendered.write_bytes(b"".join(video.streaming_content))
    assert streams(rendered) == {"video", "audio"}
    # The render's duration is the rendered file's: the whole picture, or longer where speech runs past its end.
    assert dub["render"]["duration"] == pytest.approx(seconds(rendered), abs=0.1)
    assert dub["render"]["duration"] >= dub["duration"] - 0.05

    srt = client.get(dub["subtitles"]["srt"]).content.decode()
    vtt = client.get(dub["subtitles"]["vtt"]).content.decode()
    assert "-->" in srt and vtt.startswith("WEBVTT") and segments[0]["text"] in srt and segments[-1]["text"] in vtt

    listed = client.get("/api/dubs").json()
    assert listed["count"] == 1 and listed["results"][0]["job_id"] == dub_id
    assert listed["results"][0]["duration"] == dub["duration"]
    assert "segments" not in listed["results"][0]

    # Another owner sees none of it.
    stranger = APIClient()
    stranger.force_login(outsider)
    assert stranger.get(f"/api/dub/{dub_id}").status_code == 404
    assert stranger.get(f"/api/timeline/{dub_id}").status_code == 404
    assert stranger.get("/api/dubs").json()["count"] == 0

    # A corrected line, too long for its slot: a new take, fitted into its slot as far as it goes, on the
    # timeline, the next line after it, and notes that say so; then render again.
    line = "Hola a todos mis amigos de aquí, de allá y de todas partes del mundo, muy buenos días a todos."
    regenerated = client.post(
        "/api/generate/regenerate-chunk", {"task_id": dub_id, "index": 0, "text": line}, format="json"
    )
    assert regenerated.status_code == 202, regenerated.content
    run_all_jobs(broker)
    assert Job.objects.get(pk=regenerated.json()["task_id"]).status == "succeeded"
    edited = client.get(f"/api/dub/{dub_id}").json()
    first = edited["segments"][0]
    assert first["text"] == line and first["take_id"] != segments[0]["take_id"]
    check_placed(edited["segments"], edited["notes"], edited["duration"])
    codes = {(note["code"], note.get("segment")) for note in edited["notes"]}
    assert ("pushed_next", 0) in codes and ("starts_late", 1) in codes, edited["notes"]
    block = Block.objects.get(track__timeline__generation_id=dub_id, take_id=first["take_id"])
    assert block.start == pytest.approx(first["speech_start"])
    render = client.post("/api/generate/merge-timeline", {"task_id": dub_id, "format": "mp4"}, format="json")
    assert render.status_code == 202, render.content
    run_all_jobs(broker)
    job = Job.objects.get(pk=render.json()["task_id"])
    assert job.status == "succeeded", job.error
    again = client.get(f"/api/dub/{dub_id}").json()
    assert again["render"]["id"] == str(job.pk)
    assert client.get(again["render"]["url"]).status_code == 200


def test_a_dub_without_a_voice_clones_the_speaker(client, broker, short_clip, monkeypatch, settings):
    """The speaker is cloned by the real Kokoro fit in the worker: it hears every packaged voice speak one sentence
    and starts from the closest, the clone is kept as a library voice and the judge scores its preview. Its search
    is capped as the live tests cap it (CLONYVOICE_CLONE_MAX_SECONDS); the search is tested in tests/cloning and
    measured by bench/clone.py."""
    from synthesis.engines.kokoro import fitting

    small = fitting.Quality(dims=2, popsize=2, generations=1, sentences=1, sigma=0.5, budget_s=60.0)
    monkeypatch.setattr(fitting, "QUALITIES", {"fast": small, "best": small})
    settings.CLONYVOICE_CLONE_MAX_SECONDS = 1
    response = client.post(
        "/api/dub",
        {"file": upload(short_clip), "target_language": "es", "source_language": "en", "background_db": ""},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    run_all_jobs(broker)
    dub = client.get(f"/api/dub/{response.json()['job_id']}").json()
    assert dub["status"] == "succeeded", dub
    assert "clone" in [s["name"] for s in dub["stages"]]
    (speaker,) = dub["speakers"]
    assert speaker["cloned"] and speaker["similarity"] is not None
    voice = client.get(f"/api/voices/{speaker['voice_id']}").json()
    assert voice["kind"] == "cloned" and "es" in {tag.split("-")[0] for tag in voice["languages"]}
    assert voice["name"].endswith("speaker A")
    layout = client.get(f"/api/timeline/{dub['timeline_id']}?peaks=0").json()
    assert [t["kind"] for t in layout["tracks"]] == ["video", "voice"]  # background_db null: no original audio
    check_placed(dub["segments"], dub["notes"], dub["duration"])
    assert client.get(dub["render"]["url"]).status_code == 200
    assert {note["code"] for note in dub["notes"]} <= NOTE_CODES


def test_a_recording_without_a_picture_is_dubbed_into_audio_with_a_note(client, broker, tmp_path):
    wav = tmp_path / "talk.wav"
    write_wav(wav, speech(LINES[:2]))
    response = client.post(
        "/api/dub",
        {
            "file": SimpleUploadedFile(wav.name, wav.read_bytes(), content_type="audio/wav"),
            "target_language": "es",
            "voice_id": str(spanish_voice().pk),
        },
        format="multipart",
    )
    assert response.status_code == 202, response.content
    run_all_jobs(broker)
    dub = client.get(f"/api/dub/{response.json()['job_id']}").json()
    assert dub["status"] == "succeeded", dub
    assert dub["has_video"] is False and dub["duration"] == pytest.approx(seconds(wav), abs=0.01)
    (note,) = [note for note in dub["notes"] if note["code"] == "no_picture"]
    assert note["format"] == "wav" and note["text"] == "the source has no picture: the dub is rendered as audio (wav)"
    check_placed(dub["segments"], dub["notes"], dub["duration"])
    layout = client.get(f"/api/timeline/{dub['timeline_id']}?peaks=0").json()
    assert [t["kind"] for t in layout["tracks"]] == ["music", "voice"]
    assert dub["render"]["format"] == "wav"
    rendered = tmp_path / "dubbed.wav"
    rendered.write_bytes(b"".join(client.get(dub["render"]["url"]).streaming_content))
    assert streams(rendered) == {"audio"}
    assert dub["render"]["duration"] == pytest.approx(seconds(rendered), abs=0.05)
