from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clonyvoice.audio import FORMATS
from synthesis.models import Chunk, Generation, Take
from synthesis.wordtimings.selectors import alignment_job, generation_words
from synthesis.wordtimings.serializers import WORDS_STATUS, WORDS_STATUS_HELP, WordOut

FORMAT_CHOICES = list(FORMATS)


class SpeechSettingsIn(serializers.Serializer):
    speed = serializers.FloatField(min_value=0.5, max_value=2.0, default=1.0)
    pitch = serializers.FloatField(min_value=-12, max_value=12, default=0.0, help_text="Semitones.")
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False, allow_null=True, default=None)
    format = serializers.ChoiceField(choices=FORMAT_CHOICES, default="wav")
    title = serializers.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        default="",
        help_text="The project's name (titles History, names downloads); default: the text's first words.",
    )


class GenerateIn(SpeechSettingsIn):
    text = serializers.CharField(trim_whitespace=False, allow_blank=True)
    voice_id = serializers.CharField(max_length=64)
    language = serializers.CharField(max_length=16, required=False, allow_null=True, default=None)


class GenerateOneIn(GenerateIn):
    stream = serializers.BooleanField(
        default=False,
        help_text="Answer 200 with the audio as it is made (chunked transfer, sentence by sentence) instead of 202. "
        "It is still a job: `X-Task-Id` names it; history, takes and /ws events as usual. Hanging up cancels it.",
    )


class ChunkedIn(GenerateIn):
    max_chars = serializers.IntegerField(min_value=20, max_value=2000, default=300)


class VoiceSegmentIn(serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False, allow_blank=True)
    voice_id = serializers.CharField(max_length=64)
    language = serializers.CharField(max_length=16, required=False, allow_null=True, default=None)


class MultiVoiceIn(SpeechSettingsIn):
    segments = VoiceSegmentIn(many=True, required=False, allow_empty=False, max_length=2000)
    script = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    voices = serializers.DictField(child=serializers.CharField(max_length=64), required=False)
    max_chars = serializers.IntegerField(min_value=20, max_value=2000, default=300)

    def validate(self, data: dict) -> dict:
        if ("segments" in data) == ("script" in data):
            raise serializers.ValidationError("Give either segments or a script (with voices).")
        return data


class LangSegmentIn(serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False, allow_blank=True)
    language = serializers.CharField(max_length=16, required=False, allow_null=True, default=None)
    voice_id = serializers.CharField(max_length=64, required=False, allow_null=True, default=None)


class MultiLangIn(SpeechSettingsIn):
    segments = LangSegmentIn(many=True, required=False, allow_empty=False, max_length=2000)
    text = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    voices = serializers.DictField(
        child=serializers.CharField(max_length=64), required=False, help_text="language → voice id"
    )
    max_chars = serializers.IntegerField(min_value=20, max_value=2000, default=300)

    def validate(self, data: dict) -> dict:
        if ("segments" in data) == ("text" in data):
            raise serializers.ValidationError("Give either segments or a text (its languages are detected).")
        return data


class RegenerateIn(serializers.Serializer):
    task_id = serializers.CharField(max_length=64)
    index = serializers.IntegerField(min_value=0)
    text = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    voice_id = serializers.CharField(max_length=64, required=False)
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False, allow_null=True, default=None)


class MergeIn(serializers.Serializer):
    task_id = serializers.CharField(max_length=64)
    takes = serializers.DictField(
        child=serializers.IntegerField(min_value=1), required=False, help_text="chunk index → take number"
    )
    gap_ms = serializers.IntegerField(min_value=0, max_value=5000, default=250)
    crossfade_ms = serializers.IntegerField(min_value=0, max_value=1000, default=0)
    normalize = serializers.BooleanField(default=False, help_text="Loudness to -16 LUFS.")
    format = serializers.ChoiceField(choices=FORMAT_CHOICES, default="wav")

    def validate_takes(self, value: dict) -> dict[int, int]:
        try:
            return {int(k): v for k, v in value.items()}
        except ValueError:
            raise serializers.ValidationError("Keys are chunk indexes.") from None


class SelectTakeIn(serializers.Serializer):
    take = serializers.IntegerField(min_value=1)


class SplitIn(serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False, allow_blank=True, max_length=200_000)
    language = serializers.CharField(max_length=16, required=False, allow_null=True, default=None)
    max_chars = serializers.IntegerField(min_value=20, max_value=5000, default=300)


class TakeWordOut(serializers.Serializer):
    word = serializers.CharField()
    start = serializers.FloatField(help_text="Seconds from the start of this take.")
    end = serializers.FloatField()


