/** Plays a layout with Web Audio: each audible block's source decoded once, scheduled with its trim, gain and fades. */
import { apiBlob } from "../api";
import { blockLength, trackAudible, type EditBlock, type EditTrack } from "./model";

/** Scheduling slack so the first blocks don't start late. */
const LEAD_SECONDS = 0.08;

export class TimelinePlayer {
  private ctx: AudioContext | null = null;
  private readonly buffers = new Map<string, Promise<AudioBuffer | null>>();
  private nodes: AudioScheduledSourceNode[] = [];
  private gains: GainNode[] = [];
  private startedAt = 0;
  private from = 0;
  private session = 0;
  playing = false;
  /** Sources that could not be fetched or decoded in the last `play`. */
  failed: string[] = [];

  private context(): AudioContext {
    if (!this.ctx) this.ctx = new AudioContext();
    return this.ctx;
  }

  private load(url: string): Promise<AudioBuffer | null> {
    let buffer = this.buffers.get(url);
    if (!buffer) {
      const ctx = this.context();
      buffer = apiBlob("GET", url)
        .then(({ blob }) => blob.arrayBuffer())
        .then((data) => ctx.decodeAudioData(data))
        .catch(() => {
          this.buffers.delete(url);
          return null;
        });
      this.buffers.set(url, buffer);
    }
    return buffer;
  }

  /** Current position in timeline seconds. */
  position(): number {
    if (!this.playing || !this.ctx) return this.from;
    return this.from + Math.max(0, this.ctx.currentTime - this.startedAt);
  }

  /** Fetch what's missing, then play every audible block from `from` seconds. Resolves once sound is scheduled. */
  async play(tracks: EditTrack[], from: number): Promise<void> {
    this.stop();
    const session = ++this.session;
    const ctx = this.context();
    if (ctx.state === "suspended") await ctx.resume();
    const audible: { block: EditBlock; trackGain: number }[] = [];
    for (const track of tracks) {
      if (!trackAudible(track, tracks)) continue;
      for (const block of track.blocks) {
        if (block.mute || block.is_image) continue;
        if (block.start + blockLength(block) <= from) continue;
        audible.push({ block, trackGain: track.gain_db });
      }
    }
    const loaded = await Promise.all(audible.map(({ block }) => this.load(block.audio_url)));
    if (session !== this.session) return; // stopped or restarted while loading
    this.failed = audible.filter((_, i) => !loaded[i]).map(({ block }) => block.source_name || block.label);
    const now = ctx.currentTime + LEAD_SECONDS;
    this.startedAt = now;
    this.from = from;
    this.playing = true;
    audible.forEach(({ block, trackGain }, i) => {
      const buffer = loaded[i];
      if (buffer) this.schedule(ctx, buffer, block, trackGain, from, now);
    });
  }

  private schedule(ctx: AudioContext, buffer: AudioBuffer, block: EditBlock, trackGain: number, from: number, now: number) {
    const length = blockLength(block);
    const offset = Math.max(0, from - block.start); // seconds into the block where playback begins
    const remaining = length - offset;
    if (remaining <= 0) return;
    const when = now + Math.max(0, block.start - from);
    const level = Math.pow(10, (block.gain_db + trackGain) / 20);
    let fadeIn = Math.max(0, block.fade_in);
    let fadeOut = Math.max(0, block.fade_out);
    if (fadeIn + fadeOut > length && fadeIn + fadeOut > 0) {
      const scale = length / (fadeIn + fadeOut);
      fadeIn *= scale;
      fadeOut *= scale;
    }
    // The envelope at block-relative time x (linear fades multiplied, like the server's mixer).
    const envelope = (x: number) => {
      let g = 1;
      if (fadeIn > 0) g *= Math.min(1, x / fadeIn);
      if (fadeOut > 0) g *= Math.min(1, (length - x) / fadeOut);
      return Math.max(0, g) * level;
    };
    const gain = ctx.createGain();
    const param = gain.gain;
    param.setValueAtTime(envelope(offset), when);
    if (fadeIn > 0 && offset < fadeIn) param.linearRampToValueAtTime(envelope(fadeIn), when + (fadeIn - offset));
    if (fadeOut > 0) {
      const fadeStart = length - fadeOut;
      if (fadeStart > offset) param.setValueAtTime(envelope(fadeStart), when + (fadeStart - offset));
      param.linearRampToValueAtTime(0, when + remaining);
    }
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(gain).connect(ctx.destination);
    const sourceOffset = Math.min(buffer.duration, block.in_point + offset);
    source.start(when, sourceOffset, Math.max(0, Math.min(remaining, buffer.duration - sourceOffset)));
    this.nodes.push(source);
    this.gains.push(gain);
  }

  /** Stop everything; the position stays where it was. */
  stop(): number {
    const at = this.position();
    this.session += 1;
    for (const node of this.nodes) {
      try {
        node.stop();
      } catch {
        // never started
      }
      node.disconnect();
    }
    for (const gain of this.gains) gain.disconnect();
    this.nodes = [];
    this.gains = [];
    this.playing = false;
    this.from = at;
    return at;
  }

  /** Forget decoded audio that no block uses any more. */
  prune(urls: Set<string>): void {
    for (const url of [...this.buffers.keys()]) if (!urls.has(url)) this.buffers.delete(url);
  }

  close(): void {
    this.stop();
    void this.ctx?.close();
    this.ctx = null;
    this.buffers.clear();
  }
}
