/** The head of one track in the timeline editor: name, kind, remove, mute, solo, gain. */
import type { RefObject } from "react";
import { useT, type TFunction } from "../../i18n";
import type { TrackKind } from "../../timeline/api";
import { GAIN_MAX, GAIN_MIN, trackAudible, updateTrack, type EditTrack } from "../../timeline/model";
import { LANE_HEIGHT } from "./BlockView";
import { NumberInput } from "./Inspector";

const KIND_KEYS = {
  voice: "timeline.kind.voice",
  music: "timeline.kind.music",
  video: "timeline.kind.video",
} as const satisfies Record<TrackKind, string>;

/** The names the server gives new tracks; shown in the UI's language until the user renames the track. */
const DEFAULT_NAMES: Partial<Record<TrackKind, { name: string; key: "timeline.track.defaultVoice" | "timeline.track.defaultMusic" }>> = {
  voice: { name: "Voice", key: "timeline.track.defaultVoice" },
  music: { name: "Music", key: "timeline.track.defaultMusic" },
};

export function trackName(track: EditTrack, t: TFunction): string {
  const fixed = DEFAULT_NAMES[track.kind];
  return fixed && track.name === fixed.name ? t(fixed.key) : track.name;
}

interface Props {
  track: EditTrack;
  /** The layout as it is now (edits apply to the latest, not to the one of the last render). */
  tracks: RefObject<EditTrack[]>;
  edit: (tracks: EditTrack[], merge?: string) => void;
}

export function TrackHead({ track, tracks, edit }: Props) {
  const t = useT();
  const audible = trackAudible(track, tracks.current);
  return (

    <div
      className={`tl-track-head tl-kind-${track.kind}${audible || track.kind === "video" ? "" : " silent"}`}
      style={{ height: LANE_HEIGHT }}
      data-testid={`timeline-track-${track.id}`}
    >
      <div className="tl-track-title">
        <span className={`tl-dot tl-dot-${track.kind}`} aria-hidden="true" />
        <span className="strong tl-ellipsis" title={trackName(track, t)}>
          {trackName(track, t)}
        </span>
        <span className="muted small">{t(KIND_KEYS[track.kind])}</span>
        <button
          type="button"
          className="icon-btn icon-btn-danger tl-track-remove"
          data-testid={`timeline-track-remove-${track.id}`}
          title={t("timeline.track.remove")}
          aria-label={t("timeline.track.remove")}
          onClick={() => {
            if (track.blocks.length && !window.confirm(t("timeline.track.removeConfirm", { name: trackName(track, t) }))) return;
            edit(tracks.current.filter((item) => item.uid !== track.uid));
          }}
        >
          ×
        </button>
      </div>
      <div className="tl-track-controls">
        <button
          type="button"
          className={`tl-toggle${track.mute ? " on mute" : ""}`}
          data-testid={`timeline-track-mute-${track.id}`}
          aria-pressed={track.mute}
          title={track.kind === "video" ? t("timeline.track.hide") : t("timeline.track.mute")}
          onClick={() => edit(updateTrack(tracks.current, track.uid, { mute: !track.mute }))}
        >
          M
        </button>
        {track.kind !== "video" && (
          <button
            type="button"
            className={`tl-toggle${track.solo ? " on solo" : ""}`}
            data-testid={`timeline-track-solo-${track.id}`}
            aria-pressed={track.solo}
            title={t("timeline.track.solo")}
            onClick={() => edit(updateTrack(tracks.current, track.uid, { solo: !track.solo }))}
          >
            S
          </button>
        )}
        {track.kind !== "video" && (
          <label className="tl-track-gain" title={t("timeline.track.gain")}>
            <NumberInput
              value={track.gain_db}
              min={GAIN_MIN}
              max={GAIN_MAX}
              step={0.5}
              testId={`timeline-track-gain-${track.id}`}
              label={t("timeline.track.gain")}
              onChange={(value) => edit(updateTrack(tracks.current, track.uid, { gain_db: value }), `${track.uid}:gain`)}
            />
            <span className="muted small">dB</span>
          </label>
        )}
      </div>
    </div>
  );
}
