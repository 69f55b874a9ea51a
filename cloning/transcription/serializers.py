"""Input and output shapes of the transcription endpoints."""

from __future__ import annotations

from rest_framework import serializers

from cloning.sources.serializers import AudioSourceIn


class TranscribeIn(AudioSourceIn):
    generation_id = serializers.CharField(max_length=64, required=False)
    language = serializers.CharField(
        max_length=16, required=False, allow_blank=True, default="auto", help_text="A language code or auto."
    )
    model = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="", help_text="An installed Whisper model."
    )
    word_timestamps = serializers.BooleanField(default=True)

    sources = ("file", "sample_id", "media_id", "generation_id")


class WordOut(serializers.Serializer):
    start = serializers.FloatField()
    end = serializers.FloatField()
    word = serializers.CharField()
    probability = serializers.FloatField()


class SegmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    start = serializers.FloatField()
    end = serializers.FloatField()
    text = serializers.CharField()
    words = WordOut(many=True)


class TranscriptOut(serializers.Serializer):
    """The `result` of a finished transcription job (GET /api/jobs/{task_id})."""

    text = serializers.CharField()
    language = serializers.CharField()
    language_probability = serializers.FloatField()
    duration = serializers.FloatField()
    model = serializers.CharField()
    segments = SegmentOut(many=True)
    srt = serializers.CharField()
    vtt = serializers.CharField()
    srt_url = serializers.CharField()
    vtt_url = serializers.CharField()
