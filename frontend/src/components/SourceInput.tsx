/** Where a tool's input comes from: the choice between sources, and one of the owner's media files. */
import { useEffect, useState } from "react";
import { api } from "../api";
import { clockTime } from "../cloning/api";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";

export interface MediaItem {
  id: string;
  name: string;
  source: string;
  duration: number | null;
}

/** The owner's media files (/api/media), asked for once `enabled` first holds; null until they come. */
export function useMediaFiles(enabled: boolean, onError: (message: string) => void): MediaItem[] | null {
  const { t } = useI18n();
  const [media, setMedia] = useState<MediaItem[] | null>(null);

  useEffect(() => {
    if (!enabled || media !== null) return;
    const controller = new AbortController();
    api
      .get<MediaItem[]>("/api/media", { signal: controller.signal })
      .then(setMedia)
      .catch((err: unknown) => {
        if (!(err instanceof DOMException)) onError(errorMessage(err, t));
      });
    return () => controller.abort();
  }, [enabled, media, t, onError]);

  return media;
}

interface SourceModesProps<T extends string> {
  label: string;
  options: { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
  /** Each button's data-testid is this followed by its value. */
  testIdPrefix: string;
  disabled?: boolean;
}

/** The sources to choose from, as a segmented radio group. */
export function SourceModes<T extends string>({ label, options, value, onChange, testIdPrefix, disabled }: SourceModesProps<T>) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {options.map((item) => (
        <button
          key={item.value}
          type="button"
          role="radio"
          aria-checked={value === item.value}
          className={`segmented-item${value === item.value ? " active" : ""}`}
          data-testid={`${testIdPrefix}${item.value}`}
          disabled={disabled}
          onClick={() => onChange(item.value)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}

interface MediaSelectProps {
  label: string;
  /** The first, empty option once the files are there. */
  placeholder: string;
  /** Said under the list when the owner has no media files. */
  empty: string;
  media: MediaItem[] | null;
  value: string;
  onChange: (mediaId: string) => void;
  testId: string;
  disabled?: boolean;
  error?: string | null;
}

/** One of the owner's media files, by name and length. */
export function MediaSelect({ label, placeholder, empty, media, value, onChange, testId, disabled, error }: MediaSelectProps) {
  const { t } = useI18n();
  return (
    <label className="field">
      <span>{label}</span>
      <select data-testid={testId} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
        <option value="">{media === null ? t("common.loading") : placeholder}</option>
        {(media ?? []).map((item) => (
          <option key={item.id} value={item.id}>
            {item.name || item.id}
            {item.duration ? ` (${clockTime(item.duration, 0)})` : ""}
          </option>
        ))}
      </select>
      {media !== null && media.length === 0 && <small className="muted">{empty}</small>}
      {error && <small className="bad-text">{error}</small>}
    </label>
  );
}
