/** Languages of the library by name (Intl.DisplayNames), for filters and pickers: never bare codes. */
import type { Voice } from "../../api";
import { baseLanguage, languageName } from "../../voices";

export interface NamedLanguage {
  code: string;
  name: string;
}

function byName(items: NamedLanguage[], locale: string): NamedLanguage[] {
  return items.sort((a, b) => a.name.localeCompare(b.name, locale));
}

/**
 * Names for codes the browser's Intl data has no name for (Chromium knows no "ba", "bpy" or "cv"): the name of
 * a preset whose main (first) language it is, without the word all of its engine's presets start with
 * ("eSpeak Bashkir" → "Bashkir").
 */
function presetNames(voices: readonly Voice[]): Map<string, string> {
  const firstWords = new Map<string, Set<string>>();
  for (const voice of voices) {
    if (voice.kind !== "preset") continue;
    const words = firstWords.get(voice.engine) ?? new Set<string>();
    words.add(voice.name.split(" ")[0]);
    firstWords.set(voice.engine, words);
  }
  const names = new Map<string, string>();
  for (const voice of voices) {
    if (voice.kind !== "preset" || voice.languages.length === 0) continue;
    const shared = firstWords.get(voice.engine)?.size === 1;
    const name = shared ? voice.name.split(" ").slice(1).join(" ") : voice.name;
    const code = voice.languages[0].toLowerCase();
    if (name && !names.has(code)) names.set(code, name);
  }
  return names;
}

function namer(voices: readonly Voice[], locale: string): (code: string) => string {
  const fallback = presetNames(voices);
  return (code) => {
    const name = languageName(code, locale);
    return name === code ? (fallback.get(code.toLowerCase()) ?? code) : name;
  };
}

/**
 * Base languages in two groups, each sorted by name: `main`, spoken by a voice better than eSpeak's formant
 * synthesis or by an own voice; `more`, spoken only by formant presets (ba, bpy, cv, grc…).
 */
export function languageGroups(voices: readonly Voice[], locale: string): { main: NamedLanguage[]; more: NamedLanguage[] } {
  const good = new Set<string>();
  const all = new Set<string>();
  for (const voice of voices) {
    const formantOnly = voice.kind === "preset" && voice.technology === "formant";
    for (const code of voice.languages) {
      const base = baseLanguage(code);
      all.add(base);
      if (!formantOnly) good.add(base);
    }
  }
  const nameOf = namer(voices, locale);
  const named = (codes: string[]) => byName(codes.map((code) => ({ code, name: nameOf(code) })), locale);
  return { main: named([...all].filter((code) => good.has(code))), more: named([...all].filter((code) => !good.has(code))) };
}

/**
 * Language tags to pick from (the library's, plus `extra`), one per name: "en-gb" and "en-gb-x-rp" are both
 * "British English", so the shorter tag stands for both.
 */
export function languageChoices(voices: readonly Voice[], extra: readonly string[], locale: string): NamedLanguage[] {
  const tags = [...new Set([...voices.flatMap((voice) => voice.languages), ...extra].map((tag) => tag.toLowerCase()))];
  tags.sort((a, b) => a.length - b.length || a.localeCompare(b));
  const nameOf = namer(voices, locale);
  const seen = new Map<string, NamedLanguage>();
  for (const code of tags) {
    const name = nameOf(code);
    if (!seen.has(name)) seen.set(name, { code, name });
  }
  return byName([...seen.values()], locale);
}
