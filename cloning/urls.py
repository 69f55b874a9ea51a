"""Cloning, design and audio-processing endpoints, one views module per feature."""

from django.urls import path

from cloning.clone import views as clone_views
from cloning.design import views as design_views
from cloning.download.views import DownloadVideoView
from cloning.sources import views as source_views
from cloning.transcription import views as transcription_views
from clonyvoice.api import planned
from clonyvoice.scopes import AUDIO_PROCESS


def _audio(name: str, summary: str):
    return planned(name, {"POST": AUDIO_PROCESS}, {"POST": summary})


urlpatterns = [
    path("clone/create-clips", clone_views.CloneCreateClipsView.as_view()),
    path("clone/create", clone_views.CloneCreateView.as_view()),
    path("clone/create-multi", clone_views.CloneCreateMultiView.as_view()),
    path("clone/cancel", clone_views.CloneCancelView.as_view()),
    path("design/create", design_views.DesignCreateView.as_view()),
    path("design/cancel", design_views.DesignCancelView.as_view()),
    path("design/keep", design_views.DesignKeepView.as_view()),
    path("design/discard", design_views.DesignDiscardView.as_view()),
    path("voices/<str:voice_id>/generate-preview", clone_views.VoicePreviewGenerateView.as_view()),
    path("transcribe", transcription_views.TranscribeView.as_view()),
    path("transcribe/<str:task_id>.<str:fmt>", transcription_views.TranscriptFileView.as_view()),
    path("audio-duration", source_views.AudioDurationView.as_view()),
    path("download-video", DownloadVideoView.as_view()),
]
