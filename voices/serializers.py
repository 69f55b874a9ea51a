from __future__ import annotations

from rest_framework import serializers

from voices.models import Category, Voice, VoiceSample

MAX_MIX_COMPONENTS = 8


class CategoryOut(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "created_at"]


class CategoryIn(serializers.Serializer):
    name = serializers.CharField(max_length=60)


class CategoryDeleteIn(serializers.Serializer):
    id = serializers.IntegerField()


class VoiceOut(serializers.ModelSerializer):
    category = CategoryOut(read_only=True, allow_null=True)
    is_favorite = serializers.BooleanField(read_only=True, default=False)
    preview_url = serializers.SerializerMethodField()

    class Meta:
        model = Voice
        fields = [
            "id",
            "name",
            "description",
            "languages",
            "gender",
            "age",
            "accent",
            "tags",
            "category",
            "kind",
            "engine",
            "engine_voice_id",
            "technology",
            "default_speed",
            "default_pitch",
            "default_seed",
            "preview_url",
            "similarity",
            "is_favorite",
            "is_available",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_preview_url(self, voice: Voice) -> str | None:
        return f"/api/voices/{voice.pk}/preview" if voice.preview else None


class VoiceSampleOut(serializers.ModelSerializer):
    class Meta:
        model = VoiceSample
        fields = ["id", "position", "name", "start", "end", "duration", "transcript", "transcript_language"]
        read_only_fields = fields


class VoiceDetailOut(VoiceOut):
    """One voice with the samples it was made from and their transcripts."""

    samples = VoiceSampleOut(many=True, read_only=True)

    class Meta(VoiceOut.Meta):
        fields = [*VoiceOut.Meta.fields, "samples"]
        read_only_fields = fields


class VoiceUpdateIn(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(allow_blank=True, required=False, max_length=5000)
    languages = serializers.ListField(child=serializers.CharField(max_length=16), required=False, max_length=50)
    gender = serializers.ChoiceField(choices=["", "male", "female", "neutral"], required=False)
    age = serializers.CharField(max_length=32, allow_blank=True, required=False)
    accent = serializers.CharField(max_length=64, allow_blank=True, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=50)
    category = serializers.IntegerField(allow_null=True, required=False)
    default_speed = serializers.FloatField(min_value=0.5, max_value=2.0, required=False)
    default_pitch = serializers.FloatField(min_value=-12, max_value=12, required=False)
    default_seed = serializers.IntegerField(allow_null=True, required=False, min_value=0, max_value=2**31 - 1)

    def validate_languages(self, value: list[str]) -> list[str]:
        return [tag.strip().lower() for tag in value if tag.strip()]


class MixComponentIn(serializers.Serializer):
    voice_id = serializers.CharField(max_length=64)
    weight = serializers.FloatField(min_value=0, max_value=1000)


class VoiceMixIn(serializers.Serializer):
    """A voice blended from weighted voices of an engine that mixes: `[{"voice_id", "weight"}, ...]`."""

    name = serializers.CharField(max_length=120, allow_blank=True, required=False, default="")
    description = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)
    mix = MixComponentIn(many=True, min_length=1, max_length=MAX_MIX_COMPONENTS)


class VoiceListQuery(serializers.Serializer):
    search = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Name, description, tags, gender, engine, or a language by code or name (English, Russian, native).",
    )
    q = serializers.CharField(required=False, max_length=100, help_text="The same as `search`.")
    category = serializers.CharField(required=False, max_length=60)
    language = serializers.CharField(required=False, max_length=16)
    engine = serializers.CharField(required=False, max_length=32)
    kind = serializers.ChoiceField(choices=Voice.Kind.choices, required=False)
    gender = serializers.CharField(required=False, max_length=16)
    favorite = serializers.BooleanField(required=False, default=None, allow_null=True)
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=500, default=100)


class FavoriteOut(serializers.Serializer):
    voice_id = serializers.UUIDField()
    is_favorite = serializers.BooleanField()
