from __future__ import annotations

import math

from rest_framework import serializers

from timeline.models import Montage, Track
from timeline.render import SAMPLE_RATES
from timeline.services import MAX_BLOCKS, MAX_TIMELINE_SECONDS, MAX_TRACKS

RENDER_FORMATS = ["wav", "mp3", "flac", "mp4"]
GAIN_RANGE = (-60.0, 24.0)


class FiniteFloat(serializers.FloatField):
    """A float that is a real number (multipart forms can spell `nan` and `inf`)."""

    def to_internal_value(self, data: object) -> float:
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            raise serializers.ValidationError("Must be a finite number.")
        return value


def _seconds(**kwargs: object) -> FiniteFloat:
    return FiniteFloat(min_value=0.0, max_value=MAX_TIMELINE_SECONDS, **kwargs)


def _gain() -> FiniteFloat:
    return FiniteFloat(min_value=GAIN_RANGE[0], max_value=GAIN_RANGE[1], default=0.0, help_text="dB")


class SourceIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["take", "media"])
    id = serializers.CharField(max_length=64, help_text="A take id or a media file id; never a path or URL.")


class BlockIn(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text="Kept when it is one of this timeline's.")
    source = SourceIn()
    start = _seconds(help_text="Seconds on the timeline.")
    in_point = _seconds(default=0.0, help_text="Seconds into the source where the block begins.")
    out_point = _seconds(help_text="Seconds into the source where the block ends.")
    gain_db = _gain()
    fade_in = _seconds(default=0.0)
    fade_out = _seconds(default=0.0)
    mute = serializers.BooleanField(default=False)
    label = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TrackIn(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=Track.Kind.choices)
    name = serializers.CharField(max_length=100)
    gain_db = _gain()
    mute = serializers.BooleanField(default=False)
    solo = serializers.BooleanField(default=False)
    blocks = BlockIn(many=True, max_length=MAX_BLOCKS)


class LayoutIn(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version the layout was loaded at.")
    tracks = TrackIn(many=True, max_length=MAX_TRACKS)


class ImportTrackIn(serializers.Serializer):
    file = serializers.FileField(help_text="An audio file (or any media with an audio stream).")
    start = _seconds(default=0.0)


class ImportVideoIn(serializers.Serializer):
    file = serializers.FileField(help_text="A video, or an image (at most 8192 px a side and 40 megapixels).")
    start = _seconds(required=False, allow_null=True, default=None, help_text="Default: after the last picture.")
    with_audio = serializers.BooleanField(default=True, help_text="Also add the video's own audio as a track.")


class MergeTimelineIn(serializers.Serializer):
    task_id = serializers.CharField(max_length=64, help_text="A generation's task id or a timeline id.")
    format = serializers.ChoiceField(choices=RENDER_FORMATS, default="wav")
    sample_rate = serializers.ChoiceField(
        choices=SAMPLE_RATES,
        required=False,
        allow_null=True,
        default=None,
        help_text="Default: the highest rate among the audible sources.",
    )


class LayoutQuery(serializers.Serializer):
    peaks = serializers.IntegerField(
        min_value=0, max_value=100, default=50, help_text="Waveform peaks per second (0: none)."
    )


class MontageIn(serializers.Serializer):
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    generation_ids = serializers.ListField(child=serializers.CharField(max_length=64), max_length=200)


class MontageUpdateIn(serializers.Serializer):
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    generation_ids = serializers.ListField(child=serializers.CharField(max_length=64), max_length=200, required=False)


class MontageTimelineIn(serializers.Serializer):
    gap_ms = serializers.IntegerField(min_value=0, max_value=60_000, default=1000, help_text="Between generations.")
    rebuild = serializers.BooleanField(default=False, help_text="Lay the timeline out again from the montage.")


class MontageOut(serializers.ModelSerializer):
    generation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Montage
        fields = ["id", "title", "notes", "generation_count", "created_at", "updated_at"]


class MontageGenerationOut(serializers.Serializer):
    id = serializers.UUIDField(source="generation.pk")
    title = serializers.CharField(source="generation.title")
    mode = serializers.CharField(source="generation.mode")
    status = serializers.CharField(source="generation.job.status")
    duration = serializers.FloatField(source="generation.duration", allow_null=True)
    created_at = serializers.DateTimeField(source="generation.created_at")


class MontageDetailOut(MontageOut):
    generation_ids = serializers.SerializerMethodField()
    generations = MontageGenerationOut(source="items", many=True)
    timeline_id = serializers.SerializerMethodField()

    class Meta(MontageOut.Meta):
        fields = [*MontageOut.Meta.fields, "generation_ids", "generations", "timeline_id"]

    def get_generation_ids(self, montage: Montage) -> list[str]:
        return [str(item.generation_id) for item in montage.items.all()]

    def get_timeline_id(self, montage: Montage) -> str | None:
        timeline = getattr(montage, "timeline", None)  # the reverse one-to-one raises AttributeError when unset
        return str(timeline.pk) if timeline else None


# --- for the schema only: the layout is built as plain data by the selector -------------------


class BlockOut(serializers.Serializer):
    id = serializers.IntegerField()
    source = SourceIn()
    start = serializers.FloatField()
    in_point = serializers.FloatField()
    out_point = serializers.FloatField()
    end = serializers.FloatField()
    gain_db = serializers.FloatField()
    fade_in = serializers.FloatField()
    fade_out = serializers.FloatField()
    mute = serializers.BooleanField()
    label = serializers.CharField()
    source_duration = serializers.FloatField()
    source_name = serializers.CharField()
    is_image = serializers.BooleanField()
    audio_url = serializers.CharField()
    peaks = serializers.ListField(child=serializers.FloatField(), help_text="0..1, max |sample| per step.")
    peaks_per_second = serializers.FloatField()


class TrackOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Track.Kind.choices)
    name = serializers.CharField()
    gain_db = serializers.FloatField()
    mute = serializers.BooleanField()
    solo = serializers.BooleanField()
    order = serializers.IntegerField()
    blocks = BlockOut(many=True)


class RenderOut(serializers.Serializer):
    render_id = serializers.UUIDField()
    format = serializers.CharField()
    duration = serializers.FloatField()
    frames = serializers.IntegerField()
    sample_rate = serializers.IntegerField()
    channels = serializers.IntegerField()
    version = serializers.IntegerField()
    url = serializers.CharField()
    created_at = serializers.DateTimeField()


class LayoutOut(serializers.Serializer):
    id = serializers.UUIDField()
    task_id = serializers.UUIDField(allow_null=True)
    montage_id = serializers.UUIDField(allow_null=True)
    title = serializers.CharField()
    version = serializers.IntegerField()
    duration = serializers.FloatField()
    updated_at = serializers.DateTimeField()
    tracks = TrackOut(many=True)
    renders = RenderOut(many=True)
