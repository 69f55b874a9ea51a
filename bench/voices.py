"""Every engine's voices on the same paragraph, per language: Whisper WER/CER, duration, real-time factor.

For each candidate language of Kokoro (en-us, en-gb, es, fr, it, pt-br, hi, ru, and ja when its front end is
installed) one fixed paragraph is spoken by every installed preset voice that can say it (Kokoro's voices in that
language; Piper, Festival and every eSpeak NG voice of the same base language), transcribed by the multilingual
Whisper model with the language given, and scored against the text. Engines run in this process, at speed 1.

The table decides two things (see synthesis/engines/intelligibility.py): the languages a Kokoro voice is offered
in (it must beat the best non-neural voice of the language), and which voice is preferred for a language.

    .venv/bin/python bench/voices.py                       # measure and print the table
    .venv/bin/python bench/voices.py --write               # ... and update synthesis/engines/intelligibility.json
    .venv/bin/python bench/voices.py --languages ru,es     # only some languages (--write merges them in)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clonyvoice.settings")

import django  # noqa: E402

django.setup()

from bench.texts import LIGHTHOUSE  # noqa: E402
from cloning.transcription import engine as whisper  # noqa: E402
from cloning.transcription.wer import char_error_rate, word_error_rate  # noqa: E402
from synthesis.engines import SynthesisRequest, registry  # noqa: E402
from synthesis.engines.intelligibility import CHARACTER_LANGUAGES, RESULTS_FILE  # noqa: E402
from synthesis.engines.kokoro import phonemes  # noqa: E402

WHISPER_MODEL = "base"
# One paragraph per language, no digits (Whisper writes numbers either way). About 40 words each, but English:
# Whisper hears most English voices perfectly on 40 words, so English gets the 200 of bench/tts.py to tell them apart.
PARAGRAPHS = {
    "en": LIGHTHOUSE,
    "es": (
        "El viejo faro estuvo al borde del puerto durante más de un siglo. Cada tarde el guardián subía la "
        "escalera estrecha para encender la lámpara, y cada mañana escribía una nota breve en el cuaderno."
    ),
    "fr": (
        "Le vieux phare se dressait au bord du port depuis plus d'un siècle. Chaque soir, le gardien montait "
        "l'escalier étroit pour allumer la lampe, et chaque matin il écrivait une courte note dans le journal."
    ),
    "it": (
        "Il vecchio faro è rimasto sul bordo del porto per più di un secolo. Ogni sera il guardiano saliva la "
        "scala stretta per accendere la lampada, e ogni mattina scriveva una breve nota nel registro."
    ),
    "pt": (
        "O velho farol ficou na beira do porto por mais de um século. Toda noite o faroleiro subia a escada "
        "estreita para acender a lâmpada, e toda manhã escrevia uma nota curta no caderno de bordo."
    ),
    "hi": (
        "पुराना प्रकाश स्तंभ सौ साल से भी ज़्यादा समय तक बंदरगाह के किनारे खड़ा रहा। हर शाम रखवाला संकरी सीढ़ियाँ "
        "चढ़कर दीपक जलाता था, और हर सुबह वह अपनी किताब में एक छोटा सा नोट लिखता था।"
    ),
    "ru": (
        "Старый маяк стоял на краю гавани больше ста лет. Каждый вечер смотритель поднимался по узкой лестнице, "
        "чтобы зажечь лампу, а каждое утро записывал короткую заметку в судовой журнал."
    ),
    "ja": (
        "古い灯台は長いあいだ港のはしに立っていました。毎晩、灯台守はせまい階段をのぼってランプをともし、"
        "毎朝、日誌に短いメモを書きました。"
    ),
}
CANDIDATES = ("en-us", "en-gb", "es", "fr", "it", "pt-br", "hi", "ru", "ja")


def voices_for(language: str) -> list[tuple[str, str, str]]:
    """(engine, voice id, technology) of every installed preset voice to measure in `language`."""
    base = language.split("-")[0]
    chosen = []
    for engine in registry().values():
        if not engine.is_installed():
            continue
        for voice in engine.voices():
            if engine.name == "kokoro":
                continue
            if any(tag.split("-")[0] == base for tag in voice.languages):
                chosen.append((engine.name, voice.voice_id, voice.technology))
    kokoro = registry().get("kokoro")
    if kokoro is not None and kokoro.is_installed() and language in phonemes.candidates():
        chosen += [("kokoro", name, "neural") for name in kokoro.table_names()]
    return chosen


def measure(language: str, cache: dict) -> list[dict]:
    text = PARAGRAPHS[language.split("-")[0]]
    rows = []
    for engine_name, voice_id, technology in voices_for(language):
        # Engines other than Kokoro ignore the variant, so their English is measured once for en-us and en-gb.
        key = (engine_name, voice_id, language if engine_name == "kokoro" else language.split("-")[0])
        if key not in cache:
            engine = registry()[engine_name]
            request = SynthesisRequest(text=text, voice_id=voice_id, language=language)
            started = time.perf_counter()
            try:
                spoken = engine.synthesize(request)
            except Exception as exc:  # noqa: BLE001 - a voice that cannot speak it is reported, not fatal
                print(f"  {engine_name}:{voice_id} failed: {exc}", file=sys.stderr)
                continue
            seconds = time.perf_counter() - started
            heard = whisper.transcribe(spoken, model=WHISPER_MODEL, language=language, word_timestamps=False).text
            cache[key] = {
                "wer": round(word_error_rate(text, heard), 4),
                "cer": round(char_error_rate(text, heard), 4),
                "duration": round(spoken.duration, 2),
                "rtf": round(seconds / max(spoken.duration, 1e-6), 3),
                "heard": heard.strip(),
            }
        rows.append(
            {"engine": engine_name, "voice": voice_id, "language": language, "technology": technology, **cache[key]}
        )
        row = rows[-1]
        print(
            f"  {language:6} {engine_name:9} {voice_id:28} WER {row['wer']:6.1%}  CER {row['cer']:6.1%}  "
            f"{row['duration']:5.1f} s  RTF {row['rtf']:.2f}",
            flush=True,
        )
        if os.environ.get("BENCH_SHOW_HEARD"):
            print(f"           heard: {row['heard']}", flush=True)
    return rows


def print_table(rows: list[dict]) -> None:
    print("\n| language | engine | voice | technology | WER | CER | duration | RTF |")
    print("|---|---|---|---|---|---|---|---|")
    for language in dict.fromkeys(r["language"] for r in rows):
        judged = "cer" if language.split("-")[0] in CHARACTER_LANGUAGES else "wer"
        for r in sorted((r for r in rows if r["language"] == language), key=lambda r: (r[judged], r["voice"])):
            print(
                f"| {language} | {r['engine']} | {r['voice']} | {r['technology']} | {r['wer']:.1%} | {r['cer']:.1%} "
                f"| {r['duration']:.1f} s | {r['rtf']:.2f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--languages", default=",".join(CANDIDATES))
    parser.add_argument("--write", action="store_true", help=f"update {RESULTS_FILE.relative_to(ROOT)}")
    args = parser.parse_args()
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    unknown = [code for code in languages if code not in CANDIDATES]
    if unknown:
        parser.error(f"unknown languages {unknown}; candidates: {', '.join(CANDIDATES)}")
    cache: dict = {}
    rows: list[dict] = []
    for language in languages:
        if language == "ja" and "ja" not in phonemes.candidates():
            print("ja: skipped, its front end (pyopenjtalk-plus) is not installed", file=sys.stderr)
            continue
        print(f"{language}:", flush=True)
        rows += measure(language, cache)
    print_table(rows)
    if args.write:
        try:
            kept = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))["results"]
        except (OSError, ValueError, KeyError):
            kept = []
        measured = {r["language"] for r in rows}
        results = [r for r in kept if r["language"] not in measured] + [
            {k: v for k, v in r.items() if k != "heard"} for r in rows
        ]
        document = {
            "measured": dt.date.today().isoformat(),
            "command": ".venv/bin/python bench/voices.py --write",
            "whisper_model": WHISPER_MODEL,
            "paragraphs": PARAGRAPHS,
            "results": results,
        }
        RESULTS_FILE.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {RESULTS_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
