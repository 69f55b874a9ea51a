interface Props {
  /** Values 0–100, oldest first. */
  values: number[];
  /** How many points the full width stands for. */
  capacity: number;
  label: string;
}

const WIDTH = 300;
const HEIGHT = 64;

/** A small area chart of recent percentages, drawn right-aligned so new points enter from the right. */
export function Sparkline({ values, capacity, label }: Props) {
  const step = WIDTH / Math.max(1, capacity - 1);
  const offset = (capacity - values.length) * step;
  const points = values.map((v, i) => {
    const x = offset + i * step;
    const y = HEIGHT - (Math.min(100, Math.max(0, v)) / 100) * (HEIGHT - 2) - 1;
    return [x, y] as const;
  });
  const line = points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
  const area =
    points.length > 1
      ? `${line} L${points[points.length - 1][0].toFixed(1)},${HEIGHT} L${points[0][0].toFixed(1)},${HEIGHT} Z`
      : "";
  return (
    <svg className="sparkline" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={label}>
      <line x1="0" x2={WIDTH} y1={HEIGHT / 2} y2={HEIGHT / 2} className="sparkline-grid" />
      <line x1="0" x2={WIDTH} y1={HEIGHT * 0.1} y2={HEIGHT * 0.1} className="sparkline-grid" />
      {area && <path d={area} className="sparkline-area" />}
      {points.length > 1 && <path d={line} className="sparkline-line" />}
    </svg>
  );
}
