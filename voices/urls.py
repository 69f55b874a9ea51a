"""Voice library endpoints (the voice library issue fills them in)."""

from django.urls import path

from clonyvoice.api import planned
from clonyvoice.scopes import VOICES_READ, VOICES_WRITE

urlpatterns = [
    path("voices", planned("voices", {"GET": VOICES_READ}, {"GET": "List all voices"})),
    path("voices/export", planned("voices_export", {"POST": VOICES_READ}, {"POST": "Export voices (.clonyvoice)"})),
    path(
        "voices/import/preview",
        planned("voices_import_preview", {"POST": VOICES_WRITE}, {"POST": "Preview import file"}),
    ),
    path("voices/import", planned("voices_import", {"POST": VOICES_WRITE}, {"POST": "Import voices"})),
    path(
        "voices/<str:voice_id>",
        planned(
            "voice",
            {"GET": VOICES_READ, "PUT": VOICES_WRITE, "DELETE": VOICES_WRITE},
            {"GET": "Get voice details", "PUT": "Update voice metadata", "DELETE": "Delete voice"},
        ),
    ),
    path(
        "categories",
        planned(
            "categories",
            {"GET": VOICES_READ, "POST": VOICES_WRITE, "DELETE": VOICES_WRITE},
            {"GET": "List categories", "POST": "Create a category", "DELETE": "Delete a category"},
        ),
    ),
    path("favorites", planned("favorites", {"GET": VOICES_READ}, {"GET": "Get favorite voices"})),
    path("favorites/<str:voice_id>", planned("favorite_toggle", {"POST": VOICES_WRITE}, {"POST": "Toggle favorite"})),
]
