"""Input shape of POST /api/design/create."""

from __future__ import annotations

from rest_framework import serializers


class DesignIn(serializers.Serializer):
    description = serializers.CharField(max_length=2000, allow_blank=True, trim_whitespace=True)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    language = serializers.CharField(max_length=16, required=False, allow_blank=True, allow_null=True, default=None)
    gender = serializers.ChoiceField(choices=["", "male", "female"], required=False, allow_null=True, default=None)
    age = serializers.CharField(max_length=32, required=False, allow_blank=True, allow_null=True, default=None)
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False, allow_null=True, default=None)
