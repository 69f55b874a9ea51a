/** Plays a generation's sentences one after another, starting while the later ones are still being made:
 * each sentence plays as soon as its `job.progress` event has made it playable. */
import { useEffect, useRef, useState } from "react";
import type { Chunk } from "../../api";
import { useT } from "../../i18n";
import { chunkPlayUrl } from "./generation";
import type { useChunkAudio } from "./useChunkAudio";

type Player = ReturnType<typeof useChunkAudio>;

export function usePlayAsMade(generation: { id: string; chunks: Chunk[] } | null, player: Player) {
  /** The sentence to play next (null: not playing through). */
  const [next, setNext] = useState<number | null>(null);
  /** The sentence last handed to the player: if it stops without `ended` (an error), the play-through stops. */
  const started = useRef<number | null>(null);
  const { playingIndex, toggle } = player;
  const generationId = generation?.id ?? null;
  const chunks = generation?.chunks ?? null;

  useEffect(() => {
    setNext(null);
    started.current = null;
  }, [generationId]);

  useEffect(() => {
    if (next === null || !chunks || playingIndex !== null) return;
    if (started.current === next) {
      setNext(null);
      return;
    }
    const chunk = chunks.find((c) => c.index === next);
    if (!chunk) {
      setNext(null); // past the last sentence
      return;
    }
    if (!chunkPlayUrl(chunk)) return; // not made yet: this runs again when its event arrives
    started.current = next;
    toggle(chunk);
  }, [next, chunks, playingIndex, toggle]);

  return {
    next,
    /** Waiting for a sentence the worker has not finished yet. */
    waiting: next !== null && playingIndex === null,
    start: () => {
      player.stop();
      started.current = null;
      setNext(0);
    },
    stop: () => {
      setNext(null);
      player.stop();
    },
    /** The audio element's `ended`: go on with the next sentence, unless another one was played by hand. */
    ended: (index: number | null) => setNext((current) => (current !== null && current === index ? current + 1 : null)),
  };
}

export function PlayAsMadeButton({ state }: { state: ReturnType<typeof usePlayAsMade> }) {
  const t = useT();
  if (state.next === null) {
    return (
      <button type="button" className="btn btn-sm btn-secondary" data-testid="studio-play-all" onClick={state.start}>
        {t("playAsMade.play")}
      </button>
    );
  }
  return (
    <button type="button" className="btn btn-sm btn-secondary" data-testid="studio-play-all-stop" onClick={state.stop}>
      {state.waiting ? t("playAsMade.waiting", { n: state.next + 1 }) : t("playAsMade.stop")}
    </button>
  );
}
