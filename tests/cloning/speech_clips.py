"""Spoken test clips with known text, made with the installed Piper voice (eSpeak NG when Piper is missing)."""

from __future__ import annotations

from pathlib import Path

from clonyvoice.audio import Audio, write_wav
from synthesis.engines import SynthesisRequest, get_engine


def speak(text: str) -> Audio:
    piper = get_engine("piper")
    if piper.is_installed():
        return piper.synthesize(SynthesisRequest(text=text, voice_id=piper.voices()[0].voice_id))
    espeak = get_engine("espeak")
    return espeak.synthesize(SynthesisRequest(text=text, voice_id="en-us"))


def speech_wav(path: Path, text: str) -> Path:
    write_wav(path, speak(text))
    return path
