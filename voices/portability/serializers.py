from __future__ import annotations

from typing import Any

from rest_framework import serializers

from voices.portability.importer import STRATEGIES


class ExportIn(serializers.Serializer):
    voice_ids = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=1000)
    category = serializers.IntegerField(required=False, allow_null=True)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if bool(data.get("voice_ids")) == (data.get("category") is not None):
            raise serializers.ValidationError("Give either voice_ids (a non-empty list) or a category id.")
        return data


class ImportFileIn(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)


class ImportIn(ImportFileIn):
    conflict = serializers.ChoiceField(choices=STRATEGIES, required=False, default="rename")


class _VoiceRef(serializers.Serializer):
    id = serializers.CharField()
    source_id = serializers.CharField(required=False)
    name = serializers.CharField()


class ImportPreviewVoiceOut(serializers.Serializer):
    id = serializers.CharField(help_text="The voice's id in the exporting install.")
    name = serializers.CharField()
    kind = serializers.CharField()
    engine = serializers.CharField()
    engine_voice_id = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    category = serializers.CharField(allow_null=True)
    samples = serializers.IntegerField()
    has_preview = serializers.BooleanField()
    files = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["create", "link", "unavailable"])
    conflict = serializers.BooleanField()
    conflicting_voice_id = serializers.CharField(allow_null=True)
    engine_known = serializers.BooleanField()
    engine_installed = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())


class ImportPreviewOut(serializers.Serializer):
    format_version = serializers.IntegerField()
    app_version = serializers.CharField()
    exported_at = serializers.CharField()
    voices = ImportPreviewVoiceOut(many=True)
    categories = serializers.ListField(child=serializers.DictField())
    conflicts = serializers.ListField(child=serializers.CharField())
    unknown_engines = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    file_count = serializers.IntegerField()
    total_bytes = serializers.IntegerField()


class ImportOut(serializers.Serializer):
    created = _VoiceRef(many=True)
    skipped = serializers.ListField(child=serializers.DictField())
    replaced = _VoiceRef(many=True)
    linked = _VoiceRef(many=True)
    unavailable = serializers.ListField(child=serializers.DictField())
    categories_created = serializers.ListField(child=serializers.CharField())
