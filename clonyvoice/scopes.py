"""API scopes and their default per-minute limits, as the API contract gives them."""

from __future__ import annotations

TTS_GENERATE = "tts:generate"
TTS_TIMELINE = "tts:timeline"
VOICES_READ = "voices:read"
VOICES_WRITE = "voices:write"
CLONE_CREATE = "clone:create"
AUDIO_PROCESS = "audio:process"
SYSTEM_READ = "system:read"
WS_CONNECT = "ws:connect"

DEFAULT_LIMITS: dict[str, int] = {
    TTS_GENERATE: 10,
    TTS_TIMELINE: 30,
    VOICES_READ: 60,
    VOICES_WRITE: 20,
    CLONE_CREATE: 2,
    AUDIO_PROCESS: 5,
    SYSTEM_READ: 60,
    WS_CONNECT: 5,
}

ALL_SCOPES: tuple[str, ...] = tuple(DEFAULT_LIMITS)

DESCRIPTIONS: dict[str, str] = {
    TTS_GENERATE: "Generate speech (TTS)",
    TTS_TIMELINE: "Timeline editor access",
    VOICES_READ: "Read voices & categories",
    VOICES_WRITE: "Modify / delete voices",
    CLONE_CREATE: "Create voice clones",
    AUDIO_PROCESS: "Process audio files",
    SYSTEM_READ: "Read system info",
    WS_CONNECT: "WebSocket connection",
}
