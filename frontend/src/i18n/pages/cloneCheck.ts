/** Strings of the Clone page's check of each sample in the browser, before anything is uploaded. */
export const en = {
  "cloneCheck.checking": "Checking the audio…",
  "cloneCheck.ok": "Audio OK",
  "cloneCheck.undecodable": "This browser cannot read “{name}” as audio: it is not a sound recording (a text file or an image?) or it is damaged. Use a WAV, MP3, FLAC, OGG or M4A recording.",
  "cloneCheck.tooShort": "“{name}” is only {seconds} s long; a sample needs at least {min} s of speech.",
  "cloneCheck.fixFirst": "Remove or replace the samples marked in red, then create the voice.",
  "cloneCheck.waiting": "Waiting for the samples to be checked…",
} as const;

export const ru: Record<keyof typeof en, string> = {
  "cloneCheck.checking": "Проверяем звук…",
  "cloneCheck.ok": "Звук в порядке",
  "cloneCheck.undecodable": "Браузер не может прочитать «{name}» как звук: это не аудиозапись (текст или картинка?) или файл повреждён. Загрузите запись WAV, MP3, FLAC, OGG или M4A.",
  "cloneCheck.tooShort": "«{name}» длится всего {seconds} с, а для образца нужно не меньше {min} с речи.",
  "cloneCheck.fixFirst": "Уберите или замените образцы, отмеченные красным, и создайте голос.",
  "cloneCheck.waiting": "Ждём окончания проверки образцов…",
};
