/** Descriptions of preset voices in the UI's language: the engines write them in English, from fixed facts. */
export const en = {
  "presetText.kokoro": "Kokoro-82M neural voice ({voice}), 24 kHz; one timbre in every language it lists.",
  "presetText.piper": "{quality} quality, {rate} Hz neural voice",
  "presetText.quality.x_low": "extra low",
  "presetText.quality.low": "low",
  "presetText.quality.medium": "medium",
  "presetText.quality.high": "high",
} as const;

export const ru: Record<keyof typeof en, string> = {
  "presetText.kokoro": "Нейросетевой голос Kokoro-82M ({voice}), 24 кГц; один тембр на всех перечисленных языках.",
  "presetText.piper": "Нейросетевой голос, {quality} качество, {rate} Гц",
  "presetText.quality.x_low": "очень низкое",
  "presetText.quality.low": "низкое",
  "presetText.quality.medium": "среднее",
  "presetText.quality.high": "высокое",
};
