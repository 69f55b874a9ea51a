"""Serves the built SPA: index.html for every browser route; hashed assets come from WhiteNoise."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

NOT_BUILT = """<!doctype html><meta charset="utf-8"><title>ClonyVoice</title>
<p>The ClonyVoice frontend is not built. Run <code>npm ci && npm run build</code> in <code>frontend/</code>
(the README's setup command does this).</p>"""


@require_safe
@ensure_csrf_cookie
def spa(request: HttpRequest) -> HttpResponse:
    index = settings.FRONTEND_DIST / "index.html"
    if not index.exists():
        return HttpResponse(NOT_BUILT, status=503)
    response = HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
    # The shell must be revalidated so a rebuilt frontend's new asset hashes are picked up.
    response["Cache-Control"] = "no-cache"
    return response
