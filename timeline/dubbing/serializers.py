"""What POST /api/dub takes and what GET /api/dub/{job_id} and /api/dubs answer."""

from __future__ import annotations

from rest_framework import serializers

from timeline.dubbing.notes import CODES
from timeline.dubbing.services import QUALITIES


class DubIn(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="A video or audio file (multipart).")
    media_id = serializers.CharField(required=False, max_length=64, help_text="One of your media files.")
    url = serializers.CharField(required=False, max_length=2000, help_text="A video page, downloaded behind guards.")
    target_language = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        default="",
        help_text="Required: the language to dub into, e.g. es.",
    )
    source_language = serializers.CharField(
        required=False, max_length=32, default="auto", help_text="The source's language; auto: Whisper hears it."
    )
    voice_id = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=64, help_text="Default: clone the speakers."
    )
    background_db = serializers.FloatField(
        required=False,
        allow_null=True,
        default=-18.0,
        help_text="The original audio's gain under the speech; null (empty in a form) drops it.",
    )
    subtitles = serializers.BooleanField(required=False, default=True)
    quality = serializers.ChoiceField(choices=QUALITIES, required=False, default="fast", help_text="Of the clone fit.")
    title = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")


class DubAcceptedOut(serializers.Serializer):
    task_id = serializers.UUIDField()
    job_id = serializers.UUIDField()
    status = serializers.CharField()
    kind = serializers.CharField()


class DubSpeakerOut(serializers.Serializer):
    label = serializers.CharField()
    voice_id = serializers.CharField(allow_null=True)
    cloned = serializers.BooleanField()
    similarity = serializers.FloatField(allow_null=True, help_text="The judge's, for a clone.")


class DubNoteOut(serializers.Serializer):
    code = serializers.CharField(
        help_text="What the note says (the UI words it in its language): "
        + "; ".join(f"`{code}`: {meaning}" for code, meaning in CODES.items())
        + "."
    )
    text = serializers.CharField(help_text="The note as an English sentence, for API users.")
    segment = serializers.IntegerField(
        required=False, help_text="The line's `index` in `segments` (0-based; `text` counts lines from 1)."
    )
    seconds = serializers.FloatField(
        required=False,
        help_text="How far the line runs past its slot's end (its `moved_by`); for `starts_late`, how late it "
        "starts; for `second_speaker_short`, how long the second speaker was heard.",
    )
    beyond = serializers.FloatField(required=False, help_text="`past_end`: how far past the source's end (s).")
    needed = serializers.FloatField(required=False, help_text="`second_speaker_short`: the seconds a clone needs.")
    speaker = serializers.CharField(required=False, help_text="`clone_cannot_speak`: the speaker's label.")
    language = serializers.CharField(required=False, help_text="`clone_cannot_speak`: the language it cannot speak.")
    voice_id = serializers.CharField(required=False, help_text="`clone_cannot_speak`: the library voice that speaks.")
    voice = serializers.CharField(required=False, help_text="`clone_cannot_speak`: that voice's name.")
    format = serializers.CharField(required=False, help_text="`no_picture`: the rendered file's format (wav).")


class DubSegmentOut(serializers.Serializer):
    index = serializers.IntegerField()
    speaker = serializers.CharField()
    start = serializers.FloatField(help_text="The source segment's start (s).")
    end = serializers.FloatField()
    source_text = serializers.CharField()
    text = serializers.CharField(help_text="The translated line.")
    speech_start = serializers.FloatField(help_text="Where the dubbed speech starts on the timeline (s).")
    speech_end = serializers.FloatField()
    speed = serializers.FloatField(help_text="The engine's speaking speed.")
    stretch = serializers.FloatField(help_text="The time-stretch applied after (1: none).")
    moved_by = serializers.FloatField(help_text="How far the speech runs past its slot's end (s).")
    take_id = serializers.IntegerField()


class DubStageOut(serializers.Serializer):
    name = serializers.CharField()
    seconds = serializers.FloatField()


class DubRenderOut(serializers.Serializer):
    id = serializers.CharField()
    format = serializers.CharField()
    duration = serializers.FloatField(
        help_text="The rendered file's length (s): the source's, or longer where the last line runs past its end."
    )
    url = serializers.CharField()


class DubSubtitlesOut(serializers.Serializer):
    srt = serializers.CharField()
    vtt = serializers.CharField()


class DubOut(serializers.Serializer):
    job_id = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    stage = serializers.CharField(help_text="The stage running now (empty when none is).")
    error = serializers.CharField()
    error_code = serializers.CharField()
    source_language = serializers.CharField()
    target_language = serializers.CharField()
    duration = serializers.FloatField(
        allow_null=True,
        help_text="The source's length (s) as ffprobe reads its container (a picture may outlast the sound); "
        "null until known.",
    )
    has_video = serializers.BooleanField()
    options = serializers.DictField()
    speakers = DubSpeakerOut(many=True)
    notes = DubNoteOut(many=True, help_text="What a user should know: speakers, lines that did not fit, no picture.")
    segments = DubSegmentOut(many=True, required=False, help_text="Left out of the list.")
    stages = DubStageOut(many=True)
    generation_id = serializers.CharField(allow_null=True)
    timeline_id = serializers.CharField(allow_null=True, help_text="The task_id that /api/timeline/{task_id} takes.")
    render = DubRenderOut(allow_null=True, help_text="The newest render of the dub's timeline.")
    subtitles = DubSubtitlesOut(allow_null=True)
    created_at = serializers.DateTimeField()
