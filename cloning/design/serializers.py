"""Input and output shapes of the design endpoints."""

from __future__ import annotations

from rest_framework import serializers


class DesignIn(serializers.Serializer):
    description = serializers.CharField(max_length=2000, allow_blank=True, trim_whitespace=True)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    language = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text="The voice's first language; unset: an accent the description names, else the description's own "
        "language (English when unclear).",
    )
    gender = serializers.ChoiceField(choices=["", "male", "female"], required=False, allow_null=True, default=None)
    age = serializers.CharField(max_length=32, required=False, allow_blank=True, allow_null=True, default=None)
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 4, required=False, allow_null=True, default=None)
    candidates = serializers.IntegerField(
        min_value=1, max_value=3, required=False, default=3, help_text="How many voices to offer (seed, seed + 1, …)."
    )


class DesignAcceptedOut(serializers.Serializer):
    task_id = serializers.UUIDField()
    status = serializers.CharField()
    seed = serializers.IntegerField(help_text="The first candidate's seed; the others take the next ones.")
    candidates = serializers.ListField(child=serializers.UUIDField(), help_text="The candidates' voice ids, hidden.")
    recognized = serializers.ListField(child=serializers.CharField())
    ignored = serializers.ListField(child=serializers.CharField(), help_text="Words the description parser skipped.")


class DesignKeepIn(serializers.Serializer):
    task_id = serializers.UUIDField()
    index = serializers.IntegerField(min_value=0, max_value=2, required=False, allow_null=True, default=None)
    voice_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict) -> dict:
        if (attrs["index"] is None) == (attrs["voice_id"] is None):
            raise serializers.ValidationError("Give either index or voice_id.")
        return attrs


class DesignDiscardOut(serializers.Serializer):
    task_id = serializers.UUIDField()
    status = serializers.CharField(help_text="The job's status: cancelled when it was still running.")
    discarded = serializers.IntegerField(help_text="How many candidates were removed now.")
