/** Languages a new voice can be made in, and the made voice as GET /api/voices/{id} returns it. */
import { api, type Category, type Voice } from "../api";
import { baseLanguage, loadAllVoices } from "../voices";

/** `similarity`: cosine similarity (−1…1) of the preview to a held-out part of the reference; null when not scored. */
export type MadeVoice = Voice;

export async function loadMadeVoice(id: string): Promise<MadeVoice> {
  return api.get<MadeVoice>(`/api/voices/${encodeURIComponent(id)}`);
}

/** Base languages the preset voices speak: the languages voice matching and design can work in. */
export async function presetLanguages(signal?: AbortSignal): Promise<string[]> {
  const voices = await loadAllVoices(signal);
  const codes = new Set<string>();
  for (const voice of voices) {
    if (voice.kind !== "preset" || !voice.is_available) continue;
    for (const code of voice.languages) codes.add(baseLanguage(code));
  }
  return [...codes];
}

export async function loadCategories(signal?: AbortSignal): Promise<Category[]> {
  return api.get<Category[]>("/api/categories", { signal });
}

/** "87 %" for a cosine similarity of 0.87 (negative scores show as 0 %). */
export function similarityPercent(value: number): number {
  return Math.round(Math.max(0, Math.min(1, value)) * 100);
}
