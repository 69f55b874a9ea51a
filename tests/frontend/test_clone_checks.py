"""The Clone page checks each sample in the browser before anything is uploaded (headless Chromium against the
real product): a text file, a PNG, a text file named .wav and a 1 s recording are refused with the reason in the
user's language, and "Create voice" stays disabled until only good samples are left."""

from __future__ import annotations

import struct
import subprocess
import wave
import zlib
from pathlib import Path

import pytest

from tests.frontend.test_browser import _log_in, _shot, page  # noqa: F401 - the page fixture

pytestmark = [pytest.mark.live, pytest.mark.browser]


def _png(path: Path) -> Path:
    """A real PNG image, one pixel."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")
    )
    return path


def _silence(path: Path, seconds: float) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(b"\0\0" * int(16_000 * seconds))
    return path


SPEECH = "A good sample is a few seconds of clear speech, like this one."
REFUSED = {"text": "undecodable", "png": "undecodable", "fake": "undecodable", "short": "tooShort"}


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("samples")
    text = folder / "notes.txt"
    text.write_text("These are notes, not a recording.")
    fake = folder / "fake.wav"
    fake.write_text("RIFF? no, just text pretending to be a wave file.")
    speech = folder / "speech.wav"
    subprocess.run(
        [
            "espeak-ng",
            "-v",
            "en-us",
            "-w",
            str(speech),
            SPEECH,
        ],
        check=True,
        timeout=60,
    )
    return {
        "text": text,
        "png": _png(folder / "picture.png"),
        "fake": fake,
        "short": _silence(folder / "short.wav", 1.0),
        "good": speech,
    }


def _check(page, index: int) -> str:  # noqa: F811
    item = page.get_by_test_id(f"clone-file-{index}")
    page.wait_for_function(
        "el => el.dataset.check !== 'checking'", arg=item.element_handle(), timeout=30_000, polling=100
    )
    return item.get_attribute("data-check")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_samples_are_checked_before_upload(page, product, samples, language, tmp_path):  # noqa: F811
    page.set_default_timeout(45_000)  # the machine is shared: a login can take long under load
    _log_in(page, product)
    page.evaluate(f"localStorage.setItem('clonyvoice.lang', '{language}')")
    page.get_by_test_id("nav-clone").click()
    page.reload()
    create = page.get_by_test_id("clone-create")
    file_input = page.get_by_test_id("clone-file-input")

    order = ["text", "png", "fake", "short", "good"]
    file_input.set_input_files([str(samples[name]) for name in order])
    checks = {name: _check(page, index) for index, name in enumerate(order)}
    assert checks == {
        "text": "undecodable",
        "png": "undecodable",
        "fake": "undecodable",
        "short": "tooShort",
        "good": "ok",
    }

    reasons = {
        name: page.get_by_test_id(f"clone-file-check-{index}").inner_text() for index, name in enumerate(order[:4])
    }
    assert "picture.png" in reasons["png"] and "short.wav" in reasons["short"]
    assert "DEMUXER" not in " ".join(reasons.values())
    if language == "ru":
        assert "Браузер не может прочитать" in reasons["text"]
        assert "всего 1" in reasons["short"] and "не меньше 3" in reasons["short"]
    else:
        assert "cannot read" in reasons["fake"]
        assert "1 s long" in reasons["short"] and "3 s" in reasons["short"]
    assert create.is_disabled()
    page.get_by_test_id("clone-create-blocked").wait_for()
    _shot(page, f"clone-checks-{language}", tmp_path)

    # Take the bad ones away (the list renumbers): only the good recording is left, and Create is possible.
    for _ in range(4):
        page.get_by_test_id("clone-file-remove-0").click()
    page.locator('[data-testid="clone-file-count"][data-count="1"]').wait_for()
    assert _check(page, 0) == "ok"
    page.locator('[data-testid="clone-wave-0"][data-ready="true"]').wait_for()
    assert create.is_enabled()
    page.get_by_test_id("clone-create-blocked").wait_for(state="detached")
