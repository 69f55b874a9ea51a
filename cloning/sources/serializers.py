"""Where a request's audio comes from (AudioSourceIn, also the base of TranscribeIn) and what it is."""

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


class AudioDurationOut(serializers.Serializer):
    duration = serializers.FloatField(help_text="Seconds.")
    sample_rate = serializers.IntegerField()
    channels = serializers.IntegerField()
    codec = serializers.CharField()
    container = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    has_video = serializers.BooleanField()
