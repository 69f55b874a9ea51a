/**
 * The Studio's language check: the voice the server ranks best for the text's language as the default, and a
 * clear "this voice does not speak X" (with voices that do) before generating — from the live sentence preview
 * (`detected_language` of /api/text/split) or from a 400 `language_mismatch` of a generation endpoint.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { api, ApiError, query, type LanguageMismatchBody, type Page, type SplitChunk, type Voice } from "../../api";
import { useI18n } from "../../i18n";
import { baseLanguage, languageName, neuralFirst, speaks } from "../../voices";

/** How many voices a mismatch suggests. */
const SUGGESTIONS = 3;
/** Rankings are cached this long (the user's own voices, which rank first, may change). */
const RANKING_TTL_MS = 30_000;

const rankings = new Map<string, { at: number; ids: Promise<string[]> }>();

/** Voice ids in the server's order for a language: the user's own first, then the most intelligible presets. */
function fetchRanking(language: string): Promise<string[]> {
  const cached = rankings.get(language);
  if (cached && Date.now() - cached.at < RANKING_TTL_MS) return cached.ids;
  const ids = api
    .get<Page<Voice>>(`/api/voices${query({ language, page_size: 50 })}`)
    .then((page) => page.results.map((voice) => voice.id));
  ids.catch(() => rankings.delete(language));
  rankings.set(language, { at: Date.now(), ids });
  return ids;
}

/** The server's ranking for `language` (null while it loads, or when there is no language). */
export function useVoiceRanking(language: string | null): string[] | null {
  const [ranking, setRanking] = useState<{ language: string; ids: string[] } | null>(null);
  useEffect(() => {
    if (!language) return;
    let alive = true;
    fetchRanking(language)
      .then((ids) => alive && setRanking({ language, ids }))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [language]);
  return language && ranking?.language === language ? ranking.ids : null;
}

/** The loaded voices that speak `language`, best first: the server's ranking when known, neural first. */
function bestVoices(voices: Voice[], language: string, ranking: string[] | null): Voice[] {
  const byId = new Map(voices.map((voice) => [voice.id, voice]));
  const ranked = ranking
    ? ranking.map((id) => byId.get(id)).filter((voice): voice is Voice => Boolean(voice))
    : voices.filter((voice) => speaks(voice.languages, language));
  return neuralFirst(ranked);
}

/**
 * Until the user chooses a voice, use the first of the server's ranking for the text's language (the UI
 * language while there is no text), so each language starts with its best measured voice.
 */
export function useDefaultVoice(
  voices: Voice[] | null,
  language: string,
  chosen: () => boolean,
  apply: (voiceId: string) => void,
): void {
  const wanted = baseLanguage(language || "en");
  const ranking = useVoiceRanking(voices && voices.length ? wanted : null);
  useEffect(() => {
    if (!voices || voices.length === 0 || chosen()) return;
    const byId = new Map(voices.map((voice) => [voice.id, voice]));
    const first = ranking?.map((id) => byId.get(id)).find(Boolean) ?? bestVoices(voices, wanted, null)[0] ?? voices[0];
    apply(first.id);
    // `chosen` and `apply` are read at the time of a change of voices, language or ranking.
  }, [voices, wanted, ranking]);
}

/** The first language a sentence is clearly in that the voice does not speak ("en-us" speaks "en"). */
export function unspokenLanguage(chunks: readonly SplitChunk[] | undefined, voice: Voice | null): string | null {
  if (!voice || !chunks) return null;
  for (const chunk of chunks) {
    const detected = chunk.detected_language;
    if (detected && !speaks(voice.languages, detected)) return baseLanguage(detected);
  }
  return null;
}

export interface Mismatch {
  language: string;
  voices: { id: string; name: string }[];
}

interface CheckInput {
  /** Whether to check the preview (single-voice mode with the language left automatic). */
  check: boolean;
  voice: Voice | null;
  voices: Voice[] | null;
  chunks: readonly SplitChunk[] | undefined;
  /** A change of this (the text, the voice) forgets a mismatch the server reported. */
  resetKey: string;
}

/** The mismatch to show (from the preview, else from the server's last answer) and a catcher for that answer. */
export function useLanguageCheck({ check, voice, voices, chunks, resetKey }: CheckInput) {
  const [server, setServer] = useState<(Mismatch & { key: string }) | null>(null);
  const local = check ? unspokenLanguage(chunks, voice) : null;
  const ranking = useVoiceRanking(local);

  const mismatch = useMemo<Mismatch | null>(() => {
    if (local) {
      const able = bestVoices(voices ?? [], local, ranking).filter((item) => item.id !== voice?.id);
      return { language: local, voices: able.slice(0, SUGGESTIONS).map(({ id, name }) => ({ id, name })) };
    }
    if (server && server.key === resetKey) return { language: server.language, voices: server.voices };
    return null;
  }, [local, ranking, voices, voice, server, resetKey]);

  /** True when `err` was a `language_mismatch` answer (now shown as the mismatch). */
  const catchMismatch = useCallback(
    (err: unknown): boolean => {
      if (!(err instanceof ApiError) || err.code !== "language_mismatch") return false;
      const body = err.body as Partial<LanguageMismatchBody>;
      const known = new Set((voices ?? []).map((item) => item.id));
      const able = (Array.isArray(body.voices) ? body.voices : []).filter((item) => known.has(item.id));
      setServer({ key: resetKey, language: String(body.language ?? ""), voices: able.slice(0, SUGGESTIONS) });
      return true;
    },
    [voices, resetKey],
  );

  return { mismatch, catchMismatch };
}

interface Props {
  mismatch: Mismatch;
  voiceName: string;
  onChoose: (voiceId: string) => void;
}

/** "Piper Joe does not speak Russian. Choose a voice that does:" with a button per suggested voice. */
export function LanguageMismatch({ mismatch, voiceName, onChoose }: Props) {
  const { t, locale } = useI18n();
  return (
    <div className="alert alert-warn language-mismatch" role="alert" data-testid="studio-language-mismatch" data-language={mismatch.language}>
      <p>
        {mismatch.language
          ? t("languageCheck.notSpoken", { voice: voiceName, language: languageName(mismatch.language, locale) })
          : t("languageCheck.notSpokenOther", { voice: voiceName })}
      </p>
      {mismatch.voices.length > 0 ? (
        <>
          <p>{t("languageCheck.chooseOne")}</p>
          <div className="suggestions">
            {mismatch.voices.map((item) => (
              <button
                key={item.id}
                type="button"
                className="btn btn-sm btn-secondary"
                data-testid={`studio-suggest-${item.id}`}
                onClick={() => onChoose(item.id)}
              >
                {item.name}
              </button>
            ))}
          </div>
        </>
      ) : (
        <p>{t("languageCheck.noneInstalled")}</p>
      )}
    </div>
  );
}
