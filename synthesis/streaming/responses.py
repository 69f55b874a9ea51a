"""The web half of streamed speech: an HTTP response that grows sentence by sentence.

Raw audio (chunked transfer) or OpenAI's server-sent events (`speech.audio.delta` with base64 audio, then
`speech.audio.done`). A client that goes away cancels the job: the worker stops at its next sentence.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AbstractBaseUser
from django.http import StreamingHttpResponse

from clonyvoice.audio import content_type
from clonyvoice.jobs import job_cancel
from synthesis.streaming.encode import encoded
from synthesis.streaming.relay import STALLED, StreamEnded, sentences, stream_abandon

logger = logging.getLogger(__name__)

STREAM_FORMATS = ("audio", "sse")
# Each delta event carries at most this much audio (before base64), so players get it in even steps.
SSE_DELTA_BYTES = 16 * 1024


def _sse(event: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(event, separators=(",", ":")).encode() + b"\n\n"


def _deltas(data: bytes) -> list[bytes]:
    return [
        _sse({"type": "speech.audio.delta", "audio": base64.b64encode(data[i : i + SSE_DELTA_BYTES]).decode()})
        for i in range(0, len(data), SSE_DELTA_BYTES)
    ]


async def _stream(
    *, owner: AbstractBaseUser, job_id: Any, fmt: str, sse: bool, input_chars: int
) -> AsyncIterator[bytes]:
    complete = False
    try:
        async for data in encoded(sentences(job_id), fmt):
            for part in _deltas(data) if sse else [data]:
                yield part
        if sse:
            # No tokens here: the input is counted in characters, as ClonyVoice's limits count it.
            usage = {"input_tokens": input_chars, "output_tokens": 0, "total_tokens": input_chars}
            yield _sse({"type": "speech.audio.done", "usage": usage})
        complete = True
    except StreamEnded as ended:
        # The status line went out with the first byte: raw audio just stops, and the job says why.
        logger.warning("stream of %s ended early (%s): %s", job_id, ended.status, ended.error)
        if ended.status == STALLED:
            # No worker took the job in time: nothing else will cancel it.
            await sync_to_async(job_cancel)(owner=owner, job_id=job_id)
        if sse:
            yield _sse({"type": "error", "error": {"code": f"generation_{ended.status}", "message": ended.error}})
    finally:
        if not complete:
            # Shielded: this also runs while the server cancels the response because the client left.
            await asyncio.shield(stream_abandon(job_id))


def stream_response(
    *, owner: AbstractBaseUser, job_id: Any, fmt: str, stream_format: str = "audio", input_chars: int = 0
) -> StreamingHttpResponse:
    """The response for a streamed generation's job; `X-Task-Id` names the job (history, Studio, /ws)."""
    sse = stream_format == "sse"
    response = StreamingHttpResponse(
        _stream(owner=owner, job_id=job_id, fmt=fmt, sse=sse, input_chars=input_chars),
        content_type="text/event-stream" if sse else content_type(fmt),
    )
    response["X-Task-Id"] = str(job_id)
    response["Cache-Control"] = "no-cache"
    return response
