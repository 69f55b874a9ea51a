"""Browser session endpoints used by the SPA: who am I, log in, log out."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import AnonymousUser
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clonyvoice.authentication import CsrfSessionAuthentication
from clonyvoice.errors import ServiceError
from clonyvoice.ratelimits import auth_failures

SESSION_SCHEMA = inline_serializer(
    "Session",
    {"authenticated": serializers.BooleanField(), "username": serializers.CharField(allow_null=True)},
)


class LoginIn(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=1024, trim_whitespace=False)


def _session(request: Request) -> dict:
    user = request.user
    return {
        "authenticated": bool(user and user.is_authenticated),
        "username": user.get_username() if user and user.is_authenticated else None,
        "is_staff": bool(user and user.is_authenticated and user.is_staff),
    }


class SessionView(APIView):
    """The browser's session. GET also sets the CSRF cookie the SPA sends back."""

    authentication_classes = [CsrfSessionAuthentication]
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(summary="Current browser session", responses=SESSION_SCHEMA, tags=["session"])
    @method_decorator(ensure_csrf_cookie)
    def get(self, request: Request) -> Response:
        return Response(_session(request))

    @extend_schema(summary="Log in (browser)", request=LoginIn, responses=SESSION_SCHEMA, tags=["session"])
    @method_decorator(csrf_protect)
    def post(self, request: Request) -> Response:
        blocked = auth_failures(request._request, record=False)
        if blocked.limited:
            raise exceptions.Throttled(wait=blocked.retry_after, detail="Too many failed logins.")
        data = LoginIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, **data.validated_data)
        if user is None:
            auth_failures(request._request, record=True)
            raise ServiceError("Wrong username or password.", code="authentication_failed", status=401)
        login(request._request, user)
        request.user = user
        return Response(_session(request))

    @extend_schema(summary="Log out (browser)", responses=SESSION_SCHEMA, tags=["session"])
    def delete(self, request: Request) -> Response:
        logout(request._request)
        request.user = AnonymousUser()
        return Response(_session(request))
