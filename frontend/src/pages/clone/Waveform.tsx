import { useEffect, useRef, useState } from "react";
import WaveSurfer from "wavesurfer.js";
import RegionsPlugin, { type Region } from "wavesurfer.js/plugins/regions";
import { PlayGlyph } from "../../components/SamplePlayer";
import { clockTime } from "../../cloning/api";
import { useT } from "../../i18n";

export interface ClipRegion {
  id: string;
  start: number;
  end: number;
}

interface Props {
  file: File;
  index: number;
  onRegions: (regions: ClipRegion[]) => void;
  onDuration: (seconds: number) => void;
  onError: (message: string) => void;
}

const REGION_COLOR = "rgba(109, 74, 255, 0.22)";
const NEW_REGION_SECONDS = 4;

/** One file's waveform (wavesurfer.js) with draggable, resizable regions: drag on the wave to add one. */
export function Waveform({ file, index, onRegions, onDuration, onError }: Props) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const surfer = useRef<WaveSurfer | null>(null);
  const plugin = useRef<RegionsPlugin | null>(null);
  const [ready, setReady] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [regions, setRegions] = useState<ClipRegion[]>([]);
  const callbacks = useRef({ onRegions, onDuration, onError });
  callbacks.current = { onRegions, onDuration, onError };

  useEffect(() => {
    if (!container.current) return;
    const url = URL.createObjectURL(file);
    const regionsPlugin = RegionsPlugin.create();
    const ws = WaveSurfer.create({
      container: container.current,
      url,
      height: 72,
      waveColor: "#b9acff",
      progressColor: "#6d4aff",
      cursorColor: "#151827",
      barWidth: 2,
      barGap: 1,
      barRadius: 2,
      normalize: true,
      plugins: [regionsPlugin],
    });
    surfer.current = ws;
    plugin.current = regionsPlugin;

    const sync = () => {
      const list = regionsPlugin
        .getRegions()
        .map((region: Region) => ({ id: region.id, start: region.start, end: region.end }))
        .sort((a, b) => a.start - b.start);
      setRegions(list);
      callbacks.current.onRegions(list);
    };
    const disableDrag = regionsPlugin.enableDragSelection({ color: REGION_COLOR });
    regionsPlugin.on("region-created", sync);
    regionsPlugin.on("region-updated", sync);
    regionsPlugin.on("region-removed", sync);
    regionsPlugin.on("region-clicked", (region: Region, event: MouseEvent) => {
      event.stopPropagation();
      region.play(true);
    });
    ws.on("ready", (duration: number) => {
      setReady(true);
      callbacks.current.onDuration(duration);
    });
    ws.on("play", () => setPlaying(true));
    ws.on("pause", () => setPlaying(false));
    ws.on("finish", () => setPlaying(false));
    ws.on("error", (err: Error) => callbacks.current.onError(err?.message || String(err)));

    return () => {
      disableDrag();
      ws.destroy();
      URL.revokeObjectURL(url);
      surfer.current = null;
      plugin.current = null;
    };
  }, [file]);

  const addRegion = () => {
    const ws = surfer.current;
    const regionsPlugin = plugin.current;
    if (!ws || !regionsPlugin) return;
    const duration = ws.getDuration();
    const length = Math.min(NEW_REGION_SECONDS, duration);
    const start = Math.max(0, Math.min(ws.getCurrentTime(), duration - length));
    regionsPlugin.addRegion({ start, end: start + length, color: REGION_COLOR, drag: true, resize: true });
  };

  const removeRegion = (id: string) => {
    plugin.current
      ?.getRegions()
      .find((region) => region.id === id)
      ?.remove();
  };

  return (
    <div className="wave" data-testid={`clone-wave-${index}`} data-ready={ready ? "true" : "false"} data-regions={regions.length}>
      <div className="wave-row">
        <button
          type="button"
          className="icon-btn wave-play"
          data-testid={`clone-wave-play-${index}`}
          aria-label={playing ? t("clone.pause") : t("clone.play")}
          title={playing ? t("clone.pause") : t("clone.play")}
          disabled={!ready}
          onClick={() => void surfer.current?.playPause()}
        >
          <PlayGlyph playing={playing} />
        </button>
        <div className="wave-canvas" ref={container} />
      </div>
      <div className="wave-foot">
        <button type="button" className="link-btn" data-testid={`clone-region-add-${index}`} disabled={!ready} onClick={addRegion}>
          + {t("clone.addRegion")}
        </button>
        {regions.length === 0 ? (
          <span className="muted small">{t("clone.noRegions")}</span>
        ) : (
          <ul className="region-list">
            {regions.map((region, n) => (
              <li key={region.id} className="chip chip-category" data-testid={`clone-region-${index}-${n}`}>
                {clockTime(region.start)} – {clockTime(region.end)}
                <button
                  type="button"
                  className="chip-x"
                  aria-label={t("clone.removeRegion")}
                  title={t("clone.removeRegion")}
                  data-testid={`clone-region-remove-${index}-${n}`}
                  onClick={() => removeRegion(region.id)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
