/** Strings of the Studio's play-through, which starts while later sentences are still being made. */
export const en = {
  "playAsMade.play": "Play all",
  "playAsMade.stop": "Stop",
  "playAsMade.waiting": "Waiting for sentence {n}… (stop)",
} as const;

export const ru: Record<keyof typeof en, string> = {
  "playAsMade.play": "Слушать всё",
  "playAsMade.stop": "Стоп",
  "playAsMade.waiting": "Ждём предложение {n}… (стоп)",
};
