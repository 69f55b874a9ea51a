/** Voice helpers shared by the Library and the Studio: names of languages, samples, sorting. */
import { api, query, type JobAccepted, type Page, type Voice } from "./api";
import { resultAudioUrl, waitForJob } from "./jobs";
import type { LiveSocket } from "./ws";

/** A short sentence per language for "Play sample"; anything else is spoken in English. */
const SAMPLE_SENTENCES: Record<string, string> = {
  en: "Hello! This is how my voice sounds.",
  ru: "Здравствуйте! Вот так звучит мой голос.",
  de: "Hallo! So klingt meine Stimme.",
  fr: "Bonjour ! Voici comment sonne ma voix.",
  es: "¡Hola! Así suena mi voz.",
  it: "Ciao! Ecco come suona la mia voce.",
  pt: "Olá! É assim que a minha voz soa.",
};

export function baseLanguage(code: string): string {
  return code.toLowerCase().split(/[-_]/)[0];
}

export function sampleText(voice: Voice): { text: string; language: string | null } {
  const first = voice.languages[0];
  const base = first ? baseLanguage(first) : "en";
  if (SAMPLE_SENTENCES[base]) return { text: SAMPLE_SENTENCES[base], language: null };
  // The voice doesn't speak one of our sample languages well: read English if it can, else its own.
  const english = voice.languages.find((code) => baseLanguage(code) === "en");
  return { text: SAMPLE_SENTENCES.en, language: english ?? null };
}

const displayNames = new Map<string, Intl.DisplayNames | null>();

/** "English (United States)" for "en-us" in the UI language; the code itself when unknown. */
export function languageName(code: string, locale: string): string {
  if (!displayNames.has(locale)) {
    try {
      displayNames.set(locale, new Intl.DisplayNames([locale], { type: "language" }));
    } catch {
      displayNames.set(locale, null);
    }
  }
  const names = displayNames.get(locale);
  if (!names) return code;
  try {
    const name = names.of(code);
    return name && name.toLowerCase() !== code.toLowerCase() ? name : code;
  } catch {
    return code;
  }
}

const ENGINE_ORDER = ["piper", "festival", "espeak"];

/** Neural engines first, then by name. */
export function compareVoices(a: Voice, b: Voice): number {
  const ea = ENGINE_ORDER.indexOf(a.engine);
  const eb = ENGINE_ORDER.indexOf(b.engine);
  const ra = a.kind === "preset" ? 1 : 0;
  const rb = b.kind === "preset" ? 1 : 0;
  if (ra !== rb) return ra - rb;
  if (ea !== eb) return (ea < 0 ? 99 : ea) - (eb < 0 ? 99 : eb);
  return a.name.localeCompare(b.name);
}

/** Every voice the user can see (the server allows up to 500 a page). */
export async function loadAllVoices(signal?: AbortSignal): Promise<Voice[]> {
  const all: Voice[] = [];
  for (let page = 1; page <= 20; page += 1) {
    const data = await api.get<Page<Voice>>(`/api/voices${query({ page, page_size: 500 })}`, { signal });
    all.push(...data.results);
    if (all.length >= data.count || data.results.length === 0) break;
  }
  return all.sort(compareVoices);
}

/** Sample audio per voice, made once per browser session. */
const sampleUrls = new Map<string, string>();
const sampleRuns = new Map<string, Promise<string>>();

export function cachedSample(voiceId: string): string | null {
  return sampleUrls.get(voiceId) ?? null;
}

export class SampleError extends Error {}

/** The URL of a short sample of the voice: the stored preview, a cached one, or a newly generated one. */
export function voiceSample(socket: LiveSocket, voice: Voice): Promise<string> {
  if (voice.preview_url) return Promise.resolve(voice.preview_url);
  const cached = sampleUrls.get(voice.id);
  if (cached) return Promise.resolve(cached);
  const running = sampleRuns.get(voice.id);
  if (running) return running;
  const run = (async () => {
    const { text, language } = sampleText(voice);
    const started = await api.post<JobAccepted>("/api/generate/preset", {
      text,
      voice_id: voice.id,
      ...(language ? { language } : {}),
    });
    const final = await waitForJob(socket, started.task_id);
    const url = resultAudioUrl(final.result);
    if (final.status !== "succeeded" || !url) throw new SampleError(final.error || final.status);
    sampleUrls.set(voice.id, url);
    return url;
  })();
  sampleRuns.set(voice.id, run);
  run.catch(() => undefined).finally(() => sampleRuns.delete(voice.id));
  return run;
}
