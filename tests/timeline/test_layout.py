"""Opening a generation as a timeline, saving layouts, imports, and every bad input of the issue."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from clonyvoice.models import Job, MediaFile
from tests.factories import issue_key
from tests.timeline.factories import huge_png, make_generation, mono_wav_16k, mp4_with_audio, png, stereo_mp3
from timeline.models import Block, Timeline, Track

pytestmark = pytest.mark.django_db


@pytest.fixture
def generation(owner):
    return make_generation(owner)


@pytest.fixture
def other(outsider):
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=issue_key(outsider).token)
    return client


def _layout(api, key) -> dict:
    response = api.get(f"/api/timeline/{key}")
    assert response.status_code == 200, response.content
    return response.json()


def _save(api, key, layout: dict, **query):
    payload = {"version": layout["version"], "tracks": layout["tracks"]}
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return api.post(f"/api/timeline/{key}/layout{suffix}", payload, format="json")


def _upload(api, key, endpoint: str, path: Path, **fields):
    with open(path, "rb") as handle:
        return api.post(f"/api/timeline/{key}/{endpoint}", {"file": handle, **fields}, format="multipart")


def _files() -> set[Path]:
    folders = [Path(settings.DATA_DIR) / "tmp", Path(settings.MEDIA_ROOT) / "files"]
    return {p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()}


def test_default_layout_is_one_voice_track_of_chunks_end_to_end(api, generation):
    layout = _layout(api, generation.pk)
    assert layout["task_id"] == str(generation.pk)
    assert layout["version"] == 1
    [track] = layout["tracks"]
    assert (track["kind"], track["name"], track["gain_db"], track["mute"], track["solo"]) == (
        "voice",
        "Voice",
        0.0,
        False,
        False,
    )
    blocks = track["blocks"]
    takes = [c.selected_take for c in generation.chunks.order_by("index")]
    assert [b["source"] for b in blocks] == [{"kind": "take", "id": t.pk} for t in takes]
    # chunked generations get the merge's default 250 ms between chunks
    assert [b["start"] for b in blocks] == pytest.approx([0.0, 1.25, 2.0])
    assert [(b["in_point"], b["out_point"]) for b in blocks] == [(0.0, t.duration) for t in takes]
    assert layout["duration"] == pytest.approx(2.75)
    assert [len(b["peaks"]) for b in blocks] == [50, 25, 38]
    assert max(blocks[0]["peaks"]) == pytest.approx(0.5, abs=0.01)
    assert blocks[0]["audio_url"] == f"/api/timeline/{generation.pk}/source/take/{takes[0].pk}"
    assert api.get(blocks[0]["audio_url"])["Content-Type"] == "audio/wav"
    assert _layout(api, generation.pk)["id"] == layout["id"]
    assert Timeline.objects.count() == 1
    assert _layout(api, layout["id"])["id"] == layout["id"]  # also addressed by its own id
    coarse = api.get(f"/api/timeline/{generation.pk}?peaks=10").json()
    assert len(coarse["tracks"][0]["blocks"][0]["peaks"]) == 10
    assert api.get(f"/api/timeline/{generation.pk}?peaks=0").json()["tracks"][0]["blocks"][0]["peaks"] == []


def test_an_unfinished_generation_cannot_open(api, owner):
    running = make_generation(owner, ready=False)
    response = api.get(f"/api/timeline/{running.pk}")
    assert response.status_code == 409
    assert response.json()["error"] == "generation_not_ready"
    assert not Timeline.objects.exists()


def test_outsider_gets_404_everywhere(api, other, generation, tmp_path):
    layout = _layout(api, generation.pk)
    take = layout["tracks"][0]["blocks"][0]["source"]["id"]
    for key in (generation.pk, layout["id"]):
        assert other.get(f"/api/timeline/{key}").status_code == 404
        assert _save(other, key, layout).status_code == 404
        assert _upload(other, key, "import-track", mono_wav_16k(tmp_path)).status_code == 404
        assert other.get(f"/api/timeline/{key}/source/take/{take}").status_code == 404
        merge = other.post("/api/generate/merge-timeline", {"task_id": str(key)}, format="json")
        assert merge.status_code == 404
    assert other.get("/api/timeline/not-a-uuid").status_code == 404
    assert MediaFile.objects.count() == 0


def test_save_moves_trims_and_sets_gains_then_a_stale_version_is_409(api, generation):
    layout = _layout(api, generation.pk)
    voice = layout["tracks"][0]
    first, second, third = voice["blocks"]
    first.update(start=0.5, in_point=0.1, out_point=0.8, gain_db=-6.0, fade_in=0.1, fade_out=0.2)
    second.update(start=0.6, mute=True)  # overlaps the first: allowed, mixed
    voice.update(gain_db=-3.0, solo=True, name="Narrator")
    del third["id"]  # a block without an id is new
    saved = _save(api, generation.pk, layout)
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert body["version"] == 2
    [track] = body["tracks"]
    assert (track["id"], track["name"], track["gain_db"], track["solo"]) == (voice["id"], "Narrator", -3.0, True)
    by_start = {b["start"]: b for b in track["blocks"]}
    assert by_start[0.5]["id"] == first["id"]
    assert (by_start[0.5]["in_point"], by_start[0.5]["out_point"], by_start[0.5]["gain_db"]) == (0.1, 0.8, -6.0)
    assert len(by_start[0.5]["peaks"]) == 35
    assert by_start[0.6]["id"] == second["id"] and by_start[0.6]["mute"] is True
    assert by_start[2.0]["id"] != third.get("id")

    stale = copy.deepcopy(layout)
    stale["tracks"][0]["blocks"] = []
    conflict = _save(api, generation.pk, stale)  # still says version 1
    assert conflict.status_code == 409
    assert conflict.json()["error"] == "version_conflict"
    assert conflict.json()["layout"]["version"] == 2
    assert len(conflict.json()["layout"]["tracks"][0]["blocks"]) == 3
    assert Block.objects.count() == 3


def test_zero_blocks_save_but_do_not_render(api, generation):
    layout = _layout(api, generation.pk)
    layout["tracks"][0]["blocks"] = []
    assert _save(api, generation.pk, layout).status_code == 200
    render = api.post("/api/generate/merge-timeline", {"task_id": str(generation.pk)}, format="json")
    assert render.status_code == 400
    assert render.json()["error"] == "nothing_to_render"
    layout = _layout(api, generation.pk)
    layout["tracks"] = []
    assert _save(api, generation.pk, layout).json()["tracks"] == []


def _bad_layouts(owner, outsider):
    """(name, mutate(layout, helpers), expected error code)."""

    def block(layout):
        return layout["tracks"][0]["blocks"][0]

    def foreign_take(layout, ctx):
        block(layout)["source"] = {"kind": "take", "id": ctx["foreign_take"]}

    def foreign_media(layout, ctx):
        block(layout)["source"] = {"kind": "media", "id": ctx["foreign_media"]}

    def path_as_media(layout, ctx):
        block(layout)["source"] = {"kind": "media", "id": "/etc/passwd"}

    def concat_as_take(layout, ctx):
        block(layout)["source"] = {"kind": "take", "id": "concat:/etc/passwd|/etc/hosts"}

    def file_url(layout, ctx):
        block(layout)["source"] = {"kind": "media", "id": "file:///etc/passwd"}

    def source_is_a_string(layout, ctx):
        block(layout)["source"] = "/etc/passwd"

    def url_kind(layout, ctx):
        block(layout)["source"] = {"kind": "url", "id": "http://example.com/a.wav"}

    def negative_start(layout, ctx):
        block(layout)["start"] = -0.5

    def out_past_source(layout, ctx):
        block(layout)["out_point"] = block(layout)["source_duration"] + 0.5

    def in_past_source(layout, ctx):
        block(layout).update(in_point=5.0, out_point=5.5)

    def out_before_in(layout, ctx):
        block(layout).update(in_point=0.5, out_point=0.2)

    def fades_too_long(layout, ctx):
        block(layout).update(fade_in=0.6, fade_out=0.6)

    def take_on_video_track(layout, ctx):
        layout["tracks"][0]["kind"] = "video"

    def gain_too_loud(layout, ctx):
        block(layout)["gain_db"] = 60

    def ten_thousand_blocks(layout, ctx):
        bare = {k: v for k, v in block(layout).items() if k in ("source", "in_point", "out_point")}
        layout["tracks"][0]["blocks"] = [dict(bare, start=i * 1.0) for i in range(10_000)]

    def huge_start(layout, ctx):
        block(layout)["start"] = 10**9

    return [
        ("another owner's take", foreign_take, "unknown_source"),
        ("another owner's media", foreign_media, "unknown_source"),
        ("a path as a media id", path_as_media, "unknown_source"),
        ("concat: as a take id", concat_as_take, "unknown_source"),
        ("file: URL as a media id", file_url, "unknown_source"),
        ("source is a path string", source_is_a_string, "invalid"),
        ("unknown source kind", url_kind, "invalid"),
        ("negative start", negative_start, "invalid"),
        ("out_point past the source", out_past_source, "trim_outside_source"),
        ("in_point past the source", in_past_source, "trim_outside_source"),
        ("out before in", out_before_in, "invalid_trim"),
        ("fades longer than the block", fades_too_long, "invalid_fade"),
        ("a take on the video track", take_on_video_track, "wrong_track_kind"),
        ("gain out of range", gain_too_loud, "invalid"),
        ("10,000 blocks", ten_thousand_blocks, "too_many_blocks"),
        ("start past the timeline cap", huge_start, "invalid"),
    ]


BAD = _bad_layouts(None, None)


@pytest.mark.parametrize(("name", "mutate", "code"), BAD, ids=[b[0] for b in BAD])
def test_bad_layouts_are_400_and_change_nothing(api, other, owner, outsider, generation, tmp_path, name, mutate, code):
    theirs = make_generation(outsider, title="theirs")
    with open(mono_wav_16k(tmp_path), "rb") as handle:
        foreign_media = other.post(
            f"/api/timeline/{theirs.pk}/import-track", {"file": handle}, format="multipart"
        ).json()["tracks"][1]["blocks"][0]["source"]["id"]
    ctx = {"foreign_take": theirs.chunks.first().selected_take_id, "foreign_media": foreign_media}
    layout = _layout(api, generation.pk)
    before = Block.objects.filter(track__timeline_id=layout["id"]).count()
    mutate(layout, ctx)
    response = _save(api, generation.pk, layout)
    assert response.status_code == 400, (name, response.content)
    assert response.json()["error"] == code, response.json()
    assert _layout(api, generation.pk)["version"] == 1
    assert Block.objects.filter(track__timeline_id=layout["id"]).count() == before


def test_five_thousand_blocks_save(api, generation):
    layout = _layout(api, generation.pk)
    template = layout["tracks"][0]["blocks"][1]
    fat = [dict(template, id=None, start=i * 0.5, peaks=[0.5] * 500) for i in range(5_000)]
    layout["tracks"][0]["blocks"] = fat
    too_big = _save(api, generation.pk, layout)
    assert too_big.status_code == 413
    assert too_big.json()["error"] == "too_large"
    layout["tracks"][0]["blocks"] = [{**b, "peaks": []} for b in fat]
    response = _save(api, generation.pk, layout, peaks=0)
    assert response.status_code == 200, response.content
    assert Block.objects.count() == 5_000


def test_import_tracks_of_mixed_rates_and_channels(api, generation, tmp_path):
    music = _upload(api, generation.pk, "import-track", stereo_mp3(tmp_path, 2.0), start="1.5")
    assert music.status_code == 201, music.content
    ambience = _upload(api, generation.pk, "import-track", mono_wav_16k(tmp_path, 1.5))
    assert ambience.status_code == 201, ambience.content
    layout = ambience.json()
    assert layout["version"] == 3
    assert [t["kind"] for t in layout["tracks"]] == ["voice", "music", "music"]
    assert [t["name"] for t in layout["tracks"][1:]] == ["music", "ambience"]
    music_block = layout["tracks"][1]["blocks"][0]
    assert music_block["start"] == 1.5
    assert music_block["out_point"] == pytest.approx(2.0, abs=0.06)
    assert len(music_block["peaks"]) == pytest.approx(100, abs=3)
    media = MediaFile.objects.get(pk=music_block["source"]["id"])
    assert (media.info["sample_rate"], media.info["channels"]) == (44_100, 2)
    assert api.get(music_block["audio_url"]).status_code == 200
    # an imported block can be trimmed and moved like any other
    music_block.update(in_point=0.5, start=0.0)
    assert _save(api, generation.pk, layout).status_code == 200


def test_non_media_and_huge_images_are_400_and_leave_nothing(api, generation, tmp_path):
    _layout(api, generation.pk)
    before = _files()
    text = tmp_path / "notes.mp3"
    text.write_text("just some text pretending to be audio\n" * 100)
    for endpoint in ("import-track", "import-video"):
        response = _upload(api, generation.pk, endpoint, text)
        assert response.status_code == 400, response.content
        assert response.json()["error"] == "invalid_media"
    image = _upload(api, generation.pk, "import-video", huge_png(tmp_path))
    assert image.status_code == 400
    assert image.json()["error"] == "image_too_large"
    assert "20000x20000" in image.json()["detail"]
    picture_as_track = _upload(api, generation.pk, "import-track", png(tmp_path))
    assert picture_as_track.status_code == 400
    assert api.post(f"/api/timeline/{generation.pk}/import-track", {}, format="multipart").status_code == 400
    assert MediaFile.objects.count() == 0
    assert _files() == before
    assert _layout(api, generation.pk)["version"] == 1
    assert Track.objects.count() == 1


def test_import_image_and_video_make_the_picture_track(api, generation, tmp_path):
    still = _upload(api, generation.pk, "import-video", png(tmp_path))
    assert still.status_code == 201, still.content
    layout = still.json()
    picture = next(t for t in layout["tracks"] if t["kind"] == "video")
    [image] = picture["blocks"]
    assert (image["start"], image["out_point"], image["is_image"]) == (0.0, pytest.approx(2.75), True)
    assert image["peaks"] == []
    clip = _upload(api, generation.pk, "import-video", mp4_with_audio(tmp_path, 1.0), with_audio="true")
    assert clip.status_code == 201, clip.content
    layout = clip.json()
    picture = next(t for t in layout["tracks"] if t["kind"] == "video")
    assert [b["start"] for b in picture["blocks"]] == [0.0, pytest.approx(2.75)]
    sound = [t for t in layout["tracks"] if t["kind"] == "music"]
    assert [t["name"] for t in sound] == ["clip (audio)"]
    assert sound[0]["blocks"][0]["start"] == pytest.approx(2.75)
    assert len([t for t in layout["tracks"] if t["kind"] == "video"]) == 1
    silent = _upload(api, generation.pk, "import-video", mp4_with_audio(tmp_path, 1.0), with_audio="false", start="0")
    assert len([t for t in silent.json()["tracks"] if t["kind"] == "music"]) == 1
    # a picture cannot sit on an audio track
    layout = silent.json()
    layout["tracks"][0]["blocks"].append(dict(picture["blocks"][0], id=None))
    response = _save(api, generation.pk, layout)
    assert response.status_code == 400
    assert response.json()["error"] == "wrong_track_kind"


def test_render_options_are_checked_before_anything_is_queued(api, generation):
    for options in ({"sample_rate": 30_000}, {"format": "ogg"}, {"format": "mp4"}):
        response = api.post("/api/generate/merge-timeline", {"task_id": str(generation.pk), **options}, format="json")
        assert response.status_code == 400, (options, response.content)
    assert not Job.objects.filter(kind="timeline.render").exists()


def test_a_take_file_gone_from_disk_still_opens_without_its_waveform(api, generation):
    take = generation.chunks.first().selected_take
    Path(take.audio.path).unlink()
    blocks = _layout(api, generation.pk)["tracks"][0]["blocks"]
    assert blocks[0]["peaks"] == []
    assert len(blocks[1]["peaks"]) == 25
