/** Voice helpers shared by the Library and the Studio: names of languages, previews, sorting. */
import { api, query, type JobAccepted, type Page, type Voice } from "./api";
import { waitForJob } from "./jobs";
import type { LiveSocket } from "./ws";

export function baseLanguage(code: string): string {
  return code.toLowerCase().split(/[-_]/)[0];
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
    // Chromium refuses private-use tags ("en-gb-x-rp"): name the language they belong to ("British English").
    const plain = code.split(/[-_]x[-_]/i)[0];
    return plain !== code ? languageName(plain, locale) : code;
  }
}

/** How engines make speech, most natural first (the server's order too). */
export const TECHNOLOGY_ORDER = ["neural", "parametric", "diphone", "formant"];

function technologyRank(voice: Voice): number {
  const rank = TECHNOLOGY_ORDER.indexOf(voice.technology ?? "");
  return rank < 0 ? TECHNOLOGY_ORDER.length : rank;
}

/** The user's own voices first, then neural, parametric, diphone and formant ones, then by name: the server's order. */
export function compareVoices(a: Voice, b: Voice): number {
  const ra = a.kind === "preset" ? 1 : 0;
  const rb = b.kind === "preset" ? 1 : 0;
  if (ra !== rb) return ra - rb;
  const ta = technologyRank(a);
  const tb = technologyRank(b);
  if (ta !== tb) return ta - tb;
  return a.name.localeCompare(b.name);
}

/** Neural first, keeping the given order otherwise (e.g. a server ranking). */
export function neuralFirst(voices: Voice[]): Voice[] {
  return voices
    .map((voice, index) => ({ voice, index }))
    .sort((a, b) => technologyRank(a.voice) - technologyRank(b.voice) || a.index - b.index)
    .map((item) => item.voice);
}

/** Whether a voice with these tags speaks `language` (same tag or same base language, as the server checks). */
export function speaks(languages: readonly string[], language: string): boolean {
  const base = baseLanguage(language);
  return languages.some((tag) => tag.toLowerCase() === language.toLowerCase() || baseLanguage(tag) === base);
}

const regionNames = new Map<string, Intl.DisplayNames | null>();

function regionName(region: string, locale: string): string {
  if (!regionNames.has(locale)) {
    try {
      regionNames.set(locale, new Intl.DisplayNames([locale], { type: "region", style: "short" }));
    } catch {
      regionNames.set(locale, null);
    }
  }
  try {
    return regionNames.get(locale)?.of(region.toUpperCase()) ?? region.toUpperCase();
  } catch {
    return region.toUpperCase();
  }
}

/**
 * The languages of a voice by name, one entry per base language in the voice's order: "en-us", "en" and
 * "en-gb" become "English (US, UK)", "pt-br" + "pt" "Portuguese (Brazil)", a lone "ru" "Russian".
 */
export function languageNames(codes: readonly string[], locale: string): { code: string; name: string }[] {
  const groups = new Map<string, string[]>();
  for (const code of codes) {
    const base = baseLanguage(code);
    const regions = groups.get(base) ?? [];
    const region = code.toLowerCase().split(/[-_]/)[1];
    if (region && /^([a-z]{2}|\d{3})$/.test(region) && !regions.includes(region)) regions.push(region);
    groups.set(base, regions);
  }
  return [...groups.entries()].map(([base, regions]) => {
    const name = languageName(base, locale);
    return { code: base, name: regions.length ? `${name} (${regions.map((r) => regionName(r, locale)).join(", ")})` : name };
  });
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

/** Run the job that makes and stores a voice's preview, and answer the preview's URL. */
async function generatedPreview(socket: LiveSocket, voice: Voice): Promise<string> {
  const started = await api.post<JobAccepted>(`/api/voices/${encodeURIComponent(voice.id)}/generate-preview`, {});
  const final = await waitForJob(socket, started.task_id);
  if (final.status !== "succeeded") throw new SampleError(final.error || final.status);
  const result = (final.result ?? {}) as { preview_url?: unknown };
  return typeof result.preview_url === "string" && result.preview_url
    ? result.preview_url
    : `/api/voices/${encodeURIComponent(voice.id)}/preview`;
}

/**
 * The URL of a short sample of the voice: its stored preview, else one made and stored once by
 * POST /api/voices/{id}/generate-preview (a preset's preview is shared by every user; nothing lands in History).
 */
export function voiceSample(socket: LiveSocket, voice: Voice): Promise<string> {
  if (voice.preview_url) return Promise.resolve(voice.preview_url);
  const cached = sampleUrls.get(voice.id);
  if (cached) return Promise.resolve(cached);
  const running = sampleRuns.get(voice.id);
  if (running) return running;
  const run = (async () => {
    const url = await generatedPreview(socket, voice);
    sampleUrls.set(voice.id, url);
    return url;
  })();
  sampleRuns.set(voice.id, run);
  run.catch(() => undefined).finally(() => sampleRuns.delete(voice.id));
  return run;
}
