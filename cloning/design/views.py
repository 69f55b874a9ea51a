"""Design endpoints: thin — validate, call a service, answer."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cloning.design import services
from cloning.design.serializers import DesignAcceptedOut, DesignDiscardOut, DesignIn, DesignKeepIn
from clonyvoice.api import ERROR_SCHEMA, ScopedView
from clonyvoice.scopes import CLONE_CREATE
from clonyvoice.serializers import JobOut, TaskIdIn, accepted
from voices.serializers import VoiceOut

DESIGN_HELP = (
    "The description (English or Russian) is parsed into gender, age, pitch, pace, warmth or brightness, "
    "breathiness, expressiveness and accent; words it does not know come back in `ignored` (and in the job's "
    "result). One job designs `candidates` voices (default 3) with seeds `seed`, `seed + 1`, …: where Kokoro speaks "
    "the language, each is a Kokoro style table: the packaged voice (or mix) of that gender nearest the description, "
    "moved along directions measured on Kokoro's speech (pitch, pace, brightness, breathiness; F0 spread only "
    "through the choice of that start), plus a seeded move; it speaks every Kokoro language. Same description and "
    "seed, same voice. Progress arrives on /ws; the finished job's result lists the candidates with their preview "
    "URLs. None is in the Library until one is kept (`/api/design/keep`); the others, and every candidate of a "
    "design never kept, are removed (the next design sweeps them)."
)


class DesignCreateView(ScopedView):
    required_scopes = {"POST": CLONE_CREATE}

    @extend_schema(
        summary="Create voice from description",
        description=DESIGN_HELP,
        request=DesignIn,
        responses={202: DesignAcceptedOut, 400: ERROR_SCHEMA},
    )
    def post(self, request: Request) -> Response:
        serializer = DesignIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        job, params = services.design_start(
            owner=request.user,
            description=d["description"],
            name=d["name"],
            language=d["language"] or None,
            gender=d["gender"] or None,
            age=d["age"] or None,
            seed=d["seed"],
            candidates=d["candidates"],
        )
        body = {
            **accepted(job),
            "seed": job.params["seed"],
            "candidates": job.params["candidates"],
            "recognized": params.recognized,
            "ignored": params.ignored,
        }
        return Response(body, status=status.HTTP_202_ACCEPTED)


class DesignKeepView(ScopedView):
    required_scopes = {"POST": CLONE_CREATE}

    @extend_schema(
        summary="Keep one designed voice",
        description="Keeps one candidate of a finished design (`index` in the job's result, or its `voice_id`), "
        "named `name` when given: it joins the Library. The design's other candidates are removed with their files. "
        "409 `not_ready` before the design has finished, `already_kept` for a second keep.",
        request=DesignKeepIn,
        responses={200: VoiceOut, 400: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA},
    )
    def post(self, request: Request) -> Response:
        serializer = DesignKeepIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        voice = services.design_keep(
            owner=request.user, job_id=d["task_id"], index=d["index"], voice_id=d["voice_id"], name=d["name"]
        )
        return Response(VoiceOut(voice).data)


class DesignDiscardView(ScopedView):
    required_scopes = {"POST": CLONE_CREATE}

    @extend_schema(
        summary="Discard a design's voices",
        description="Keeps none of a design's candidates: a finished design's unkept candidates are removed with "
        "their files; a running design is cancelled and removes them when it stops.",
        request=TaskIdIn,
        responses={200: DesignDiscardOut, 404: ERROR_SCHEMA},
    )
    def post(self, request: Request) -> Response:
        serializer = TaskIdIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        job, discarded = services.design_discard(owner=request.user, job_id=serializer.validated_data["task_id"])
        return Response({"task_id": str(job.pk), "status": job.status, "discarded": discarded})


class DesignCancelView(ScopedView):
    required_scopes = {"POST": CLONE_CREATE}

    @extend_schema(
        summary="Cancel design creation",
        description="Stops a design job; its candidates and their files are removed.",
        request=TaskIdIn,
        responses={200: JobOut, 404: ERROR_SCHEMA},
    )
    def post(self, request: Request) -> Response:
        serializer = TaskIdIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.design_cancel(owner=request.user, job_id=serializer.validated_data["task_id"])
        return Response(JobOut(job).data)
