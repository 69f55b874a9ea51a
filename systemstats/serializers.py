from __future__ import annotations

from rest_framework import serializers

from clonyvoice import scopes
from clonyvoice.models import ApiKey


class ApiKeyOut(serializers.ModelSerializer):
    prefix = serializers.CharField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    revoked = serializers.BooleanField(source="is_revoked", read_only=True)

    class Meta:
        model = ApiKey
        fields = [
            "key_id",
            "name",
            "prefix",
            "scopes",
            "limits",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
            "revoked",
            "is_active",
        ]
        read_only_fields = fields


class ApiKeyCreatedOut(ApiKeyOut):
    key = serializers.CharField(read_only=True, help_text="The whole key. Shown once; store it now.")

    class Meta(ApiKeyOut.Meta):
        fields = ["key", *ApiKeyOut.Meta.fields]
        read_only_fields = fields


class ApiKeyCreateIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=scopes.ALL_SCOPES), required=False, max_length=len(scopes.ALL_SCOPES)
    )
    limits = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=100_000), required=False)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
