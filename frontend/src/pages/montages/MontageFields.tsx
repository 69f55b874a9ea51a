/** The form of a montage: title, notes, and its generations in order. */
import { useState } from "react";
import type { Generation } from "../../api";
import { useI18n } from "../../i18n";
import { modeText } from "../../jobText";
import { clock } from "../../timeline/model";

export interface Draft {
  title: string;
  notes: string;
  ids: string[];
}

export interface GenInfo {
  id: string;
  title: string;
  mode: string;
  duration: number | null;
}

function move<T>(items: T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length) return items;
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

interface FormProps {
  draft: Draft;
  setDraft: (draft: Draft) => void;
  available: Generation[] | null;
  known: Map<string, GenInfo>;
  prefix: string;
}

/** Title, notes, and the generations in order: a multi-select of finished generations plus the ordered list. */
export function MontageFields({ draft, setDraft, available, known, prefix }: FormProps) {
  const { t } = useI18n();
  const [filter, setFilter] = useState("");
  const [dragging, setDragging] = useState<number | null>(null);
  const chosen = new Set(draft.ids);
  const shown = (available ?? []).filter(
    (g) => !filter.trim() || (g.title || "").toLowerCase().includes(filter.trim().toLowerCase()),
  );
  const toggle = (id: string, on: boolean) =>
    setDraft({ ...draft, ids: on ? [...draft.ids, id] : draft.ids.filter((item) => item !== id) });

  return (
    <>
      <label className="field">
        <span>{t("montages.title")}</span>
        <input
          className="input"
          data-testid={`${prefix}-title`}
          maxLength={120}
          value={draft.title}
          placeholder={t("montages.titlePlaceholder")}
          onChange={(event) => setDraft({ ...draft, title: event.target.value })}
        />
      </label>
      <label className="field">
        <span>{t("montages.notes")}</span>
        <textarea
          className="input"
          data-testid={`${prefix}-notes`}
          rows={2}
          maxLength={10_000}
          value={draft.notes}
          onChange={(event) => setDraft({ ...draft, notes: event.target.value })}
        />
      </label>
      <div className="field">
        <span>{t("montages.pick")}</span>
        <input
          type="search"
          className="input"
          data-testid={`${prefix}-filter`}
          placeholder={t("montages.filter")}
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
        {available === null ? (
          <p className="muted small">{t("common.loading")}</p>
        ) : shown.length === 0 ? (
          <p className="muted small">{t("montages.noGenerations")}</p>
        ) : (
          <ul className="mt-pick" data-testid={`${prefix}-generations`}>
            {shown.map((g) => (
              <li key={g.id}>
                <label className="filter-check">
                  <input
                    type="checkbox"
                    data-testid={`${prefix}-gen-${g.id}`}
                    checked={chosen.has(g.id)}
                    onChange={(event) => toggle(g.id, event.target.checked)}
                  />
                  <span className="tl-ellipsis" title={g.title}>
                    {g.title || t("history.untitled")}
                  </span>
                  <span className="muted small">
                    {modeText(g.mode, t)} · {g.duration ? clock(g.duration) : "—"}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="field">
        <span>{t("montages.order", { count: draft.ids.length })}</span>
        {draft.ids.length === 0 ? (
          <p className="muted small">{t("montages.orderEmpty")}</p>
        ) : (
          <ol className="mt-order" data-testid={`${prefix}-order`}>
            {draft.ids.map((id, index) => {
              const info = known.get(id);
              return (
                <li
                  key={id}
                  draggable
                  className={dragging === index ? "dragging" : ""}
                  data-testid={`${prefix}-item-${id}`}
                  onDragStart={(event) => {
                    setDragging(index);
                    event.dataTransfer.effectAllowed = "move";
                  }}
                  onDragOver={(event) => event.preventDefault()}
                  onDrop={(event) => {
                    event.preventDefault();
                    if (dragging !== null) setDraft({ ...draft, ids: move(draft.ids, dragging, index) });
                    setDragging(null);
                  }}
                  onDragEnd={() => setDragging(null)}
                >
                  <span className="mt-grip" aria-hidden="true">
                    ⋮⋮
                  </span>
                  <span className="mt-index">{index + 1}</span>
                  <span className="tl-ellipsis mt-name" title={info?.title}>
                    {info?.title || t("history.untitled")}
                  </span>
                  <span className="muted small">{info?.duration ? clock(info.duration) : ""}</span>
                  <button
                    type="button"
                    className="icon-btn"
                    data-testid={`${prefix}-up-${id}`}
                    aria-label={t("montages.up")}
                    title={t("montages.up")}
                    disabled={index === 0}
                    onClick={() => setDraft({ ...draft, ids: move(draft.ids, index, index - 1) })}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon-btn"
                    data-testid={`${prefix}-down-${id}`}
                    aria-label={t("montages.down")}
                    title={t("montages.down")}
                    disabled={index === draft.ids.length - 1}
                    onClick={() => setDraft({ ...draft, ids: move(draft.ids, index, index + 1) })}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="icon-btn icon-btn-danger"
                    data-testid={`${prefix}-remove-${id}`}
                    aria-label={t("montages.removeItem")}
                    title={t("montages.removeItem")}
                    onClick={() => toggle(id, false)}
                  >
                    ×
                  </button>
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </>
  );
}
