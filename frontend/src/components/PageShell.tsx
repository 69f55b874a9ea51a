/** The repeated parts of a page: its header, its error and notice banners, and a pager. */
import type { ReactNode } from "react";

interface HeaderProps {
  title: ReactNode;
  lead?: ReactNode;
  /** Shown on the right of the title (actions, badges). */
  side?: ReactNode;
}

export function PageHeader({ title, lead, side }: HeaderProps) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {lead && <p className="lead">{lead}</p>}
      </div>
      {side && <div className="page-header-side">{side}</div>}
    </header>
  );
}

interface AlertProps {
  children: ReactNode;
  testId?: string;
  /** Adds the `small` class (an alert inside a card). */
  small?: boolean;
  kind?: "error" | "success" | "info";
  /** The element: `p` (default) or `div` (for block content). */
  as?: "p" | "div";
}

/** A banner; errors are announced (`role="alert"`). Renders nothing without children. */
export function Alert({ children, testId, small, kind = "error", as = "p" }: AlertProps) {
  if (children === null || children === undefined || children === false || children === "") return null;
  const Tag = as;
  return (
    <Tag className={`alert alert-${kind}${small ? " small" : ""}`} role={kind === "error" ? "alert" : undefined} data-testid={testId}>
      {children}
    </Tag>
  );
}

interface PagerProps {
  page: number;
  pages: number;
  onPage: (page: number) => void;
  previousLabel: string;
  nextLabel: string;
  /** "Page 2 of 5 · 48 in total" or similar. */
  summary: ReactNode;
  /** Test ids `<prefix>-prev`, `<prefix>-page`, `<prefix>-next`. */
  testIdPrefix: string;
  /** Both buttons off (a page is loading). */
  busy?: boolean;
}

export function Pager({ page, pages, onPage, previousLabel, nextLabel, summary, testIdPrefix, busy = false }: PagerProps) {
  return (
    <div className="pager">
      <button
        type="button"
        className="btn btn-sm btn-secondary"
        data-testid={`${testIdPrefix}-prev`}
        disabled={page <= 1 || busy}
        onClick={() => onPage(Math.max(1, page - 1))}
      >
        {previousLabel}
      </button>
      <span className="muted small" data-testid={`${testIdPrefix}-page`}>
        {summary}
      </span>
      <button
        type="button"
        className="btn btn-sm btn-secondary"
        data-testid={`${testIdPrefix}-next`}
        disabled={page >= pages || busy}
        onClick={() => onPage(page + 1)}
      >
        {nextLabel}
      </button>
    </div>
  );
}
