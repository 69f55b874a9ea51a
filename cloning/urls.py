"""Cloning, design and audio-processing endpoints (the cloning and audio tools issues fill them in)."""

from django.urls import path

from clonyvoice.api import planned
from clonyvoice.scopes import AUDIO_PROCESS, CLONE_CREATE


def _clone(name: str, summary: str):
    return planned(name, {"POST": CLONE_CREATE}, {"POST": summary})


def _audio(name: str, summary: str):
    return planned(name, {"POST": AUDIO_PROCESS}, {"POST": summary})


urlpatterns = [
    path("clone/create-clips", _clone("clone_create_clips", "Create voice clone (multi-clip with regions)")),
    path("clone/create", _clone("clone_create", "Create voice clone (single sample)")),
    path("clone/create-multi", _clone("clone_create_multi", "Create voice clone (multi-sample)")),
    path("clone/cancel", _clone("clone_cancel", "Cancel clone creation")),
    path("design/create", _clone("design_create", "Create voice from description")),
    path("design/cancel", _clone("design_cancel", "Cancel design creation")),
    path("voices/<str:voice_id>/generate-preview", _clone("voice_generate_preview", "Generate voice preview")),
    path("transcribe", _audio("transcribe", "Transcribe audio (Whisper)")),
    path("audio-duration", _audio("audio_duration", "Get audio file duration")),
    path("download-video", _audio("download_video", "Download audio from video URL")),
]
