/** Client-side mirrors of the server's script reading (synthesis/scripts.py), for live previews. */

const BRACKET = /^\s*\[([^\]\n]{1,60})\]\s*(.*)$/;
const COLON = /^\s*([^\s:][^:\n]{0,58}?)\s*:\s+(.+)$/;

export interface ScriptLine {
  speaker: string;
  text: string;
}

/** `Alice: Hello` / `[Alice] Hello` lines; a line without a speaker continues the previous one. */
export function parseScript(script: string): ScriptLine[] {
  const lines: ScriptLine[] = [];
  for (const raw of script.split(/\r?\n/)) {
    if (!raw.trim()) continue;
    const match = BRACKET.exec(raw) ?? COLON.exec(raw);
    if (match) {
      lines.push({ speaker: match[1].trim(), text: match[2].trim() });
    } else if (lines.length) {
      const last = lines[lines.length - 1];
      lines[lines.length - 1] = { speaker: last.speaker, text: `${last.text} ${raw.trim()}` };
    } else {
      lines.push({ speaker: "", text: raw.trim() });
    }
  }
  return lines.filter((line) => line.text);
}

/** Speaker names in order of first appearance ("" = lines before any speaker). */
export function scriptSpeakers(lines: ScriptLine[]): string[] {
  return [...new Set(lines.map((line) => line.speaker))];
}

const SCRIPTS: [RegExp, string][] = [
  [/\p{Script=Cyrillic}/u, "ru"],
  [/\p{Script=Greek}/u, "el"],
  [/\p{Script=Hebrew}/u, "he"],
  [/\p{Script=Arabic}/u, "ar"],
  [/\p{Script=Devanagari}/u, "hi"],
  [/\p{Script=Bengali}/u, "bn"],
  [/\p{Script=Thai}/u, "th"],
  [/\p{Script=Hangul}/u, "ko"],
  [/\p{Script=Hiragana}/u, "ja"],
  [/\p{Script=Katakana}/u, "ja"],
  [/\p{Script=Han}/u, "zh"],
  [/\p{Script=Georgian}/u, "ka"],
  [/\p{Script=Armenian}/u, "hy"],
  [/\p{Script=Latin}/u, "latin"],
];

const STOPWORDS: Record<string, Set<string>> = Object.fromEntries(
  Object.entries({
    en: "the and is are of to in that it you was for on with this have not",
    de: "der die das und ist nicht ich sie ein eine zu mit auf den dem",
    fr: "le la les et est une des pas que je vous il dans pour sur",
    es: "el la los las y es una que no de en por para con se muy",
    it: "il lo la gli e è una che non di per con sono della nel",
    pt: "o a os as e é uma que não de em para com são do da",
    nl: "de het een en is niet ik je van op met dat zijn voor",
    pl: "i w na nie jest że się to z do jak co ale",
    tr: "ve bir bu için ile de da ne çok değil ben sen",
    sv: "och att det är en som på inte jag med för av",
    cs: "a je to na se že v s jsem jak ale co",
    id: "dan yang di ini itu tidak dengan untuk ke dari saya",
    vi: "và là của có không một những được trong cho",
  }).map(([lang, words]) => [lang, new Set(words.split(" "))]),
);

/** A best guess of a sentence's language, like the server's (used only to show the preview). */
export function guessLanguage(text: string, fallback = "en"): string {
  const counts = new Map<string, number>();
  for (const char of text) {
    if (!/\p{L}/u.test(char)) continue;
    const hit = SCRIPTS.find(([pattern]) => pattern.test(char));
    const key = hit ? hit[1] : "";
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (counts.size === 0) return fallback;
  let script = "";
  let best = -1;
  for (const [key, n] of counts) {
    if (n > best) {
      best = n;
      script = key;
    }
  }
  if (script === "ru" && /[іїєґ]/iu.test(text)) return "uk";
  if (script === "zh" && counts.has("ja")) return "ja";
  if (script && script !== "latin") return script;
  const words = text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  let lang = fallback;
  let score = 0;
  for (const [code, stop] of Object.entries(STOPWORDS)) {
    const n = words.filter((word) => stop.has(word)).length;
    if (n > score) {
      score = n;
      lang = code;
    }
  }
  return lang;
}
