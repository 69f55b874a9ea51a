"""Speaking one chunk with a voice: the engine call plus ClonyVoice's generic speed/pitch."""

from __future__ import annotations

from clonyvoice import audio
from synthesis.engines import Audio, SynthesisRequest, TimedSpeechEngine, WordTiming, get_engine
from voices.models import Voice


def speak(*, voice: Voice, text: str, language: str | None, speed: float, pitch: float, seed: int | None) -> Audio:
    """Synthesize `text`. Engines that cannot change speed or pitch themselves get Rubber Band after."""
    return speak_timed(voice=voice, text=text, language=language, speed=speed, pitch=pitch, seed=seed)[0]


def speak_timed(
    *, voice: Voice, text: str, language: str | None, speed: float, pitch: float, seed: int | None
) -> tuple[Audio, list[WordTiming | None] | None]:
    """`speak`, plus the engine's word timings when it knows them (None when it does not: align them later)."""
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
    words: list[WordTiming | None] | None = None
    if caps.word_timings and isinstance(engine, TimedSpeechEngine):
        result, words = engine.synthesize_timed(request)
    else:
        result = engine.synthesize(request)
    stretch = 1.0 if caps.speed else speed
    if words is not None and stretch != 1.0:  # Rubber Band below makes every moment 1/speed as late
        words = [None if w is None else WordTiming(w.word, w.start / stretch, w.end / stretch) for w in words]
    return audio.change_speed_and_pitch(result, speed=stretch, pitch=0.0 if caps.pitch else pitch), words
