from __future__ import annotations

from rest_framework import serializers


class WordOut(serializers.Serializer):
    word = serializers.CharField(help_text="A whitespace-separated word of the chunk's text, punctuation included.")
    start = serializers.FloatField(help_text="Seconds from the start of the generation's audio.")
    end = serializers.FloatField()
    chunk = serializers.IntegerField(help_text="The chunk (sentence) it belongs to.")


WORDS_STATUS = ["ready", "missing", "aligning"]
WORDS_STATUS_HELP = (
    "ready: every word is timed; missing: some takes are not aligned yet (POST …/words aligns them); "
    "aligning: an alignment job is running (words_task_id)."
)


class WordsOut(serializers.Serializer):
    status = serializers.ChoiceField(choices=WORDS_STATUS, help_text=WORDS_STATUS_HELP)
    task_id = serializers.UUIDField(allow_null=True, help_text="The alignment job, while one is pending or running.")
    words = WordOut(many=True)
