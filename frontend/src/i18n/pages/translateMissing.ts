/** Strings of the translation directions nothing installed covers (shown disabled, with what installs them). */
export const en = {
  "translateMissing.group": "Not installed",
  "translateMissing.option": "{language} — not installed",
  "translateMissing.title": "Directions not installed ({n})",
  "translateMissing.pair": "{source} → {target} needs a model. To install it:",
} as const;

export const ru: Record<keyof typeof en, string> = {
  "translateMissing.group": "Не установлено",
  "translateMissing.option": "{language} — не установлен",
  "translateMissing.title": "Не установленные направления ({n})",
  "translateMissing.pair": "Для перевода {source} → {target} нужна модель. Как установить:",
};
