"""Input shapes of the clone, design and preview endpoints."""

from __future__ import annotations

from rest_framework import serializers


class CloneIn(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    language = serializers.CharField(max_length=16, required=False, allow_blank=True, default="en")
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    category = serializers.CharField(max_length=60, required=False, allow_blank=True, allow_null=True, default=None)
    transcript = serializers.CharField(
        max_length=20_000, required=False, allow_blank=True, default="", help_text="Leave empty to transcribe."
    )
    quality = serializers.ChoiceField(
        choices=["fast", "best"],
        required=False,
        default="fast",
        help_text="How long the voice is fitted: fast (about a minute) or best (several minutes).",
    )
    seed = serializers.IntegerField(
        required=False,
        default=0,
        min_value=0,
        max_value=2**31 - 1,
        help_text="The same request and seed give the same voice.",
    )


class CloneOneIn(CloneIn):
    file = serializers.FileField(help_text="One sample: 3 s to 10 min of speech.")


class CloneMultiIn(CloneIn):
    files = serializers.ListField(child=serializers.FileField(), help_text="Up to 20 samples, 30 min in all.")


class CloneClipsIn(CloneMultiIn):
    regions = serializers.CharField(
        help_text='JSON: [{"file": 0, "start": 1.5, "end": 7.25}, ...]; only these parts are used.'
    )


class PreviewIn(serializers.Serializer):
    text = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MakeAcceptedOut(serializers.Serializer):
    task_id = serializers.UUIDField()
    status = serializers.CharField()
    voice_id = serializers.UUIDField()
