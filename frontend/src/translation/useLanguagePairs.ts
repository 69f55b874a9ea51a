/**
 * The languages text can be translated between, from what the server translates (/api/translate/pairs): the
 * sources, the targets of a source ("auto": any target), the translation engines, and the directions nothing
 * installed covers, each with its install command, so a missing pair is shown with its reason instead of being
 * left out. The Tools page's translation and the Dub page both choose their languages from it.
 */
import { useEffect, useMemo, useState } from "react";
import { api } from "../api";
import type { TranslationPairs } from "../cloning/api";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";
import { languageName } from "../voices";

/** A direction nothing installed translates, with what installs it (`missing` of /api/translate/pairs). */
export interface MissingPair {
  source: string;
  target: string;
  install: string;
}

export interface LanguagePairs {
  loaded: boolean;
  error: string | null;
  engines: TranslationPairs["engines"];
  sources: string[];
  /** The targets of the source asked for. */
  targets: string[];
  missing: MissingPair[];
}

export function useLanguagePairs(source: string): LanguagePairs {
  const { t, locale } = useI18n();
  const [pairs, setPairs] = useState<(TranslationPairs & { missing?: MissingPair[] }) | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<TranslationPairs & { missing?: MissingPair[] }>("/api/translate/pairs", { signal: controller.signal })
      .then(setPairs)
      .catch((err: unknown) => {
        if (!(err instanceof DOMException)) setError(errorMessage(err, t));
      });
    return () => controller.abort();
  }, [t]);

  // Every direction of a pair model plus every language of a many-language model.
  const { sources, targets } = useMemo(() => {
    const map = new Map<string, Set<string>>();
    const add = (from: string, to: string) => {
      if (from === to) return;
      if (!map.has(from)) map.set(from, new Set());
      map.get(from)?.add(to);
    };
    for (const pair of pairs?.pairs ?? []) add(pair.source, pair.target);
    for (const model of pairs?.multilingual ?? []) for (const a of model.languages) for (const b of model.languages) add(a, b);
    const byName = (a: string, b: string) => languageName(a, locale).localeCompare(languageName(b, locale), locale);
    const all = new Set<string>();
    map.forEach((set) => set.forEach((code) => all.add(code)));
    return {
      sources: [...map.keys()].sort(byName),
      targets: [...(source === "auto" ? all : (map.get(source) ?? new Set<string>()))].sort(byName),
    };
  }, [pairs, source, locale]);

  // Not installed: from this source, or (source detected) into a language nothing translates into yet.
  const missing = useMemo(() => {
    const list = pairs?.missing ?? [];
    if (source !== "auto") return list.filter((pair) => pair.source === source);
    // One entry per language, from English where that is an option (the most common source).
    const byTarget = new Map<string, MissingPair>();
    for (const pair of [...list].sort((a, b) => Number(b.source === "en") - Number(a.source === "en"))) {
      if (!targets.includes(pair.target) && !byTarget.has(pair.target)) byTarget.set(pair.target, pair);
    }
    return [...byTarget.values()];
  }, [pairs, source, targets]);

  return { loaded: pairs !== null, error, engines: pairs?.engines ?? [], sources, targets, missing };
}
