"""ASGI entry point: Django (HTTP) and Channels (/ws) in one daphne process."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clonyvoice.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402 - needs Django set up first
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from clonyvoice.consumers import ProgressConsumer  # noqa: E402
from clonyvoice.uploads import BodySizeLimit  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": BodySizeLimit(django_asgi_app),
        "websocket": AuthMiddlewareStack(URLRouter([path("ws", ProgressConsumer.as_asgi())])),
    }
)
