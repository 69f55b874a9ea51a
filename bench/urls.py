"""The product's URLs plus two baselines for bench/api.py, serving the same payload as /api/system/info."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clonyvoice.urls import urlpatterns as product_urlpatterns
from systemstats.selectors import hardware_info


def plain_info(request: HttpRequest) -> JsonResponse:
    return JsonResponse(hardware_info())


class OpenInfoView(APIView):
    """The DRF view without authentication, scope or limit: isolates what those three cost."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    def get(self, request: Request) -> Response:
        return Response(hardware_info())


urlpatterns = [
    path("bench/plain-info", plain_info),
    path("bench/open-info", OpenInfoView.as_view()),
    *product_urlpatterns,
]
