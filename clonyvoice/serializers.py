"""Serializers shared across apps: jobs."""

from __future__ import annotations

from rest_framework import serializers

from clonyvoice.models import Job


class JobOut(serializers.ModelSerializer):
    task_id = serializers.UUIDField(source="id", read_only=True)
    fraction = serializers.FloatField(read_only=True)

    class Meta:
        model = Job
        fields = [
            "task_id",
            "kind",
            "queue",
            "status",
            "progress",
            "total",
            "fraction",
            "message",
            "error",
            "error_code",
            "result",
            "cancel_requested",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class JobAcceptedOut(serializers.Serializer):
    task_id = serializers.UUIDField()
    status = serializers.CharField()


class TaskIdIn(serializers.Serializer):
    task_id = serializers.CharField(max_length=64)


def accepted(job: Job) -> dict:
    return {"task_id": str(job.id), "status": job.status}
