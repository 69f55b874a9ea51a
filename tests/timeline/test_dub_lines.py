"""A dub's lines through the API and a real worker: a sentence Whisper cut in two with no pause between the pieces is
dubbed as one line (one slot, one translation), while pieces with a pause between them in the sound stay apart even
when Whisper's times say there is none."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from cloning.transcription.transcript import Segment, Transcript
from clonyvoice.media import decode
from tests.timeline.dub_clips import spanish_voice, talking_clip, upload
from tests.workers import run_all_jobs
from timeline.dubbing import worker

pytestmark = pytest.mark.django_db(transaction=True)
LINES = [
    "Good morning my friends and welcome to the big market in the old town",
    "The weather is very nice today.",
    "We are going to buy some green apples.",
]


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return talking_clip(tmp_path_factory.mktemp("dub-lines"), LINES)


def sounds(clip: Path) -> list[tuple[float, float]]:
    """Where the clip's lines sound: from its first to its last sample over -40 dBFS, split where nothing is for
    0.5 s (the clip's pauses are 0.7 s)."""
    heard = decode(clip, sample_rate=16_000)
    loud = np.flatnonzero(np.abs(heard.samples) > 0.01) / heard.sample_rate
    breaks = np.flatnonzero(np.diff(loud) > 0.5)
    starts, ends = [loud[0], *loud[breaks + 1]], [*loud[breaks], loud[-1]]
    return list(zip(starts, ends, strict=True))


def cut_like_whisper(transcript: Transcript) -> Transcript:
    """Whisper's own segments, the first cut in two between its words (no pause there: one sentence spoken on),
    and the second's final mark dropped and its last word stretched to the third's start (Whisper's times say
    no pause, the sound has 0.7 s)."""
    first, second, *rest = transcript.segments
    middle = len(first.words) // 2
    head, tail = first.words[:middle], first.words[middle:]
    pieces = [
        Segment(id=0, start=first.start, end=head[-1].end, text="".join(w.word for w in head), words=head),
        Segment(id=1, start=tail[0].start, end=first.end, text="".join(w.word for w in tail), words=tail),
    ]
    after = rest[0].words[0].start
    words = [*second.words[:-1], replace(second.words[-1], end=after)]
    open_ended = replace(second, id=2, end=after, text=second.text.rstrip(" .!?"), words=words)
    return replace(transcript, segments=[*pieces, open_ended, *rest])


def test_a_sentence_whisper_cut_without_a_pause_is_one_line(client, broker, clip, monkeypatch):
    real = worker.transcribe
    heard: list[Transcript] = []

    def transcribe(samples, **options):
        cut = cut_like_whisper(real(samples, **options))
        heard.append(cut)
        return cut

    monkeypatch.setattr(worker, "transcribe", transcribe)
    response = client.post(
        "/api/dub",
        {
            "file": upload(clip),
            "target_language": "es",
            "source_language": "en",
            "voice_id": str(spanish_voice().pk),
        },
        format="multipart",
    )
    assert response.status_code == 202, response.content
    run_all_jobs(broker)
    dub = client.get(f"/api/dub/{response.json()['job_id']}").json()
    assert dub["status"] == "succeeded", dub
    (cut,) = heard
    assert len(cut.segments) == 4 and not cut.segments[0].text.rstrip().endswith(".")

    first, second, third = dub["segments"]
    # The two pieces are one line: one slot from the first piece's sound to the last one's, one translation.
    assert first["source_text"] == f"{cut.segments[0].text.strip()} {cut.segments[1].text.strip()}"
    assert "market" in first["source_text"] and "morning" in first["source_text"]
    where = sounds(clip)
    assert len(where) == 3
    assert first["start"] == pytest.approx(where[0][0], abs=0.05)
    assert first["end"] == pytest.approx(where[0][1], abs=0.05)
    assert "buenos" in first["text"].lower() and "ciudad vieja" in first["text"].lower(), first["text"]
    # Whisper's times put no pause before the next line, the sound has one: it stays a line of its own, at its
    # sound (not where Whisper's last word ended).
    assert second["source_text"].startswith("The weather")
    assert second["start"] == pytest.approx(where[1][0], abs=0.05)
    assert second["end"] == pytest.approx(where[1][1], abs=0.05)
    assert third["start"] == pytest.approx(where[2][0], abs=0.05)
    layout = client.get(f"/api/timeline/{dub['timeline_id']}?peaks=0").json()
    (speech,) = [t for t in layout["tracks"] if t["kind"] == "voice"]
    assert third["source_text"].startswith("We are")
    assert len(speech["blocks"]) == 3


def as_one_segment(transcript: Transcript) -> Transcript:
    """Whisper's segments heard as one (as it may hear sentences with pauses between them)."""
    words = [word for segment in transcript.segments for word in segment.words]
    text = "".join(segment.text for segment in transcript.segments)
    whole = Segment(id=0, start=transcript.segments[0].start, end=transcript.segments[-1].end, text=text, words=words)
    return replace(transcript, segments=[whole])


def test_sentences_whisper_heard_as_one_segment_are_lines_of_their_own_at_their_pauses(
    client, broker, clip, monkeypatch
):
    real = worker.transcribe
    monkeypatch.setattr(worker, "transcribe", lambda samples, **options: as_one_segment(real(samples, **options)))
    response = client.post(
        "/api/dub",
        {"file": upload(clip), "target_language": "es", "source_language": "en", "voice_id": str(spanish_voice().pk)},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    run_all_jobs(broker)
    dub = client.get(f"/api/dub/{response.json()['job_id']}").json()
    assert dub["status"] == "succeeded", dub
    # The first sentence has no final mark: it is not cut from the second (one breath as far as the text says);
    # the second ends a sentence at a 0.7 s pause: the third is a line of its own, at its sound.
    where = sounds(clip)
    texts = [segment["source_text"] for segment in dub["segments"]]
    assert texts[-1].startswith("We are") and texts[-2].rstrip().endswith("today."), texts
    assert dub["segments"][-1]["start"] == pytest.approx(where[2][0], abs=0.05)
    assert dub["segments"][-2]["end"] == pytest.approx(where[1][1], abs=0.05)
