"""Design endpoints: thin — validate, call a service, answer 202 with the job id."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cloning.clone.views import MAKE_RESPONSES, MakingCancelView
from cloning.clone.voicefiles import DESIGN_KIND
from cloning.design import services
from cloning.design.serializers import DesignIn
from clonyvoice.api import ERROR_SCHEMA, ScopedView
from clonyvoice.scopes import CLONE_CREATE
from clonyvoice.serializers import JobOut, TaskIdIn, accepted


class DesignCancelView(MakingCancelView):
    kind = DESIGN_KIND

    @extend_schema(
        summary="Cancel design creation",
        description="Stops a design job; its voice and reference clip are removed.",
        request=TaskIdIn,
        responses={200: JobOut, 404: ERROR_SCHEMA},
    )
    def post(self, request: Request) -> Response:
        return self.cancel(request)


class DesignCreateView(ScopedView):
    required_scopes = {"POST": CLONE_CREATE}

    @extend_schema(
        summary="Create voice from description",
        description="The description (English or Russian) is parsed into gender, age, pitch, pace, warmth or "
        "brightness, breathiness, expressiveness and accent; a base preset voice moved by the WORLD vocoder speaks "
        "a reference clip, kept on the voice, from which the best cloning engine makes it. Same description and "
        "seed, same voice. Words it does not know are answered in `ignored` (and in the job's result).",
        request=DesignIn,
        responses=MAKE_RESPONSES,
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
        )
        body = {**accepted(job), "voice_id": job.params["voice_id"], "seed": job.params["seed"]}
        body.update(recognized=params.recognized, ignored=params.ignored)
        return Response(body, status=status.HTTP_202_ACCEPTED)
