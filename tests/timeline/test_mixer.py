"""The streaming mixer on its own: exact lengths, sums, trims, gains, fades, windows, conversions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from clonyvoice.audio import Audio, write_wav
from tests.timeline.factories import mono_wav_16k, read_wav_frames, stereo_mp3, tone
from timeline.mixer import MixBlock, MixSource, frames_at, mix_frames, mix_windows, render_audio

RATE = 24_000


@pytest.fixture
def sources(tmp_path: Path) -> dict[str, tuple[MixSource, np.ndarray]]:
    out = {}
    for name, frames, freq in (("a", 24_000, 220.0), ("b", 9_600, 330.0)):
        samples = tone(frames, RATE, freq)
        path = tmp_path / f"{name}.wav"
        write_wav(path, Audio(samples, RATE))
        # What the WAV holds after 16-bit quantisation is what the mix must reproduce.
        out[name] = (MixSource(key=name, path=path), read_wav_frames(path)[0][:, 0])
    return out


def _expected(blocks: list[tuple[MixBlock, np.ndarray]], total: int) -> np.ndarray:
    out = np.zeros(total, dtype=np.float64)
    for block, samples in blocks:
        begin = round(block.start * RATE)
        length = frames_at(block.start + block.out_point - block.in_point, RATE) - begin
        piece = np.zeros(length)
        src = samples[round(block.in_point * RATE) :][:length]
        piece[: len(src)] = src
        env = np.ones(length)
        fi, fo = round(block.fade_in * RATE), round(block.fade_out * RATE)
        index = np.arange(length)
        if fi:
            env *= np.minimum(1.0, index / fi)
        if fo:
            env *= np.minimum(1.0, (length - index) / fo)
        out[begin : begin + length] += piece * env * block.gain
    return out


def test_frames_at_rounds_up_but_not_on_float_noise():
    assert frames_at(3.2, 24_000) == 76_800  # 3.2 * 24000 is 76800.00000000001 in floats
    assert frames_at(1 / 24_000 * 0.5, 24_000) == 1
    assert frames_at(0.0, 24_000) == 0


@pytest.mark.parametrize("window_seconds", [10.0, 0.05, 0.0137])
def test_overlaps_trims_gains_and_fades_sum_exactly_across_windows(sources, tmp_path, window_seconds):
    (a, a_samples), (b, b_samples) = sources["a"], sources["b"]
    plan = [
        (MixBlock(a, start=0.0, in_point=0.1, out_point=0.9, gain=0.5, fade_in=0.05, fade_out=0.2), a_samples),
        (MixBlock(b, start=0.5, in_point=0.0, out_point=0.4, gain=1.0), b_samples),  # overlaps the first
        (MixBlock(a, start=1.25, in_point=0.5, out_point=1.0, gain=2.0, fade_out=0.5), a_samples),
    ]
    blocks = [p[0] for p in plan]
    total = mix_frames(blocks, RATE)
    assert total == frames_at(1.75, RATE) == 42_000
    windows = list(mix_windows(blocks, rate=RATE, channels=1, scratch=tmp_path, window_seconds=window_seconds))
    mixed = np.concatenate(windows)[:, 0]
    assert len(mixed) == total
    assert np.max(np.abs(mixed - _expected(plan, total))) < 1e-5
    assert max(len(w) for w in windows) <= max(1, int(window_seconds * RATE))


def test_render_writes_exact_length_wav_with_silence_between(sources, tmp_path):
    (a, _), (b, _) = sources["a"], sources["b"]
    blocks = [MixBlock(a, 0.0, 0.0, 1.0), MixBlock(b, 2.5, 0.0, 0.4)]
    out = tmp_path / "out.wav"
    written = render_audio(blocks, path=out, fmt="wav", rate=RATE, channels=1, scratch=tmp_path)
    frames, rate = read_wav_frames(out)
    assert rate == RATE
    assert written == len(frames) == frames_at(2.9, RATE)
    assert not np.any(frames[RATE + 10 : int(2.5 * RATE) - 10])


def test_other_rates_and_channels_are_decoded_once_and_converted(tmp_path):
    music = MixSource(key="music", path=stereo_mp3(tmp_path, 2.0), channels=2, container="mp3")
    ambience = MixSource(key="ambience", path=mono_wav_16k(tmp_path, 1.5), channels=1, container="wav")
    blocks = [MixBlock(music, 0.0, 0.0, 1.0), MixBlock(music, 1.0, 1.0, 1.9), MixBlock(ambience, 0.3, 0.0, 1.5)]
    out = tmp_path / "mixed.flac"
    written = render_audio(blocks, path=out, fmt="flac", rate=44_100, channels=2, scratch=tmp_path)
    assert written == frames_at(1.9, 44_100)
    decoded = list(tmp_path.glob("*.f32"))
    assert len(decoded) == 2  # the mp3 once (two blocks), the 16 kHz wav once
    wav = tmp_path / "check.wav"
    import subprocess

    subprocess.run(["ffmpeg", "-v", "error", "-i", str(out), "-c:a", "pcm_s16le", str(wav)], check=True)
    frames, rate = read_wav_frames(wav)
    assert (rate, frames.shape) == (44_100, (written, 2))
    assert np.abs(frames[:, 0] - frames[:, 1]).max() > 0.05  # left and right stay different


def test_stereo_source_into_mono_mix_is_averaged(tmp_path):
    left, right = tone(4_800, RATE, 200.0), np.zeros(4_800, dtype=np.float32)
    path = tmp_path / "stereo.wav"
    import wave

    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((np.stack([left, right], axis=1) * 32767).astype("<i2").tobytes())
    block = MixBlock(MixSource(key="s", path=path, channels=2), 0.0, 0.0, 0.2)
    mixed = np.concatenate(list(mix_windows([block], rate=RATE, channels=1, scratch=tmp_path)))[:, 0]
    assert np.max(np.abs(mixed - left / 2)) < 1e-3
