import { useCallback, useEffect, useRef, useState } from "react";
import type { Voice } from "../api";
import { errorMessage } from "../errors";
import { useT } from "../i18n";
import { voiceSample } from "../voices";
import { useSocket } from "../ws";

export interface SampleState {
  voiceId: string;
  state: "loading" | "playing" | "error";
  error?: string;
  url?: string;
}

/** One page-wide player for voice samples: generating, playing, stopping. Render `audio` once. */
export function useSamplePlayer() {
  const t = useT();
  const socket = useSocket();
  const audioRef = useRef<HTMLAudioElement>(null);
  const [current, setCurrent] = useState<SampleState | null>(null);
  const currentRef = useRef(current);
  currentRef.current = current;
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const stop = useCallback(() => {
    audioRef.current?.pause();
    setCurrent(null);
  }, []);

  const play = useCallback(
    async (voice: Voice) => {
      const now = currentRef.current;
      if (now && now.voiceId === voice.id && now.state !== "error") {
        stop();
        return;
      }
      audioRef.current?.pause();
      setCurrent({ voiceId: voice.id, state: "loading" });
      try {
        const url = await voiceSample(socket, voice);
        if (!mounted.current || currentRef.current?.voiceId !== voice.id) return;
        const audio = audioRef.current;
        if (audio) {
          audio.src = url;
          setCurrent({ voiceId: voice.id, state: "playing", url });
          await audio.play().catch(() => undefined);
        }
      } catch (err) {
        if (!mounted.current || currentRef.current?.voiceId !== voice.id) return;
        setCurrent({ voiceId: voice.id, state: "error", error: errorMessage(err, t) });
      }
    },
    [socket, stop, t],
  );

  const audio = (
    <audio
      ref={audioRef}
      className="visually-hidden"
      data-testid="sample-audio"
      data-voice={current?.state === "playing" ? current.voiceId : ""}
      onEnded={() => setCurrent((prev) => (prev?.state === "playing" ? null : prev))}
      preload="none"
    />
  );

  return { current, play, stop, audio };
}

interface ButtonProps {
  voice: Voice;
  sample: SampleState | null;
  onPlay: (voice: Voice) => void;
  testId?: string;
  className?: string;
}

export function SampleButton({ voice, sample, onPlay, testId, className }: ButtonProps) {
  const t = useT();
  const mine = sample && sample.voiceId === voice.id ? sample : null;
  const label =
    mine?.state === "loading" ? t("sample.loading") : mine?.state === "playing" ? t("sample.stop") : t("sample.play");
  return (
    <button
      type="button"
      className={`btn btn-sm btn-secondary ${className ?? ""}`}
      data-testid={testId}
      data-state={mine?.state ?? "idle"}
      aria-busy={mine?.state === "loading"}
      onClick={() => onPlay(voice)}
      title={mine?.state === "error" ? mine.error : undefined}
    >
      {mine?.state === "loading" ? <span className="spinner spinner-sm" aria-hidden="true" /> : <PlayGlyph playing={mine?.state === "playing"} />}
      {label}
    </button>
  );
}

export function PlayGlyph({ playing }: { playing?: boolean }) {
  return (
    <svg className="icon icon-sm" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
      {playing ? <path d="M7 6h4v12H7zM13 6h4v12h-4z" /> : <path d="M8 5.5v13l11-6.5z" />}
    </svg>
  );
}
