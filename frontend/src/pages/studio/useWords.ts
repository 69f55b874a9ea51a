/** A generation's word timings for the Studio: each sentence's words (from its selected take), and the alignment
 * that times them when the engine did not (started once the generation is spoken through, followed on /ws). */
import { useCallback, useEffect, useRef, useState } from "react";
import { api, type Chunk, type GenerationDetail } from "../../api";
import { useJob } from "../../jobs";
import type { Schema } from "../../schema";

export type TakeWord = Schema<"TakeWordOut">;
type WordsAnswer = Schema<"WordsOut">;
export type WordsState = "idle" | "aligning" | "ready" | "failed";

function selectedWords(chunk: Chunk): TakeWord[] | null {
  return chunk.takes.find((take) => take.number === chunk.selected_take)?.words ?? null;
}

export function useGenerationWords(generation: GenerationDetail, running: boolean) {
  /** Words fetched after an alignment, by "chunk:take" (the generation shown may not be refreshed yet). */
  const [aligned, setAligned] = useState<Record<string, TakeWord[]>>({});
  const [state, setState] = useState<WordsState>("idle");
  const [error, setError] = useState<string | null>(null);
  const asked = useRef<string | null>(null);
  /** Resolves the `ensure()` waiting for the alignment job. */
  const pending = useRef<((ok: boolean) => void) | null>(null);
  const job = useJob();
  const id = generation.id;
  const spoken = !running && generation.status === "succeeded";

  const load = useCallback(async () => {
    const detail = await api.get<GenerationDetail>(`/api/generations/${id}`);
    const found: Record<string, TakeWord[]> = {};
    for (const chunk of detail.chunks) {
      for (const take of chunk.takes) if (take.words) found[`${chunk.index}:${take.number}`] = take.words;
    }
    setAligned(found);
  }, [id]);

  const ensure = useCallback(async (): Promise<boolean> => {
    setError(null);
    const answer = await api.post<WordsAnswer>(`/api/generations/${id}/words`);
    if (answer.status === "ready" || !answer.task_id) {
      setState("ready");
      return true;
    }
    setState("aligning");
    return new Promise<boolean>((resolve) => {
      job.follow(answer.task_id as string);
      pending.current = resolve;
    });
  }, [id, job]);

  useEffect(() => {
    const current = job.job;
    if (!current?.terminal || !pending.current) return;
    const resolve = pending.current;
    pending.current = null;
    if (current.status === "succeeded") {
      void load().then(() => {
        setState("ready");
        resolve(true);
      });
    } else {
      setState("failed");
      setError(current.error ?? current.status);
      resolve(false);
    }
  }, [job.job, load]);

  useEffect(() => {
    setAligned({});
    setState("idle");
    asked.current = null;
  }, [id]);

  const wordsOf = useCallback(
    (chunk: Chunk): TakeWord[] | null => selectedWords(chunk) ?? aligned[`${chunk.index}:${chunk.selected_take}`] ?? null,
    [aligned],
  );

  // Once spoken through (and again when a sentence gets another take), time the words the engine did not:
  // Kokoro's come with the audio, so there is nothing to do for them.
  const takes = generation.chunks.map((chunk) => `${chunk.index}:${chunk.selected_take}`).join(",");
  const allTimed = generation.chunks.every((chunk) => wordsOf(chunk) !== null);
  useEffect(() => {
    const key = `${id}|${takes}`;
    if (!spoken || asked.current === key) return;
    asked.current = key;
    if (allTimed) {
      setState("ready");
      return;
    }
    ensure().catch((err: unknown) => {
      setState("failed");
      setError(err instanceof Error ? err.message : String(err));
    });
  }, [spoken, id, takes, allTimed, ensure]);

  return { state, error, spoken, ensure, wordsOf };
}

export type GenerationWords = ReturnType<typeof useGenerationWords>;
