import { useEffect, useRef, useState } from "react";
import { useT } from "../../i18n";
import { clockTime } from "../../cloning/api";

interface Props {
  onRecorded: (file: File) => void;
  disabled?: boolean;
}

const MIN_SECONDS = 5;

/** 16-bit PCM WAV of an AudioBuffer mixed down to mono: a file every probe reads with its exact duration. */
function wavFile(buffer: AudioBuffer, name: string): File {
  const length = buffer.length;
  const mono = new Float32Array(length);
  for (let channel = 0; channel < buffer.numberOfChannels; channel += 1) {
    const data = buffer.getChannelData(channel);
    for (let i = 0; i < length; i += 1) mono[i] += data[i] / buffer.numberOfChannels;
  }
  const bytes = new ArrayBuffer(44 + length * 2);
  const view = new DataView(bytes);
  const text = (offset: number, value: string) => [...value].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  text(0, "RIFF");
  view.setUint32(4, 36 + length * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, buffer.sampleRate, true);
  view.setUint32(28, buffer.sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, length * 2, true);
  for (let i = 0; i < length; i += 1) {
    const s = Math.max(-1, Math.min(1, mono[i]));
    view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return new File([bytes], name, { type: "audio/wav" });
}

/** Record from the microphone (MediaRecorder); the take becomes a WAV file in the sample list. */
export function Recorder({ onRecorded, disabled }: Props) {
  const t = useT();
  const [state, setState] = useState<"idle" | "starting" | "recording" | "saving">("idle");
  const [elapsed, setElapsed] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const count = useRef(0);

  const release = () => {
    window.clearInterval(timer.current);
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
  };
  useEffect(() => () => {
    if (recorder.current && recorder.current.state !== "inactive") recorder.current.stop();
    release();
  }, []);

  const start = async () => {
    setError(null);
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === "undefined") {
      setError(t("clone.recordUnsupported"));
      return;
    }
    setState("starting");
    try {
      const media = await navigator.mediaDevices.getUserMedia({ audio: true });
      stream.current = media;
      const chunks: Blob[] = [];
      const rec = new MediaRecorder(media);
      recorder.current = rec;
      rec.ondataavailable = (event) => {
        if (event.data.size) chunks.push(event.data);
      };
      rec.onstop = async () => {
        release();
        setState("saving");
        try {
          const blob = new Blob(chunks, { type: rec.mimeType || "audio/webm" });
          const context = new AudioContext();
          const decoded = await context.decodeAudioData(await blob.arrayBuffer());
          await context.close();
          count.current += 1;
          const stamp = new Date().toISOString().slice(0, 19).replace(/[T:]/g, "-");
          onRecorded(wavFile(decoded, `recording-${stamp}-${count.current}.wav`));
        } catch (err) {
          setError(t("clone.recordFailed", { detail: err instanceof Error ? err.message : String(err) }));
        } finally {
          setState("idle");
        }
      };
      const began = Date.now();
      setElapsed(0);
      timer.current = window.setInterval(() => setElapsed((Date.now() - began) / 1000), 200);
      rec.start(250);
      setState("recording");
    } catch (err) {
      release();
      setState("idle");
      setError(t("clone.micDenied", { detail: err instanceof Error ? err.message : String(err) }));
    }
  };

  const stop = () => recorder.current?.stop();

  return (
    <div className="recorder" data-testid="clone-recorder" data-state={state}>
      {state === "recording" ? (
        <>
          <button type="button" className="btn btn-danger" data-testid="clone-record-stop" onClick={stop}>
            <span className="rec-dot" aria-hidden="true" />
            {t("clone.recordStop")}
          </button>
          <span className="rec-time" data-testid="clone-record-time">
            {clockTime(elapsed, 0)}
          </span>
          {elapsed < MIN_SECONDS && <span className="muted small">{t("clone.recordKeepGoing")}</span>}
        </>
      ) : (
        <button
          type="button"
          className="btn btn-secondary"
          data-testid="clone-record-start"
          disabled={disabled || state !== "idle"}
          onClick={() => void start()}
        >
          <span className="rec-dot" aria-hidden="true" />
          {state === "saving" ? t("clone.recordSaving") : state === "starting" ? t("clone.recordStarting") : t("clone.record")}
        </button>
      )}
      {error && (
        <span className="bad-text small" role="alert" data-testid="clone-record-error">
          {error}
        </span>
      )}
    </div>
  );
}
