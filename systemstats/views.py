"""System endpoints: stats, status, GPU, hardware, queue, job control and API keys."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from clonyvoice import jobs, keys
from clonyvoice.api import ERROR_SCHEMA, ScopedView
from clonyvoice.models import ApiKey
from clonyvoice.scopes import SYSTEM_READ
from clonyvoice.serializers import JobAcceptedOut, JobOut, TaskIdIn, accepted
from systemstats import selectors
from systemstats.serializers import ApiKeyCreatedOut, ApiKeyCreateIn, ApiKeyOut
from systemstats.tasks import run_diagnostics

ANY_OBJECT = inline_serializer("AnyObject", {})


class SystemStatsView(ScopedView):
    required_scopes = {"GET": SYSTEM_READ}

    @extend_schema(summary="CPU, RAM, GPU stats", responses=ANY_OBJECT)
    def get(self, request: Request) -> Response:
        return Response(selectors.system_stats())


class SystemStatusView(ScopedView):
    required_scopes = {"GET": SYSTEM_READ}

    @extend_schema(summary="Detailed system status", responses=ANY_OBJECT)
    def get(self, request: Request) -> Response:
        return Response(selectors.system_status())


class SystemGpuView(ScopedView):
    required_scopes = {"GET": SYSTEM_READ}

    @extend_schema(summary="Detailed GPU information", responses=ANY_OBJECT)
    def get(self, request: Request) -> Response:
        return Response(selectors.gpu_info())


class SystemInfoView(ScopedView):
    required_scopes = {"GET": SYSTEM_READ}

    @extend_schema(summary="Hardware info", responses=ANY_OBJECT)
    def get(self, request: Request) -> Response:
        return Response(selectors.hardware_info())


class QueueStatusView(ScopedView):
    required_scopes = {"GET": SYSTEM_READ}

    @extend_schema(summary="GPU queue status", responses=ANY_OBJECT)
    def get(self, request: Request) -> Response:
        state = selectors.queue_status(owner=request.user)
        state["running"] = JobOut(state["running"], many=True).data
        state["pending"] = JobOut(state["pending"], many=True).data
        return Response(state)


class JobCancelView(ScopedView):
    required_scopes = {"POST": SYSTEM_READ}

    @extend_schema(
        summary="Cancel a queued job",
        request=TaskIdIn,
        responses={200: JobOut, 404: OpenApiResponse(ERROR_SCHEMA)},
    )
    def post(self, request: Request) -> Response:
        data = TaskIdIn(data=request.data)
        data.is_valid(raise_exception=True)
        job = jobs.job_cancel(owner=request.user, job_id=data.validated_data["task_id"])
        return Response(JobOut(job).data)


class JobDetailView(ScopedView):
    """Any job of the caller: clients resync here after a /ws reconnect."""

    required_scopes = {"GET": SYSTEM_READ}

    @extend_schema(summary="Get a job", responses={200: JobOut, 404: OpenApiResponse(ERROR_SCHEMA)})
    def get(self, request: Request, task_id: str) -> Response:
        return Response(JobOut(jobs.job_get(owner=request.user, job_id=task_id)).data)


class DiagnosticsView(ScopedView):
    required_scopes = {"POST": SYSTEM_READ}

    @extend_schema(
        summary="Run diagnostics in the gpu worker",
        description="Checks the database, Redis, storage, disk, ffmpeg, espeak-ng, Festival and torch.",
        request=None,
        responses={202: JobAcceptedOut},
    )
    def post(self, request: Request) -> Response:
        job = jobs.job_create(owner=request.user, kind="system.diagnostics", actor=run_diagnostics)
        return Response(accepted(job), status=status.HTTP_202_ACCEPTED)


class ApiKeyListView(ScopedView):
    required_scopes = {"GET": SYSTEM_READ, "POST": SYSTEM_READ}

    @extend_schema(summary="List API keys", responses=ApiKeyOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(ApiKeyOut(keys.apikey_list(owner=request.user), many=True).data)

    @extend_schema(
        summary="Create API key",
        description="The key is in the response once. A key can only create keys within its own scopes and limits.",
        request=ApiKeyCreateIn,
        responses={201: ApiKeyCreatedOut, 403: OpenApiResponse(ERROR_SCHEMA)},
    )
    def post(self, request: Request) -> Response:
        data = ApiKeyCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        issuer = request.auth if isinstance(request.auth, ApiKey) else None
        issued = keys.apikey_create(owner=request.user, issuer=issuer, **data.validated_data)
        body = ApiKeyOut(issued.api_key).data
        return Response({"key": issued.token, **body}, status=status.HTTP_201_CREATED)


class ApiKeyDetailView(ScopedView):
    required_scopes = {"DELETE": SYSTEM_READ}

    @extend_schema(summary="Delete an API key", responses={204: None, 404: OpenApiResponse(ERROR_SCHEMA)})
    def delete(self, request: Request, key_id: str) -> Response:
        keys.apikey_delete(owner=request.user, key_id=key_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiKeyRevokeView(ScopedView):
    required_scopes = {"POST": SYSTEM_READ}

    @extend_schema(
        summary="Revoke an API key", request=None, responses={200: ApiKeyOut, 404: OpenApiResponse(ERROR_SCHEMA)}
    )
    def post(self, request: Request, key_id: str) -> Response:
        return Response(ApiKeyOut(keys.apikey_revoke(owner=request.user, key_id=key_id)).data)
