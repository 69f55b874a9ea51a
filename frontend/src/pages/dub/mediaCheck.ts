/**
 * A file to dub is checked in the browser before it is uploaded, as the Clone page checks samples: the browser
 * must read it as a video or a recording with a length. A media element reads only the file's head (a long
 * video is not loaded whole); what it cannot open is tried once more as audio to decode. The server checks again.
 */

export type MediaCheck =
  | { state: "checking" }
  | { state: "ok"; duration: number; video: boolean }
  | { state: "undecodable" };

const METADATA_TIMEOUT_MS = 15_000;

function probeElement(file: File): Promise<MediaCheck> {
  return new Promise((resolve) => {
    const element = document.createElement("video");
    const url = URL.createObjectURL(file);
    let timer = 0;
    const finish = (check: MediaCheck) => {
      window.clearTimeout(timer);
      element.removeAttribute("src");
      element.load();
      URL.revokeObjectURL(url);
      resolve(check);
    };
    element.preload = "metadata";
    element.muted = true;
    element.onloadedmetadata = () => {
      const duration = element.duration;
      if (Number.isFinite(duration) && duration > 0) finish({ state: "ok", duration, video: element.videoWidth > 0 });
      else finish({ state: "undecodable" });
    };
    element.onerror = () => finish({ state: "undecodable" });
    timer = window.setTimeout(() => finish({ state: "undecodable" }), METADATA_TIMEOUT_MS);
    element.src = url;
  });
}

async function decodeAudio(file: File): Promise<MediaCheck> {
  try {
    const context = new OfflineAudioContext(1, 1, 8000);
    const buffer = await context.decodeAudioData(await file.arrayBuffer());
    return buffer.duration > 0 ? { state: "ok", duration: buffer.duration, video: false } : { state: "undecodable" };
  } catch {
    return { state: "undecodable" };
  }
}

/** Files above this are not decoded whole in the browser when the media element cannot open them. */
const DECODE_LIMIT_BYTES = 200 * 1024 * 1024;

export async function checkMedia(file: File): Promise<MediaCheck> {
  const probed = await probeElement(file);
  if (probed.state === "ok" || file.size > DECODE_LIMIT_BYTES) return probed;
  return decodeAudio(file);
}
