/**
 * The Studio's draft: the editor's text, voices and settings, kept in localStorage on every change, so a reload
 * or a visit to another page gives them back. `generationId` ties the draft to the generation it made, so
 * reopening that generation keeps the draft's later edits.
 */
import { useEffect, useState } from "react";
import { api } from "../../api";
import type { Mode } from "./generation";

const KEY = "clonyvoice.studio.draft";

export interface Draft {
  mode: Mode;
  title: string;
  text: string;
  /** Only a voice the user picked; an automatic one is picked again for the text. */
  voiceId: string;
  language: string;
  speed: number;
  pitch: number;
  seed: string;
  speakerVoices: Record<string, string>;
  langVoices: Record<string, string>;
  generationId: string | null;
}

export const EMPTY_DRAFT: Draft = {
  mode: "single",
  title: "",
  text: "",
  voiceId: "",
  language: "",
  speed: 1,
  pitch: 0,
  seed: "",
  speakerVoices: {},
  langVoices: {},
  generationId: null,
};

function text(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

function number(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function strings(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object") return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** The stored draft, or null when there is none (or it cannot be read). */
export function loadDraft(): Draft | null {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (!raw) return null;
    const data = JSON.parse(raw) as Record<string, unknown>;
    const mode = data.mode === "script" || data.mode === "multilang" ? data.mode : "single";
    return {
      mode,
      title: text(data.title, ""),
      text: text(data.text, ""),
      voiceId: text(data.voiceId, ""),
      language: text(data.language, ""),
      speed: number(data.speed, 1),
      pitch: number(data.pitch, 0),
      seed: text(data.seed, ""),
      speakerVoices: strings(data.speakerVoices),
      langVoices: strings(data.langVoices),
      generationId: typeof data.generationId === "string" ? data.generationId : null,
    };
  } catch {
    return null;
  }
}

/** Keep `draft` stored as it changes (synchronously: leaving the page right after typing loses nothing). */
export function useDraftSaver(draft: Draft): void {
  const serialized = JSON.stringify(draft);
  useEffect(() => {
    try {
      window.localStorage.setItem(KEY, serialized);
    } catch {
      // Storage full or disabled: the draft just won't survive a reload.
    }
  }, [serialized]);
}

/** The characters of a text as the server counts them (code points, not UTF-16 units). */
export function charCount(value: string): number {
  let n = 0;
  for (const _ of value) n += 1;
  return n;
}

let limitRequest: Promise<number> | null = null;

/** The longest text one generation takes, as the server says (null until it has answered). */
export function useTextLimit(): number | null {
  const [limit, setLimit] = useState<number | null>(null);
  useEffect(() => {
    let alive = true;
    limitRequest ??= api.get<{ text_chars: number }>("/api/text/limits").then((answer) => answer.text_chars);
    limitRequest
      .then((value) => alive && setLimit(value))
      .catch(() => {
        limitRequest = null;
      });
    return () => {
      alive = false;
    };
  }, []);
  return limit;
}

/** The first words of a text, as the server names a project nobody named. */
export function firstWords(value: string): string {
  const words = value.split(/\s+/).filter(Boolean).join(" ");
  return words.length <= 80 ? words : `${words.slice(0, 77).replace(/\s+\S*$/, "")}…`;
}
