"""Speaking one chunk with a voice: the engine call plus ClonyVoice's generic speed/pitch."""

from __future__ import annotations

from clonyvoice import audio
from synthesis.engines import Audio, SynthesisRequest, get_engine
from voices.models import Voice


def speak(*, voice: Voice, text: str, language: str | None, speed: float, pitch: float, seed: int | None) -> Audio:
    """Synthesize `text`. Engines that cannot change speed or pitch themselves get Rubber Band after."""
    engine = get_engine(voice.engine)
    caps = engine.capabilities
    request = SynthesisRequest(
        text=text,
        voice_id=voice.engine_voice_id,
        language=language,
        speed=speed if caps.speed else 1.0,
        pitch=pitch if caps.pitch else 0.0,
        seed=seed,
        options={"profile": voice.profile} if voice.profile else {},
    )
    result = engine.synthesize(request)
    return audio.change_speed_and_pitch(result, speed=1.0 if caps.speed else speed, pitch=0.0 if caps.pitch else pitch)
