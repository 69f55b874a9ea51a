/**
 * Each sample is checked in the browser before anything is uploaded: it must decode as audio
 * (BaseAudioContext.decodeAudioData) and last at least as long as the server asks. The server checks again.
 */

/** The shortest sample the server takes (cloning/intake.py MIN_SAMPLE_SECONDS). */
export const MIN_SAMPLE_SECONDS = 3;

/** Decoding resamples to the context's rate: a low one keeps a long file's decoded copy small. */
const CHECK_RATE = 8000;

export type SampleCheck =
  | { state: "checking" }
  | { state: "ok"; duration: number }
  | { state: "undecodable" }
  | { state: "tooShort"; duration: number };

export async function checkSample(file: Blob): Promise<SampleCheck> {
  let bytes: ArrayBuffer;
  try {
    bytes = await file.arrayBuffer();
  } catch {
    return { state: "undecodable" };
  }
  const context = new OfflineAudioContext(1, 1, CHECK_RATE);
  try {
    const buffer = await context.decodeAudioData(bytes);
    if (!(buffer.duration > 0)) return { state: "undecodable" };
    return buffer.duration < MIN_SAMPLE_SECONDS ? { state: "tooShort", duration: buffer.duration } : { state: "ok", duration: buffer.duration };
  } catch {
    return { state: "undecodable" };
  }
}
