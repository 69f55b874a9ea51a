from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from clonyvoice import media_views
from clonyvoice.views import SessionView
from synthesis.openai_compat import SpeechView, VoicesView

api = [
    path("auth/session", SessionView.as_view()),
    path("media", media_views.MediaListView.as_view()),
    path("media/<str:media_id>", media_views.MediaDetailView.as_view()),
    path("media/<str:media_id>/audio", media_views.MediaAudioView.as_view()),
    path("", include("systemstats.urls")),
    path("", include("voices.urls")),
    path("", include("synthesis.urls")),
    path("", include("cloning.urls")),
    path("", include("timeline.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

urlpatterns = [
    path("api/", include(api)),
    path("v1/audio/speech", SpeechView.as_view()),
    path("v1/audio/voices", VoicesView.as_view()),
    path("admin/", admin.site.urls),
    path("", include("frontend.urls")),
]
