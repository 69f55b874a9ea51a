"""Input and output shapes of the cloning app's endpoints."""

from __future__ import annotations

from rest_framework import serializers

# --- audio tools: transcribe, duration ----------------------------------------------------------------------------


class AudioSourceIn(serializers.Serializer):
    """Exactly one of an uploaded file or the id of a stored sample, media file or generation."""

    file = serializers.FileField(required=False, allow_empty_file=True)
    sample_id = serializers.CharField(max_length=64, required=False)
    media_id = serializers.CharField(max_length=64, required=False)

    sources = ("file", "sample_id", "media_id")

    def validate(self, data: dict) -> dict:
        given = [name for name in self.sources if data.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(f"Give exactly one of {', '.join(self.sources)}.")
        return data


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


class AudioDurationOut(serializers.Serializer):
    duration = serializers.FloatField(help_text="Seconds.")
    sample_rate = serializers.IntegerField()
    channels = serializers.IntegerField()
    codec = serializers.CharField()
    container = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    has_video = serializers.BooleanField()


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