class TakeOut(serializers.ModelSerializer):
    audio_url = serializers.SerializerMethodField()
    voice_id = serializers.UUIDField(allow_null=True)
    words = TakeWordOut(many=True, allow_null=True, help_text="When each word of this take is heard; null until known.")

    class Meta:
        model = Take
        fields = [
            "number",
            "text",
            "voice_id",
            "seed",
            "sample_rate",
            "duration",
            "synthesis_seconds",
            "audio_url",
            "words",
        ]

    def get_audio_url(self, take: Take) -> str:
        return f"/api/audio/chunk/{take.chunk.generation_id}/{take.chunk.index}?take={take.number}"


class ChunkOut(serializers.ModelSerializer):
    voice_id = serializers.UUIDField(allow_null=True)
    voice_name = serializers.CharField(source="voice.name", default=None)
    selected_take = serializers.IntegerField(source="selected_take.number", default=None)
    audio_url = serializers.SerializerMethodField()
    takes = TakeOut(many=True)

    class Meta:
        model = Chunk
        fields = [
            "index",
            "text",
            "language",
            "speaker",
            "voice_id",
            "voice_name",
            "status",
            "error",
            "selected_take",
            "audio_url",
            "takes",
        ]

    def get_audio_url(self, chunk: Chunk) -> str | None:
        return f"/api/audio/chunk/{chunk.generation_id}/{chunk.index}" if chunk.selected_take_id else None


class GenerationOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="pk")
    task_id = serializers.UUIDField(source="pk")
    status = serializers.CharField(source="job.status")
    progress = serializers.FloatField(source="job.progress")
    total = serializers.FloatField(source="job.total")
    error = serializers.CharField(source="job.error")
    chunk_count = serializers.IntegerField(default=None)
    audio_url = serializers.SerializerMethodField()

    class Meta:
        model = Generation
        fields = [
            "id",
            "task_id",
            "title",
            "mode",
            "status",
            "progress",
            "total",
            "error",
            "settings",
            "output_format",
            "duration",
            "chunk_count",
            "audio_url",
            "created_at",
        ]

    def get_audio_url(self, generation: Generation) -> str | None:
        return f"/api/generations/{generation.pk}/audio" if generation.output else None


class GenerationDetailOut(GenerationOut):
    chunks = ChunkOut(many=True)
    started_at = serializers.DateTimeField(source="job.started_at")
    finished_at = serializers.DateTimeField(source="job.finished_at")

    words = serializers.SerializerMethodField()
    words_status = serializers.SerializerMethodField()
    words_task_id = serializers.SerializerMethodField()

    class Meta(GenerationOut.Meta):
        fields = [
            *GenerationOut.Meta.fields,
            "text",
            "started_at",
            "finished_at",
            "chunks",
            "words",
            "words_status",
            "words_task_id",
        ]

    def _words(self, generation: Generation) -> tuple[list[dict], str, str | None]:
        """Words, their status and the alignment job: worked out once per generation for the three fields."""
        known = getattr(self, "_words_of", {})
        if generation.pk not in known:
            state = generation_words(generation)
            subject = f"generation:{generation.pk}"
            job = None if state.ready else alignment_job(owner=generation.owner_id, subject=subject)
            status = "ready" if state.ready else "aligning" if job else "missing"
            known[generation.pk] = (state.words, status, str(job.pk) if job else None)
            self._words_of = known
        return known[generation.pk]

    @extend_schema_field(WordOut(many=True))
    def get_words(self, generation: Generation) -> list[dict]:
        """When each word is heard, in seconds of the generation's audio (the takes it plays, its gaps included)."""
        return self._words(generation)[0]

    @extend_schema_field(serializers.ChoiceField(choices=WORDS_STATUS, help_text=WORDS_STATUS_HELP))
    def get_words_status(self, generation: Generation) -> str:
        return self._words(generation)[1]

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_words_task_id(self, generation: Generation) -> str | None:
        return self._words(generation)[2]


class GenerationUpdateIn(serializers.Serializer):
    title = serializers.CharField(max_length=80, help_text="The project's name.")


class TextLimitsOut(serializers.Serializer):
    text_chars = serializers.IntegerField(help_text="The longest text (or script) one generation takes.")
    chunks = serializers.IntegerField(help_text="The most sentences one generation makes.")


class GenerationListQuery(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=100)
    mode = serializers.ChoiceField(choices=Generation.Mode.choices, required=False)
    status = serializers.CharField(required=False, max_length=16)
    voice_id = serializers.UUIDField(required=False)
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)


class TranslateIn(serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False, allow_blank=True, max_length=200_000)
    source = serializers.CharField(max_length=16, required=False, default="auto", help_text="A language code or auto.")
    target = serializers.CharField(max_length=16)
    engine = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    wait = serializers.FloatField(
        min_value=0, max_value=60, default=30, help_text="Seconds to wait for a worker-side model before a 202."
    )


class TranslationOut(serializers.Serializer):
    text = serializers.CharField()
    source = serializers.CharField()
    target = serializers.CharField()
    engine = serializers.CharField()
    model = serializers.CharField()
    source_detected = serializers.BooleanField()
