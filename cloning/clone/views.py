"""Clone and preview endpoints, and the cancel that design shares: thin — validate, call a service, answer 202."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import TooManyFilesSent
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from cloning.clone import services
from cloning.clone.serializers import CloneClipsIn, CloneMultiIn, CloneOneIn, MakeAcceptedOut, PreviewIn
from cloning.clone.voicefiles import CLONE_KIND
from cloning.intake import MAX_FILES, TooManyFiles
from clonyvoice.api import ERROR_SCHEMA, ScopedView
from clonyvoice.scopes import CLONE_CREATE
from clonyvoice.serializers import JobAcceptedOut, JobOut, TaskIdIn, accepted

MAKE_RESPONSES = {202: MakeAcceptedOut, 400: ERROR_SCHEMA, 413: ERROR_SCHEMA, 503: ERROR_SCHEMA}
CLONE_HELP = (
    "Multipart. Each sample is probed before it is decoded: an audio stream, 3 s to 10 min, at most 30 min in "
    "all, at most 20 files. Answers 202 with the job id (`task_id`) and the voice id; progress arrives on /ws, "
    "and the job's result names the voice, the engine that made it and its similarity score. The best installed "
    "cloning engine is used: Pocket TTS when its model is installed, else voice matching (the closest preset "
    "voice with its pitch and formants moved towards the sample by the WORLD vocoder). Without a transcript the "
    "samples are transcribed with the offline Whisper."
)


def _validated(serializer_class: type[Serializer], request: Request) -> dict[str, Any]:
    try:
        data = request.data
    except TooManyFilesSent:  # Django's own cap on files per request, hit before ours
        raise TooManyFiles(f"Too many files were sent; at most {MAX_FILES} samples per voice.") from None
    if hasattr(data, "getlist") and len(data.getlist("files")) > MAX_FILES:
        count = len(data.getlist("files"))
        raise TooManyFiles(f"{count} files were sent; at most {MAX_FILES} samples per voice.", limit=MAX_FILES)
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _made(job: Any) -> Response:
    return Response({**accepted(job), "voice_id": job.params["voice_id"]}, status=status.HTTP_202_ACCEPTED)


def _clone(request: Request, data: dict[str, Any], files: list, regions: Any = None) -> Response:
    job = services.clone_start(
        owner=request.user,
        files=files,
        regions=regions,
        name=data["name"],
        language=data["language"] or None,
        description=data["description"],
        category=data["category"],
        transcript=data["transcript"],
        quality=data["quality"],
        seed=data["seed"],
    )
    return _made(job)


class CloneCreateView(ScopedView):
    required_scopes = {"POST": CLONE_CREATE}

    @extend_schema(
        summary="Create voice clone (single sample)",
        description=CLONE_HELP,
        request={"multipart/form-data": CloneOneIn},
        responses=MAKE_RESPONSES,
    )
    def post(self, request: Request) -> Response:
        data = _validated(CloneOneIn, request)
        return _clone(request, data, [data["file"]])


class CloneCreateMultiView(ScopedView):
    required_scopes = {"POST": CLONE_CREATE}

    @extend_schema(
        summary="Create voice clone (multi-sample)",
        description=CLONE_HELP,
        request={"multipart/form-data": CloneMultiIn},
        responses=MAKE_RESPONSES,
    )
    def post(self, request: Request) -> Response:
        data = _validated(CloneMultiIn, request)
        return _clone(request, data, data["files"])


class CloneCreateClipsView(ScopedView):
    required_scopes = {"POST": CLONE_CREATE}

    @extend_schema(
        summary="Create voice clone (multi-clip with regions)",
        description=CLONE_HELP + ' `regions` is JSON `[{"file": i, "start": s, "end": e}]` (seconds, file = index '
        "in `files`); only these parts are used, each checked against its file's probed duration.",
        request={"multipart/form-data": CloneClipsIn},
        responses=MAKE_RESPONSES,
    )
    def post(self, request: Request) -> Response:
        data = _validated(CloneClipsIn, request)
        return _clone(request, data, data["files"], regions=data["regions"])


class MakingCancelView(ScopedView):
    required_scopes = {"POST": CLONE_CREATE}
    kind: str

    def cancel(self, request: Request) -> Response:
        data = TaskIdIn(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.making_cancel(owner=request.user, job_id=data.validated_data["task_id"], kind=self.kind)
        return Response(JobOut(job).data)


class CloneCancelView(MakingCancelView):
    kind = CLONE_KIND

    @extend_schema(
        summary="Cancel clone creation",
        description="Stops a clone job; its voice, samples and files are removed.",
        request=TaskIdIn,
        responses={200: JobOut, 404: ERROR_SCHEMA},
    )
    def post(self, request: Request) -> Response:
        return self.cancel(request)


class VoicePreviewGenerateView(ScopedView):
    required_scopes = {"POST": CLONE_CREATE}

    @extend_schema(
        summary="Generate voice preview",
        description="Speaks `text` (default: a preview sentence in the voice's language) in the worker and stores "
        "it as the voice's preview (GET /api/voices/{id}/preview); a cloned voice's similarity is scored again.",
        request=PreviewIn,
        responses={202: JobAcceptedOut, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA},
    )
    def post(self, request: Request, voice_id: str) -> Response:
        serializer = PreviewIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.preview_start(owner=request.user, voice_id=voice_id, text=serializer.validated_data["text"])
        return Response(accepted(job), status=status.HTTP_202_ACCEPTED)
