"""Dramatiq actors of the cloning app. Workers autodiscover `<app>.tasks` modules: this one imports each
feature's actors (clone, design, transcription, download) so that they register."""

from __future__ import annotations

from cloning.clone.tasks import clone_voice, preview_voice
from cloning.design.tasks import design_voice
from cloning.download.tasks import download_video
from cloning.transcription.tasks import transcribe_audio

__all__ = ["clone_voice", "design_voice", "download_video", "preview_voice", "transcribe_audio"]
