"""Voice library endpoints, with .clonyvoice export and import."""

from django.urls import path

from voices import views
from voices.portability import views as portability_views

urlpatterns = [
    path("voices", views.VoiceListView.as_view()),
    path("voices/export", portability_views.VoiceExportView.as_view()),
    path("voices/import/preview", portability_views.VoiceImportPreviewView.as_view()),
    path("voices/import", portability_views.VoiceImportView.as_view()),
    path("voices/<str:voice_id>", views.VoiceDetailView.as_view()),
    path("voices/<str:voice_id>/preview", views.VoicePreviewView.as_view()),
    path("categories", views.CategoryView.as_view()),
    path("favorites", views.FavoriteListView.as_view()),
    path("favorites/<str:voice_id>", views.FavoriteToggleView.as_view()),
]
