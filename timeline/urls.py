"""Timeline and montage endpoints (the timeline issue fills them in)."""

from django.urls import path

from clonyvoice.api import planned
from clonyvoice.scopes import TTS_TIMELINE, VOICES_READ, VOICES_WRITE


def _timeline(name: str, method: str, summary: str):
    return planned(name, {method: TTS_TIMELINE}, {method: summary})


urlpatterns = [
    path("timeline/<str:task_id>", _timeline("timeline", "GET", "Get timeline layout")),
    path("timeline/<str:task_id>/layout", _timeline("timeline_layout", "POST", "Save block positions")),
    path(
        "timeline/<str:task_id>/import-track", _timeline("timeline_import_track", "POST", "Import external audio track")
    ),
    path(
        "timeline/<str:task_id>/import-video",
        _timeline("timeline_import_video", "POST", "Import video/image for timeline"),
    ),
    path("generate/merge-timeline", _timeline("merge_timeline", "POST", "Merge timeline into single file")),
    path(
        "montages",
        planned(
            "montages",
            {"GET": VOICES_READ, "POST": VOICES_WRITE},
            {"GET": "List all montages", "POST": "Create a new montage"},
        ),
    ),
    path(
        "montages/<str:montage_id>",
        planned(
            "montage",
            {"GET": VOICES_READ, "DELETE": VOICES_WRITE},
            {"GET": "Get montage with generations", "DELETE": "Delete a montage"},
        ),
    ),
]
