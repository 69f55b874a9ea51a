/** Strings of the Studio's word timings: the spoken word highlighted, subtitles to download. */
export const en = {
  "subtitles.download": "Download subtitles",
  "subtitles.srt": "SRT",
  "subtitles.vtt": "WebVTT",
  "subtitles.srtTitle": "Subtitles as SubRip (.srt)",
  "subtitles.vttTitle": "Subtitles as WebVTT (.vtt)",
  "subtitles.aligning": "Timing the words…",
  "subtitles.failed": "The words could not be timed: {error}",
  "subtitles.notReady": "Subtitles come once every sentence is spoken.",
} as const;

export const ru: Record<keyof typeof en, string> = {
  "subtitles.download": "Скачать субтитры",
  "subtitles.srt": "SRT",
  "subtitles.vtt": "WebVTT",
  "subtitles.srtTitle": "Субтитры в формате SubRip (.srt)",
  "subtitles.vttTitle": "Субтитры в формате WebVTT (.vtt)",
  "subtitles.aligning": "Размечаем слова по времени…",
  "subtitles.failed": "Не удалось разметить слова: {error}",
  "subtitles.notReady": "Субтитры появятся, когда будут озвучены все предложения.",
};
