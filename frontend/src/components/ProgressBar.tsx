import { clampPercent } from "../format";

interface Props {
  /** 0–100; null shows an indeterminate bar. */
  value: number | null;
  label?: string;
  size?: "sm" | "md";
  /** Colour the bar by load: green, amber above 70 %, red above 90 %. */
  load?: boolean;
  testId?: string;
}

export function ProgressBar({ value, label, size = "md", load = false, testId }: Props) {
  const pct = value === null ? null : clampPercent(value);
  const tone = !load || pct === null ? "accent" : pct >= 90 ? "danger" : pct >= 70 ? "warn" : "ok";
  return (
    <div
      className={`bar bar-${size} bar-${tone}${pct === null ? " bar-indeterminate" : ""}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct === null ? undefined : Math.round(pct)}
      data-testid={testId}
    >
      <div className="bar-fill" style={pct === null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
