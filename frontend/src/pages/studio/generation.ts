/** Pure helpers of the Studio page: modes, job states, chunks of a generation. */
import { TERMINAL_STATUSES, type Chunk } from "../../api";

export type Mode = "single" | "script" | "multilang";

export interface JobState {
  status: string;
  progress: number | null;
  total: number | null;
  error: string | null;
  errorCode?: string | null;
  cancelRequested: boolean;
}

export function modeOf(generationMode: string): Mode {
  if (generationMode === "multivoice") return "script";
  if (generationMode === "multilang") return "multilang";
  return "single";
}

/** A script text back from a multi-voice generation's chunks: consecutive chunks of a speaker form a line. */
export function scriptFromChunks(chunks: Chunk[]): string {
  const lines: { speaker: string; text: string[] }[] = [];
  for (const chunk of chunks) {
    const last = lines[lines.length - 1];
    if (last && last.speaker === chunk.speaker) last.text.push(chunk.text);
    else lines.push({ speaker: chunk.speaker, text: [chunk.text] });
  }
  return lines.map((line) => (line.speaker ? `${line.speaker}: ${line.text.join(" ")}` : line.text.join(" "))).join("\n");
}

export function chunkPlayUrl(chunk: Chunk): string | null {
  const take = chunk.takes.find((item) => item.number === chunk.selected_take);
  if (take) return take.audio_url;
  if (chunk.audio_url) return chunk.selected_take ? `${chunk.audio_url}?take=${chunk.selected_take}` : chunk.audio_url;
  return null;
}

export function statusRank(status: string): number {
  if (TERMINAL_STATUSES.has(status)) return 2;
  return status === "running" ? 1 : 0;
}

export function numberSetting(settings: Record<string, unknown>, key: string, fallback: number): number {
  const value = settings[key];
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}
