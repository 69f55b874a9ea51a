import { Link } from "react-router";
import { clockTime } from "../../cloning/api";
import { formatNumber, formatSeconds } from "../../format";
import { hasMessage, useI18n, type TFunction, type Vars } from "../../i18n";
import { dubLanguage } from "./labels";
import type { Dub, DubNote, DubSegment } from "./api";

function withParam(url: string, key: string, value: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}${key}=${encodeURIComponent(value)}`;
}

/** Seconds as a plural message's number: two decimals at most (Intl writes them in the UI's language). */
const secondsValue = (value: number | undefined) => Math.round((value ?? 0) * 100) / 100;

/** A note of the dub in the UI's language (its code and numbers); one whose code this UI does not know, as written. */
function noteText(note: DubNote, t: TFunction, locale: string): string {
  const key = `dub.note.${note.code}`;
  if (!hasMessage(key)) return note.text;
  const vars: Vars = {
    line: formatNumber((note.segment ?? 0) + 1, locale, 0),
    seconds: secondsValue(note.seconds),
    beyond: secondsValue(note.beyond),
    needed: secondsValue(note.needed),
    speaker: note.speaker ?? "",
    language: note.language ? dubLanguage(note.language, t, locale) : "",
    voice: note.voice ?? "",
    format: (note.format ?? "").toUpperCase(),
  };
  return t(key, vars);
}

/** How a segment was fitted into its slot: its speaking speed, the stretch, a move into the silence after it. */
function fitNotes(segment: DubSegment, t: TFunction, locale: string): string[] {
  const notes: string[] = [];
  const times = (value: number) => `×${formatNumber(value, locale, 2)}`;
  if (segment.speed && Math.abs(segment.speed - 1) >= 0.005) notes.push(t("dub.segment.speed", { value: times(segment.speed) }));
  if (segment.stretch && Math.abs(segment.stretch - 1) >= 0.005) notes.push(t("dub.segment.stretch", { value: times(segment.stretch) }));
  const late = segment.speech_start - segment.start;
  if (late >= 0.01) notes.push(t("dub.segment.late", { value: formatSeconds(late, t, locale, 2) }));
  if (segment.moved_by && Math.abs(segment.moved_by) >= 0.005) notes.push(t("dub.segment.moved", { value: formatSeconds(segment.moved_by, t, locale, 2) }));
  return notes;
}

export function DubResult({ dub }: { dub: Dub }) {
  const { t, locale } = useI18n();
  const render = dub.render;
  const segments = dub.segments ?? [];
  const similarity = (value: number) => formatNumber(value, locale, 2);

  return (
    <section className="card" data-testid="dub-result" data-job={dub.job_id}>
      <header className="card-header">
        <div>
          <h2>{t("dub.result.title")}</h2>
          <div className="chips dub-facts">
            <span className="chip chip-muted" data-testid="dub-result-languages">
              {dubLanguage(dub.source_language, t, locale)} → {dubLanguage(dub.target_language, t, locale)}
            </span>
            {dub.duration !== null && (
              <span className="chip chip-muted" data-testid="dub-result-duration" data-value={dub.duration}>
                {formatSeconds(dub.duration, t, locale)}
              </span>
            )}
            <span className="chip chip-muted">{t("dub.result.segments", { n: segments.length })}</span>
          </div>
        </div>
      </header>

      {render ? (
        render.format === "mp4" ? (
          <video controls preload="metadata" src={render.url} className="dub-video" data-testid="dub-result-video" />
        ) : (
          <audio controls preload="metadata" src={render.url} className="tool-audio" data-testid="dub-result-audio" />
        )
      ) : (
        <p className="muted">{t("dub.result.noRender")}</p>
      )}

      <div className="actions actions-start dub-actions">
        {dub.timeline_id && (
          <Link className="btn btn-primary btn-sm" to={`/timeline?generation=${encodeURIComponent(dub.timeline_id)}`} data-testid="dub-open-timeline">
            {t("dub.result.openTimeline")}
          </Link>
        )}
        {render && (
          <a className="btn btn-secondary btn-sm" href={withParam(render.url, "download", "1")} download data-testid="dub-download-video">
            {t("dub.result.download", { format: render.format.toUpperCase() })}
          </a>
        )}
        {dub.subtitles && (
          <>
            <a className="btn btn-secondary btn-sm" href={dub.subtitles.srt} download data-testid="dub-download-srt">
              {t("dub.result.subtitles", { format: "SRT" })}
            </a>
            <a className="btn btn-secondary btn-sm" href={dub.subtitles.vtt} download data-testid="dub-download-vtt">
              {t("dub.result.subtitles", { format: "VTT" })}
            </a>
          </>
        )}
      </div>

      {dub.speakers.length > 0 && (
        <>
          <h3 className="subhead">{t("dub.result.speakers", { n: dub.speakers.length })}</h3>
          <ul className="dub-speakers" data-testid="dub-speakers">
            {dub.speakers.map((speaker) => (
              <li key={speaker.label} data-testid={`dub-speaker-${speaker.label}`}>
                <strong>{t("dub.result.speaker", { label: speaker.label })}</strong>
                <span className={`chip ${speaker.cloned ? "chip-kind-cloned" : "chip-muted"}`}>
                  {speaker.cloned ? t("dub.result.cloned") : t("dub.result.library")}
                </span>
                {speaker.cloned && typeof speaker.similarity === "number" && (
                  <span className="muted small" data-testid={`dub-speaker-similarity-${speaker.label}`}>
                    {t("dub.result.similarity", { value: similarity(speaker.similarity) })}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}

      {dub.notes.length > 0 && (
        <ul className="dub-notes small" data-testid="dub-notes">
          {dub.notes.map((note, index) => (
            <li key={index} data-code={note.code} data-segment={note.segment ?? undefined}>
              {noteText(note, t, locale)}
            </li>
          ))}
        </ul>
      )}

      {segments.length > 0 && (
        <>
          <h3 className="subhead">{t("dub.result.lines")}</h3>
          <div className="table-scroll dub-segments-scroll">
            <table className="table table-compact table-cards dub-segments" data-testid="dub-segments">
              <thead>
                <tr>
                  <th>{t("dub.segment.time")}</th>
                  <th>{t("dub.segment.source")}</th>
                  <th>{t("dub.segment.text")}</th>
                  <th>{t("dub.segment.fit")}</th>
                </tr>
              </thead>
              <tbody>
                {segments.map((segment) => {
                  const fit = fitNotes(segment, t, locale);
                  return (
                    <tr key={segment.index} data-testid={`dub-segment-${segment.index}`}>
                      <td data-label={t("dub.segment.time")} className="segment-time nowrap">
                        {clockTime(segment.start)}–{clockTime(segment.end)}
                        {dub.speakers.length > 1 && <span className="chip chip-speaker">{segment.speaker}</span>}
                      </td>
                      <td data-label={t("dub.segment.source")}>{segment.source_text}</td>
                      <td data-label={t("dub.segment.text")}>{segment.text}</td>
                      <td data-label={t("dub.segment.fit")} className="small">
                        {fit.length ? fit.join(" · ") : <span className="muted">{t("dub.segment.asIs")}</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
