"""OpenAI-compatible speech API, so the official `openai` client works against ClonyVoice unchanged.

`voice` may be one of OpenAI's names (mapped to a good installed voice for English), a ClonyVoice
voice id, or a voice name from the library; `model` may name an engine (`piper`, `espeak`, ...) or
be any OpenAI model name, which picks the best available voice.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import FileResponse, StreamingHttpResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from clonyvoice.api import ERROR_SCHEMA, FileView, ScopedView
from clonyvoice.audio import content_type
from clonyvoice.errors import NotFound, ServiceError
from clonyvoice.models import Job
from clonyvoice.scopes import TTS_GENERATE, VOICES_READ
from synthesis import services
from synthesis.models import Generation
from synthesis.scripts import detect_language_confident
from synthesis.streaming.responses import STREAM_FORMATS, stream_response
from voices.models import Voice
from voices.selectors import default_voice_for, voices_visible

# OpenAI's voice names, each mapped to the most intelligible voice of the input's language with its gender.
OPENAI_VOICES = {
    "alloy": "",
    "ash": "male",
    "ballad": "male",
    "coral": "female",
    "echo": "male",
    "fable": "male",
    "onyx": "male",
    "nova": "female",
    "sage": "female",
    "shimmer": "female",
    "verse": "male",
}
WAIT_SECONDS = 300
# Formats whose deltas would not be audio on their own in server-sent events.
SSE_REFUSED = ("wav",)
POLL_SECONDS = 0.05


class SpeechIn(serializers.Serializer):
    model = serializers.CharField(max_length=100, default="tts-1")
    input = serializers.CharField(trim_whitespace=False, allow_blank=True)
    voice = serializers.JSONField(help_text='A voice name or id, or {"id": ...}.')
    response_format = serializers.ChoiceField(choices=["mp3", "opus", "aac", "flac", "wav", "pcm"], default="mp3")
    speed = serializers.FloatField(min_value=0.5, max_value=2.0, default=1.0)
    instructions = serializers.CharField(required=False, allow_blank=True)
    stream_format = serializers.ChoiceField(
        choices=STREAM_FORMATS,
        default="audio",
        help_text="`audio`: the file's bytes as they are made; `sse`: `speech.audio.delta` events with base64 audio, "
        "then `speech.audio.done`.",
    )
    stream = serializers.BooleanField(
        default=True,
        help_text="ClonyVoice's own: `false` answers once the whole file is made (with its length), as before.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["stream_format"] == "sse" and not attrs["stream"]:
            raise ServiceError("stream_format sse is a stream: leave stream at true.", code="stream_required")
        if attrs["stream_format"] == "sse" and attrs["response_format"] in SSE_REFUSED:
            raise ServiceError(
                "wav cannot stream as server-sent events: its header claims a length no delta knows. "
                "Use pcm for the same samples without a header, or stream_format audio for a streaming WAV.",
                code="format_not_streamable",
                response_format=attrs["response_format"],
                stream_format="sse",
            )
        return attrs


def _resolve_voice(*, user: AbstractBaseUser, voice: Any, model: str, text: str) -> Voice:
    if isinstance(voice, dict):
        voice = voice.get("id", "")
    if not isinstance(voice, str) or not voice.strip():
        raise ServiceError("voice must be a voice name or id.", code="invalid")
    visible = voices_visible(user=user).filter(is_available=True)
    try:
        found = visible.filter(pk=uuid.UUID(voice)).first()
    except ValueError:
        found = visible.filter(name__iexact=voice).first() or visible.filter(engine_voice_id__iexact=voice).first()
    if found:
        return found
    if voice.lower() in OPENAI_VOICES:
        language = detect_language_confident(text) or "en"
        engine_voices = [v for v in visible.filter(engine=model) if v.speaks(language)] if model else []
        gender = OPENAI_VOICES[voice.lower()]
        chosen = engine_voices[0] if engine_voices else default_voice_for(user=user, language=language, gender=gender)
        if chosen:
            return chosen
    raise NotFound(f"No voice {voice!r}. GET /v1/audio/voices lists them.")


def _wait(job_id: Any) -> Job:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.is_finished:
            return job
        time.sleep(POLL_SECONDS)
    raise ServiceError("Speech was not ready in time; is the gpu worker running?", code="timeout", status=504)


class SpeechView(FileView):
    required_scopes = {"POST": TTS_GENERATE}

    @extend_schema(
        summary="OpenAI-compatible text to speech",
        description="The audio streams: the response starts with the first sentence and grows as the next ones are "
        "made (chunked transfer), or carries server-sent events with `stream_format: sse`. The generation is a job "
        "like any other (history, takes, /ws events); `X-Task-Id` names it. A client that disconnects cancels it.",
        request=SpeechIn,
        responses={
            (200, "audio/*"): bytes,
            (200, "text/event-stream"): str,
            400: ERROR_SCHEMA,
            404: ERROR_SCHEMA,
            429: ERROR_SCHEMA,
        },
        tags=["openai"],
    )
    def post(self, request: Request) -> FileResponse | StreamingHttpResponse:
        data = SpeechIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        voice = _resolve_voice(user=request.user, voice=d["voice"], model=d["model"], text=d["input"])
        segments = services.segments_single(user=request.user, text=d["input"], voice_id=str(voice.pk), language=None)
        job = services.generation_start(
            owner=request.user,
            mode=Generation.Mode.SINGLE,
            segments=segments,
            speed=d["speed"],
            fmt=d["response_format"],
            stream=d["stream"],
        )
        if d["stream"]:
            return stream_response(
                owner=request.user,
                job_id=job.pk,
                fmt=d["response_format"],
                stream_format=d["stream_format"],
                input_chars=len(d["input"]),
            )
        job = _wait(job.pk)
        if job.status != Job.Status.SUCCEEDED:
            raise ServiceError(job.error or f"Speech generation {job.status}.", code="generation_failed", status=503)
        generation = Generation.objects.get(pk=job.pk)
        return FileResponse(generation.output.open("rb"), content_type=content_type(d["response_format"]))


class VoicesView(ScopedView):
    required_scopes = {"GET": VOICES_READ}

    @extend_schema(
        summary="Voices for the OpenAI-compatible API",
        responses=inline_serializer("OpenAIVoices", {"voices": serializers.ListField()}),
        tags=["openai"],
    )
    def get(self, request: Request) -> Response:
        voices = voices_visible(user=request.user).filter(is_available=True).order_by("engine", "name")
        return Response(
            {
                "voices": [
                    {"id": str(v.pk), "name": v.name, "engine": v.engine, "languages": v.languages, "kind": v.kind}
                    for v in voices
                ],
                "aliases": list(OPENAI_VOICES),
            }
        )
