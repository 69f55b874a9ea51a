/** A clone or design job from a page: follows it, loads the voice it made, and cancels it. */
import { api } from "../api";
import { useRef, useState, type ComponentProps } from "react";
import { numberField, stringField } from "./api";
import type { MadeVoiceCard } from "./MadeVoice";
import { useJob, type JobView } from "../jobs";
import { loadMadeVoice } from "./voice";

/** What `MadeVoiceCard` shows of the made voice. */
export type MadeVoiceView = Omit<ComponentProps<typeof MadeVoiceCard>, "testId" | "children">;

export interface Made {
  card: MadeVoiceView;
  /** The job's whole result, for what a page shows besides the card. */
  result: unknown;
}

/**
 * `cancelUrl` takes `{task_id}`; `onError` gets what failed to cancel or to load the made voice;
 * `onSucceeded` runs when the job succeeded with a voice, before the voice is loaded.
 */
export function useMadeVoiceJob(cancelUrl: string, onError: (err: unknown) => void, onSucceeded?: (done: JobView) => void) {
  const [made, setMade] = useState<Made | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const callbacks = useRef({ onError, onSucceeded });
  callbacks.current = { onError, onSucceeded };

  const { job, running, follow, reset } = useJob((done) => {
    setCancelling(false);
    const voiceId = done.status === "succeeded" ? stringField(done.result, "voice_id") : null;
    if (!voiceId) return;
    callbacks.current.onSucceeded?.(done);
    loadMadeVoice(voiceId).then(
      (voice) =>
        setMade({
          card: {
            voice,
            engine: stringField(done.result, "engine") ?? voice.engine,
            engineLabel: stringField(done.result, "engine_label"),
            similarity: numberField(done.result, "similarity") ?? voice.similarity ?? null,
            judge: stringField(done.result, "similarity_judge"),
            method: stringField(done.result, "method"),
            preset: presetOf(done.result),
            warnings: warningsOf(done.result),
            previewUrl: stringField(done.result, "preview_url") ?? voice.preview_url,
          },
          result: done.result,
        }),
      (err: unknown) => callbacks.current.onError(err),
    );
  });

  const cancel = async () => {
    if (!job) return;
    setCancelling(true);
    try {
      await api.post(cancelUrl, { task_id: job.taskId });
    } catch (err) {
      setCancelling(false);
      callbacks.current.onError(err);
    }
  };

  /** Forget the job and the voice it made. */
  const clear = () => {
    setMade(null);
    reset();
  };

  return { job, running, follow, clear, made, cancel, cancelling };
}

/** The start preset's judged similarity from a clone's result (`preset: {voice_id, similarity}`), if any. */
function presetOf(result: unknown): { voiceId: string; similarity: number | null } | null {
  if (!result || typeof result !== "object") return null;
  const preset = (result as Record<string, unknown>).preset;
  const voiceId = stringField(preset, "voice_id");
  return voiceId ? { voiceId, similarity: numberField(preset, "similarity") } : null;
}

/** The codes and second-voice shares of a clone's warnings (`warnings: [{code, share}]`); the text is ours. */
function warningsOf(result: unknown): { code: string; share: number | null }[] {
  const list = result && typeof result === "object" ? (result as Record<string, unknown>).warnings : null;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const code = stringField(item, "code");
    return code ? [{ code, share: numberField(item, "share") }] : [];
  });
}
