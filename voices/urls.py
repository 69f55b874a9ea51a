"""Voice library endpoints. Export and import arrive with the audio tools issue."""

from django.urls import path

from clonyvoice.api import planned
from clonyvoice.scopes import VOICES_READ, VOICES_WRITE
from voices import views

urlpatterns = [
    path("voices", views.VoiceListView.as_view()),
    path("voices/export", planned("voices_export", {"POST": VOICES_READ}, {"POST": "Export voices (.clonyvoice)"})),
    path(
        "voices/import/preview",
        planned("voices_import_preview", {"POST": VOICES_WRITE}, {"POST": "Preview import file"}),
    ),
    path("voices/import", planned("voices_import", {"POST": VOICES_WRITE}, {"POST": "Import voices"})),
    path("voices/<str:voice_id>", views.VoiceDetailView.as_view()),
    path("voices/<str:voice_id>/preview", views.VoicePreviewView.as_view()),
    path("categories", views.CategoryView.as_view()),
    path("favorites", views.FavoriteListView.as_view()),
    path("favorites/<str:voice_id>", views.FavoriteToggleView.as_view()),
]
