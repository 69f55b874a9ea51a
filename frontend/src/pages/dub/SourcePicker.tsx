import { useEffect, useRef, useState } from "react";
import { MediaSelect, SourceModes, useMediaFiles } from "../../components/SourceInput";
import { useI18n } from "../../i18n";
import type { DubSource } from "./api";
import { checkMedia, type MediaCheck } from "./mediaCheck";

type Mode = "file" | "url" | "media";

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
  const [mediaError, setMediaError] = useState<string | null>(null);
  const media = useMediaFiles(mode === "media", setMediaError);
  const checked = useRef<File | null>(null);

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
      <SourceModes
        label={t("dub.source.title")}
        options={modes}
        value={mode}
        onChange={setMode}
        testIdPrefix="dub-source-"
        disabled={disabled}
      />
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
        <MediaSelect
          label={t("dub.source.mediaLabel")}
          placeholder={t("dub.source.pickMedia")}
          empty={t("dub.source.noMedia")}
          media={media}
          value={mediaId}
          onChange={setMediaId}
          testId="dub-media"
          disabled={disabled}
          error={mediaError}
        />
      )}
    </section>
  );
}
