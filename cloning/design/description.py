# ruff: noqa: RUF001, SIM905
"""Voice design: a description in words → parameters (`DesignParams`), which a design engine turns into a voice.

No model for this reaches a user's machine, so the description is parsed with word lists (English and Russian,
the languages of the preset voices and of ClonyVoice's documentation) into gender, age, pitch, pace,
warmth/brightness, breathiness, expressiveness and accent. Words that mean nothing here are reported back as
ignored rather than silently dropped. The same description and seed always give the same parameters, base voice
and reference audio.
"""

from __future__ import annotations

import re
from typing import Any

from synthesis.engines import DesignParams

# word (English exact, or a Russian stem) -> (trait, value)
ENGLISH: dict[str, tuple[str, Any]] = {}
RUSSIAN_STEMS: dict[str, tuple[str, Any]] = {}


def _add(table: dict[str, tuple[str, Any]], words: str, trait: str, value: Any) -> None:
    for word in words.split():
        table[word] = (trait, value)


_add(
    ENGLISH,
    "male man men guy boy masculine gentleman he him his father dad grandfather grandpa baritone bass",
    "gender",
    "male",
)
_add(
    ENGLISH,
    "female woman women lady girl feminine she her mother mom grandmother grandma soprano alto",
    "gender",
    "female",
)
_add(ENGLISH, "child kid kids childlike", "age", "child")
_add(ENGLISH, "young youthful teen teenage teenager boyish girlish", "age", "young")
_add(ENGLISH, "adult middle-aged mature grown", "age", "middle")
_add(ENGLISH, "old older elderly aged senior ancient grandfather grandmother grandpa grandma", "age", "old")
_add(ENGLISH, "low low-pitched deep deeper bassy booming", "pitch", -1.0)
_add(ENGLISH, "high high-pitched higher squeaky shrill piping", "pitch", 1.0)
_add(ENGLISH, "slow slowly calm calmly relaxed measured unhurried leisurely soothing sleepy", "pace", -1.0)
_add(ENGLISH, "fast quick quickly rapid hurried energetic excited lively brisk", "pace", 1.0)
_add(ENGLISH, "warm soft mellow rich smooth dark velvety gentle round", "warmth", 1.0)
_add(ENGLISH, "bright crisp clear sharp thin light nasal metallic", "warmth", -1.0)
_add(ENGLISH, "breathy whispery whispering airy husky raspy hoarse gravelly rough smoky", "breathiness", 1.0)
_add(ENGLISH, "monotone monotonous flat robotic dull", "expressiveness", -1.0)
_add(ENGLISH, "expressive animated dramatic dynamic cheerful emotional", "expressiveness", 1.0)
_add(ENGLISH, "british english uk london", "accent", "en-gb")
_add(ENGLISH, "scottish scots", "accent", "en-gb-scotland")
_add(ENGLISH, "american us usa", "accent", "en-us")
_add(ENGLISH, "caribbean jamaican", "accent", "en-029")
_add(ENGLISH, "russian", "accent", "ru")
_add(ENGLISH, "german", "accent", "de")
_add(ENGLISH, "french", "accent", "fr")
_add(ENGLISH, "spanish", "accent", "es")
_add(ENGLISH, "italian", "accent", "it")
_add(ENGLISH, "very extremely really super quite", "intensity", 1.5)
_add(ENGLISH, "slightly somewhat bit little mildly rather", "intensity", 0.5)
ENGLISH_FILLER = set(
    "a an the and with voice voiced sounding sounds sound speaker speaking speaks talks who that of in on to is "
    "but or tone toned pitched accent accented person narrator like kind sort".split()
)

_add(RUSSIAN_STEMS, "мужск мужчин парен мальчик дедушк отец", "gender", "male")
_add(RUSSIAN_STEMS, "женск женщин девушк девочк бабушк мать мама", "gender", "female")
_add(RUSSIAN_STEMS, "детск ребён ребен", "age", "child")
_add(RUSSIAN_STEMS, "молод юн", "age", "young")
_add(RUSSIAN_STEMS, "средн взросл зрел", "age", "middle")
_add(RUSSIAN_STEMS, "стар пожил", "age", "old")
_add(RUSSIAN_STEMS, "низк глубок басовит", "pitch", -1.0)
_add(RUSSIAN_STEMS, "высок писклив тонк", "pitch", 1.0)
_add(RUSSIAN_STEMS, "медлен спокойн неторопл размерен", "pace", -1.0)
_add(RUSSIAN_STEMS, "быстр энергичн бодр", "pace", 1.0)
_add(RUSSIAN_STEMS, "тёпл тепл мягк бархат", "warmth", 1.0)
_add(RUSSIAN_STEMS, "ярк звонк чётк четк резк", "warmth", -1.0)
_add(RUSSIAN_STEMS, "хрипл шёпот шепот придыхан сипл", "breathiness", 1.0)
_add(RUSSIAN_STEMS, "монотон", "expressiveness", -1.0)
_add(RUSSIAN_STEMS, "выразит эмоционал", "expressiveness", 1.0)
_add(RUSSIAN_STEMS, "британ английск", "accent", "en-gb")
_add(RUSSIAN_STEMS, "американ", "accent", "en-us")
_add(RUSSIAN_STEMS, "русск", "accent", "ru")
_add(RUSSIAN_STEMS, "очень", "intensity", 1.5)
_add(RUSSIAN_STEMS, "немног слегк чуть", "intensity", 0.5)
RUSSIAN_FILLER = set("с со и голос голосом голоса говорит говорящий акцент акцентом тон тоном в на но или как".split())

WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def _lookup(word: str) -> tuple[str, Any] | None:
    if word in ENGLISH:
        return ENGLISH[word]
    for stem, meaning in RUSSIAN_STEMS.items():
        if word.startswith(stem):
            return meaning
    return None


def parse_description(description: str) -> DesignParams:
    """Turn the description's words into parameters; unknown words go to `ignored` (in order, once each)."""
    params = DesignParams()
    intensity = 1.0
    for raw in WORD_RE.findall(description.lower()):
        word = raw.strip("-")
        meaning = _lookup(word)
        if meaning is None and "-" in word:
            parts = [_lookup(p) for p in word.split("-")]
            meaning = next((p for p in parts if p is not None), None)
        if meaning is None:
            if word not in ENGLISH_FILLER and word not in RUSSIAN_FILLER and word not in params.ignored:
                params.ignored.append(word)
            continue
        trait, value = meaning
        params.recognized.append(word)
        if trait == "intensity":
            intensity = float(value)
            continue
        if trait in ("gender", "age", "accent"):
            setattr(params, trait, value)
            if trait == "age" and value == "old" and word in ("grandfather", "grandpa"):
                params.gender = params.gender or "male"
        else:
            setattr(params, trait, max(-2.0, min(2.0, getattr(params, trait) + float(value) * intensity)))
        intensity = 1.0
    return params


def with_overrides(params: DesignParams, *, gender: str | None, age: str | None, language: str | None) -> DesignParams:
    """Explicit request fields win over what the description says."""
    if gender:
        params.gender = gender
    if age:
        params.age = age if age in ("child", "young", "middle", "old") else _age_bucket(age)
    if language and not params.accent:
        params.accent = language.lower()
    return params


def _age_bucket(age: str) -> str:
    """An age in years ("67") or a word ("elderly") as a bucket: child, young, middle or old."""
    if age.strip().isdigit():
        years = int(age)
        return "child" if years < 13 else "young" if years < 30 else "middle" if years < 60 else "old"
    meaning = _lookup(age.strip().lower())
    return str(meaning[1]) if meaning and meaning[0] == "age" else ""
