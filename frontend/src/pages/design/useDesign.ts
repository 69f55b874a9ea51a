/**
 * One design from the Design page: start it, follow its job, offer its candidates, keep one or none.
 * Leaving the page keeps none: an unkept design is discarded when the page unmounts (a closed tab's candidates
 * are swept by the server when the next design starts).
 */
import { useEffect, useRef, useState } from "react";
import { api, type Voice } from "../../api";
import { asRecord, numberField, stringField } from "../../cloning/api";
import { useJob } from "../../jobs";
import type { Schema } from "../../schema";

export type DesignRequest = Schema<"DesignInRequest">;
type Accepted = Schema<"DesignAcceptedOut">;

/** One designed voice on offer, from the finished job's result. */
export interface Candidate {
  index: number;
  voiceId: string;
  seed: number | null;
  previewUrl: string | null;
  engine: string;
  engineLabel: string | null;
  method: string | null;
}

/** The kept voice and the candidate it was. */
export interface Kept {
  voice: Voice;
  candidate: Candidate;
}

function candidatesOf(result: unknown): Candidate[] {
  const list = asRecord(result).candidates;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, position) => {
    const voiceId = stringField(item, "voice_id");
    if (!voiceId) return [];
    return [
      {
        index: numberField(item, "index") ?? position,
        voiceId,
        seed: numberField(item, "seed"),
        previewUrl: stringField(item, "preview_url"),
        engine: stringField(item, "engine") ?? "",
        engineLabel: stringField(item, "engine_label"),
        method: stringField(item, "method"),
      },
    ];
  });
}

function words(value: unknown, name: string): string[] {
  const list = asRecord(value)[name];
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === "string") : [];
}

export function useDesign(onError: (err: unknown) => void) {
  const [candidates, setCandidates] = useState<Candidate[]>([]);
  const [parsed, setParsed] = useState<{ recognized: string[]; ignored: string[] } | null>(null);
  const [kept, setKept] = useState<Kept | null>(null);
  const [discarded, setDiscarded] = useState(false);
  const [deciding, setDeciding] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  // What the unmount cleanup needs: the design that is still open (nothing kept, nothing discarded).
  const open = useRef<string | null>(null);
  const errors = useRef(onError);
  errors.current = onError;

  const { job, running, follow, reset } = useJob((done) => {
    setCancelling(false);
    if (done.status !== "succeeded") {
      open.current = null;
      return;
    }
    setCandidates(candidatesOf(done.result));
    setParsed({ recognized: words(done.result, "recognized"), ignored: words(done.result, "ignored") });
  });

  useEffect(
    () => () => {
      if (open.current) void api.post("/api/design/discard", { task_id: open.current }).catch(() => undefined);
    },
    [],
  );

  const start = async (request: DesignRequest) => {
    reset();
    setCandidates([]);
    setKept(null);
    setDiscarded(false);
    setParsed(null);
    const started = await api.post<Accepted>("/api/design/create", request);
    open.current = started.task_id;
    setParsed({ recognized: started.recognized, ignored: started.ignored });
    follow(started.task_id, started.status);
  };

  const decide = async (action: () => Promise<void>) => {
    setDeciding(true);
    try {
      await action();
      open.current = null;
    } catch (err) {
      errors.current(err);
    } finally {
      setDeciding(false);
    }
  };

  const keep = (candidate: Candidate, name: string) =>
    decide(async () => {
      if (!job) return;
      const voice = await api.post<Voice>("/api/design/keep", { task_id: job.taskId, index: candidate.index, name });
      setKept({ voice, candidate });
      setCandidates([]);
    });

  const discardAll = () =>
    decide(async () => {
      if (!job) return;
      await api.post("/api/design/discard", { task_id: job.taskId });
      setDiscarded(true);
      setCandidates([]);
    });

  const cancel = async () => {
    if (!job) return;
    setCancelling(true);
    try {
      await api.post("/api/design/cancel", { task_id: job.taskId });
    } catch (err) {
      setCancelling(false);
      errors.current(err);
    }
  };

  return { job, running, start, candidates, parsed, kept, discarded, deciding, keep, discardAll, cancel, cancelling };
}
