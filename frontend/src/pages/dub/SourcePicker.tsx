import { useEffect, useRef, useState } from "react";
import { api } from "../../api";
import { clockTime } from "../../cloning/api";
import { errorMessage } from "../../errors";
import { useI18n } from "../../i18n";
import type { DubSource } from "./api";
import { checkMedia, type MediaCheck } from "./mediaCheck";

type Mode = "file" | "url" | "media";

interface MediaItem {
  id: string;
  name: string;
  source: string;
  duration: number | null;
}

interface Props {
  disabled: boolean;
  /** The source when it can be dubbed (a file only once the browser has read it), else null. */
  onChange: (source: DubSource | null) => void;
}

/** Where the dub's video or recording comes from: a file (checked here first), a link, or a media file. */
export function SourcePicker({ disabled, onChange }: Props) {
  const { t, locale } = useI18n();
  const [mode, setMode] = useState<Mode>("file");
  const [file, setFile] = useState<File | null>(null);
  const [check, setCheck] = useState<MediaCheck | null>(null);
  const [url, setUrl] = useState("");
  const [mediaId, setMediaId] = useState("");
  const [media, setMedia] = useState<MediaItem[] | null>(null);
  const [mediaError, setMediaError] = useState<string | null>(null);
  const checked = useRef<File | null>(null);

  useEffect(() => {
    if (mode !== "media" || media !== null) return;
    const controller = new AbortController();
    api
      .get<MediaItem[]>("/api/media", { signal: controller.signal })
      .then(setMedia)
      .catch((err: unknown) => {
        if (!(err instanceof DOMException)) setMediaError(errorMessage(err, t));
      });
    return () => controller.abort();
  }, [mode, media, t]);

  useEffect(() => {
    if (mode === "file") onChange(file && check?.state === "ok" ? { kind: "file", file } : null);
    else if (mode === "url") onChange(/^https?:\/\/\S+$/i.test(url.trim()) ? { kind: "url", url: url.trim() } : null);
    else onChange(mediaId ? { kind: "media", mediaId } : null);
  }, [mode, file, check, url, mediaId, onChange]);

  const pick = (next: File | null) => {
    setFile(next);
    setCheck(next ? { state: "checking" } : null);
    checked.current = next;
    if (next) void checkMedia(next).then((result) => checked.current === next && setCheck(result));
  };

  const seconds = (value: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
  const modes: { value: Mode; label: string }[] = [
    { value: "file", label: t("dub.source.file") },
    { value: "url", label: t("dub.source.url") },
    { value: "media", label: t("dub.source.media") },
  ];

  return (
    <section className="card" data-testid="dub-source">
      <header className="card-header">
        <div>
          <h2>{t("dub.source.title")}</h2>
          <p className="muted small">{t("dub.source.hint")}</p>
        </div>
      </header>
      <div className="segmented" role="radiogroup" aria-label={t("dub.source.title")}>
        {modes.map((item) => (
          <button
            key={item.value}
            type="button"
            role="radio"
            aria-checked={mode === item.value}
            className={`segmented-item${mode === item.value ? " active" : ""}`}
            data-testid={`dub-source-${item.value}`}
            disabled={disabled}
            onClick={() => setMode(item.value)}
          >
            {item.label}
          </button>
        ))}
      </div>
      {mode === "file" && (
        <div className="field">
          <span>{t("dub.source.fileLabel")}</span>
          <input
            type="file"
            accept="video/*,audio/*,.mp4,.mkv,.webm,.mov,.wav,.mp3,.flac,.ogg,.m4a"
            data-testid="dub-file"
            disabled={disabled}
            onChange={(event) => pick(event.target.files?.[0] ?? null)}
          />
          {file && check && (
            <p
              className={check.state === "undecodable" ? "alert alert-error small" : "muted small"}
              role={check.state === "undecodable" ? "alert" : undefined}
              data-testid="dub-file-check"
              data-check={check.state}
            >
              {check.state === "checking"
                ? t("dub.check.checking")
                : check.state === "undecodable"
                  ? t("dub.check.undecodable", { name: file.name })
                  : t(check.video ? "dub.check.okVideo" : "dub.check.okAudio", { seconds: seconds(check.duration) })}
            </p>
          )}
        </div>
      )}
      {mode === "url" && (
        <label className="field">
          <span>{t("dub.source.urlLabel")}</span>
          <input
            type="url"
            data-testid="dub-url"
            value={url}
            disabled={disabled}
            placeholder="https://…"
            onChange={(event) => setUrl(event.target.value)}
          />
          <small className="muted">{t("dub.source.urlHint")}</small>
        </label>
      )}
      {mode === "media" && (
        <label className="field">
          <span>{t("dub.source.mediaLabel")}</span>
          <select data-testid="dub-media" value={mediaId} disabled={disabled} onChange={(event) => setMediaId(event.target.value)}>
            <option value="">{media === null ? t("common.loading") : t("dub.source.pickMedia")}</option>
            {(media ?? []).map((item) => (
              <option key={item.id} value={item.id}>
                {item.name || item.id}
                {item.duration ? ` (${clockTime(item.duration, 0)})` : ""}
              </option>
            ))}
          </select>
          {media !== null && media.length === 0 && <small className="muted">{t("dub.source.noMedia")}</small>}
          {mediaError && <small className="bad-text">{mediaError}</small>}
        </label>
      )}
    </section>
  );
}
