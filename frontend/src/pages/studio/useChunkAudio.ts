/** Plays one sentence's audio at a time in the Studio. */
import { useRef, useState } from "react";
import type { Chunk } from "../../api";
import { chunkPlayUrl } from "./generation";

export function useChunkAudio(beforePlay: () => void) {
  const audioRef = useRef<HTMLAudioElement>(null);
  const [playingIndex, setPlayingIndex] = useState<number | null>(null);

  const stop = () => {
    audioRef.current?.pause();
    setPlayingIndex(null);
  };

  const toggle = (chunk: Chunk) => {
    const audio = audioRef.current;
    if (!audio) return;
    if (playingIndex === chunk.index) {
      stop();
      return;
    }
    const url = chunkPlayUrl(chunk);
    if (!url) return;
    beforePlay();
    audio.src = url;
    setPlayingIndex(chunk.index);
    audio.play().catch(() => setPlayingIndex(null));
  };

  /** Stops the sentence if it is the one playing (its audio is about to change). */
  const stopIf = (index: number) => {
    if (playingIndex === index) stop();
  };

  return { audioRef, playingIndex, setPlayingIndex, stop, stopIf, toggle };
}
