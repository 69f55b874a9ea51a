/** Strings of the Library's search and language lists (languages are named by Intl.DisplayNames). */
export const en = {
  "librarySearch.mainLanguages": "Languages",
  "librarySearch.moreLanguages": "More languages (eSpeak only)",
  "librarySearch.languagesHint": "Pick the languages this voice speaks; the first is its main one.",
  "librarySearch.addLanguage": "Add a language…",
  "librarySearch.removeLanguage": "Remove {language}",
  "librarySearch.noLanguages": "No language chosen yet.",
} as const;

export const ru: Record<keyof typeof en, string> = {
  "librarySearch.mainLanguages": "Языки",
  "librarySearch.moreLanguages": "Другие языки (только eSpeak)",
  "librarySearch.languagesHint": "Выберите языки, на которых говорит голос; первый — основной.",
  "librarySearch.addLanguage": "Добавить язык…",
  "librarySearch.removeLanguage": "Убрать: {language}",
  "librarySearch.noLanguages": "Язык ещё не выбран.",
};
