/** Strings of the Studio's language check (a text in a language the chosen voice does not speak). */
export const en = {
  "languageCheck.notSpoken": "This text has {language} in it, which the voice “{voice}” does not speak.",
  "languageCheck.notSpokenOther": "This text is partly in a language the voice “{voice}” does not speak.",
  "languageCheck.chooseOne": "Choose a voice that does:",
  "languageCheck.noneInstalled": "No installed voice speaks it: remove that part of the text or choose the language by hand.",
} as const;

export const ru: Record<keyof typeof en, string> = {
  "languageCheck.notSpoken": "В тексте есть фрагмент на языке «{language}», а голос «{voice}» на нём не говорит.",
  "languageCheck.notSpokenOther": "Часть текста написана на языке, на котором голос «{voice}» не говорит.",
  "languageCheck.chooseOne": "Выберите голос, который на нём говорит:",
  "languageCheck.noneInstalled": "Ни один установленный голос на нём не говорит: уберите эту часть текста или выберите язык вручную.",
};
