"""Cloning, design and audio-processing endpoints (the cloning and audio tools issues fill them in)."""

from django.urls import path

from cloning import clone_views, views
from cloning.download_views import DownloadVideoView
from clonyvoice.api import planned
from clonyvoice.scopes import AUDIO_PROCESS


def _audio(name: str, summary: str):
    return planned(name, {"POST": AUDIO_PROCESS}, {"POST": summary})


urlpatterns = [
    path("clone/create-clips", clone_views.CloneCreateClipsView.as_view()),
    path("clone/create", clone_views.CloneCreateView.as_view()),
    path("clone/create-multi", clone_views.CloneCreateMultiView.as_view()),
    path("clone/cancel", clone_views.CloneCancelView.as_view()),
    path("design/create", clone_views.DesignCreateView.as_view()),
    path("design/cancel", clone_views.DesignCancelView.as_view()),
    path("voices/<str:voice_id>/generate-preview", clone_views.VoicePreviewGenerateView.as_view()),
    path("transcribe", views.TranscribeView.as_view()),
    path("transcribe/<str:task_id>.<str:fmt>", views.TranscriptFileView.as_view()),
    path("audio-duration", views.AudioDurationView.as_view()),
    path("download-video", DownloadVideoView.as_view()),
]
