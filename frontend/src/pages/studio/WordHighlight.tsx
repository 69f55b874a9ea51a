/** A sentence's text with the word being spoken highlighted while its audio plays in the Studio's player. */
import { useEffect, useState } from "react";
import type { TakeWord } from "./useWords";

/** The Studio's one sentence player (the `<audio>` of the Studio page). */
const PLAYER = 'audio[data-testid="chunk-audio"]';

/** The index of the word heard at `time`: the last one started by then, while it lasts or until the next. */
export function wordAt(words: TakeWord[], time: number): number {
  let found = -1;
  for (let i = 0; i < words.length && words[i].start <= time; i += 1) found = i;
  return found;
}

/** The word being spoken in the player while `active` (-1: none yet), followed frame by frame. */
function useSpokenWord(words: TakeWord[] | null, active: boolean): number {
  const [index, setIndex] = useState(-1);
  useEffect(() => {
    setIndex(-1);
    const player = document.querySelector<HTMLAudioElement>(PLAYER);
    if (!active || !words || !player) return;
    let frame = 0;
    const tick = () => {
      setIndex(wordAt(words, player.currentTime));
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [words, active]);
  return index;
}

interface Props {
  text: string;
  words: TakeWord[] | null;
  playing: boolean;
  testId: string;
}

export function SpokenText({ text, words, playing, testId }: Props) {
  const current = useSpokenWord(words, playing);
  const className = `chunk-text${playing ? " speaking" : ""}`;
  if (!words) {
    return (
      <p className={className} data-testid={testId}>
        {text}
      </p>
    );
  }
  return (
    <p className={className} data-testid={testId} data-current-word={current}>
      {words.map((word, i) => (
        <span key={i}>
          {i > 0 && " "}
          <span className={i === current ? "word word-current" : "word"} data-start={word.start} data-end={word.end}>
            {word.word}
          </span>
        </span>
      ))}
    </p>
  );
}
