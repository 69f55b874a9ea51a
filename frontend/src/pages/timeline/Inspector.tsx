import { useEffect, useRef, useState } from "react";
import { formatNumber } from "../../format";
import { useI18n } from "../../i18n";
import { blockLength, clamp, GAIN_MAX, GAIN_MIN, ms, type EditBlock, type EditTrack } from "../../timeline/model";

interface NumberInputProps {
  value: number;
  min: number;
  max: number;
  step: number;
  testId: string;
  label: string;
  onChange: (value: number) => void;
}

/** The value as the field shows it: rounded to the step's decimals (a drag leaves 2.739954648526 behind). */
function shown(value: number, step: number): string {
  const decimals = (String(step).split(".")[1] ?? "").length;
  return String(Number(value.toFixed(decimals)));
}

/** A number field that lets the user type freely and reports only valid, clamped numbers. */
export function NumberInput({ value, min, max, step, testId, label, onChange }: NumberInputProps) {
  const [text, setText] = useState(shown(value, step));
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setText(shown(value, step));
  }, [value, step]);
  return (
    <input
      type="number"
      className="input tl-num"
      data-testid={testId}
      aria-label={label}
      min={min}
      max={max}
      step={step}
      value={text}
      onFocus={() => {
        focused.current = true;
      }}
      onBlur={() => {
        focused.current = false;
        setText(shown(value, step));
      }}
      onChange={(event) => {
        setText(event.target.value);
        const parsed = Number(event.target.value);
        if (event.target.value.trim() !== "" && Number.isFinite(parsed)) onChange(clamp(parsed, min, max));
      }}
    />
  );
}

interface Props {
  track: EditTrack;
  block: EditBlock;
  /** `merge`: a key under which quick successive changes become one undo step. */
  onChange: (block: EditBlock, merge: string) => void;
  onRemove: () => void;
}

export function Inspector({ track, block, onChange, onRemove }: Props) {
  const { t, locale } = useI18n();
  const length = blockLength(block);
  const set = (change: Partial<EditBlock>, field: string) => onChange({ ...block, ...change }, `${block.uid}:${field}`);
  const picture = track.kind === "video";

  return (
    <section className="card tl-inspector" data-testid="timeline-inspector" data-block={block.id}>
      <header className="card-header">
        <div>
          <h2>{t("timeline.block.title")}</h2>
          <p className="muted small tl-ellipsis" title={block.label || block.source_name}>
            {block.label || block.source_name}
          </p>
        </div>
        <button type="button" className="btn btn-sm btn-danger" data-testid="timeline-block-remove" onClick={onRemove}>
          {t("timeline.block.remove")}
        </button>
      </header>
      <div className="tl-inspector-grid">
        <label className="field">
          <span>{t("timeline.block.start")}</span>
          <NumberInput
            value={block.start}
            min={0}
            max={43_200}
            step={0.1}
            testId="timeline-block-start"
            label={t("timeline.block.start")}
            onChange={(value) => set({ start: ms(value) }, "start")}
          />
        </label>
        <label className="field">
          <span>{t("timeline.block.in")}</span>
          <NumberInput
            value={block.in_point}
            min={0}
            max={Math.max(0, block.out_point - 0.05)}
            step={0.1}
            testId="timeline-block-in"
            label={t("timeline.block.in")}
            onChange={(value) => set({ in_point: ms(value) }, "in")}
          />
        </label>
        <label className="field">
          <span>{t("timeline.block.out")}</span>
          <NumberInput
            value={block.out_point}
            min={block.in_point + 0.05}
            max={block.source_duration}
            step={0.1}
            testId="timeline-block-out"
            label={t("timeline.block.out")}
            onChange={(value) => set({ out_point: Math.min(block.source_duration, ms(value)) }, "out")}
          />
        </label>
        {!picture && (
          <>
            <label className="field tl-gain-field">
              <span>
                {t("timeline.block.gain")} <span className="muted">{formatNumber(block.gain_db, locale, 1)} dB</span>
              </span>
              <input
                type="range"
                data-testid="timeline-block-gain"
                min={GAIN_MIN}
                max={GAIN_MAX}
                step={0.5}
                value={block.gain_db}
                onChange={(event) => set({ gain_db: Number(event.target.value) }, "gain")}
              />
            </label>
            <label className="field">
              <span>{t("timeline.block.fadeIn")}</span>
              <NumberInput
                value={block.fade_in}
                min={0}
                max={ms(Math.max(0, length - block.fade_out))}
                step={0.05}
                testId="timeline-block-fade-in"
                label={t("timeline.block.fadeIn")}
                onChange={(value) => set({ fade_in: ms(value) }, "fadeIn")}
              />
            </label>
            <label className="field">
              <span>{t("timeline.block.fadeOut")}</span>
              <NumberInput
                value={block.fade_out}
                min={0}
                max={ms(Math.max(0, length - block.fade_in))}
                step={0.05}
                testId="timeline-block-fade-out"
                label={t("timeline.block.fadeOut")}
                onChange={(value) => set({ fade_out: ms(value) }, "fadeOut")}
              />
            </label>
          </>
        )}
        <label className="filter-check tl-mute-check">
          <input
            type="checkbox"
            data-testid="timeline-block-mute"
            checked={block.mute}
            onChange={(event) => set({ mute: event.target.checked }, "mute")}
          />
          <span>{picture ? t("timeline.block.hide") : t("timeline.block.mute")}</span>
        </label>
      </div>
      <p className="muted small" data-testid="timeline-block-length">
        {block.is_image
          ? t("timeline.block.lengthPicture", { seconds: formatNumber(length, locale, 1) })
          : t("timeline.block.length", { seconds: formatNumber(length, locale, 1), source: formatNumber(block.source_duration, locale, 1) })}
      </p>
    </section>
  );
}
