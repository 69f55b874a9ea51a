"""Word timings: when each word of a generation is heard, and the subtitles made from them.

`words` (pure, web-safe): the words of a text, filling and tidying timings, placing a take's words in a
generation's or a timeline's time base. `align` (worker only): Whisper forced alignment of the known text to
audio, for engines that do not report timings themselves. `subtitles`: SRT and WebVTT cues from timed words.
"""
