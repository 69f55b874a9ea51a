/** The designed voices on offer: a player for each, "Keep" one under a name, or discard them all. */
import "./design.css";
import { useState } from "react";
import { useI18n } from "../../i18n";
import type { Candidate } from "./useDesign";

interface Props {
  candidates: Candidate[];
  defaultName: string;
  deciding: boolean;
  onKeep: (candidate: Candidate, name: string) => void;
  onDiscardAll: () => void;
}

export function Candidates({ candidates, defaultName, deciding, onKeep, onDiscardAll }: Props) {
  const { t } = useI18n();
  const [name, setName] = useState(defaultName);
  return (
    <section className="card" data-testid="design-candidates" data-count={candidates.length}>
      <header className="card-header">
        <div>
          <h2>{t("design.candidates")}</h2>
          <p className="muted small">{t("design.candidatesLead")}</p>
        </div>
      </header>
      <label className="field design-keep-name">
        <span>{t("design.keepName")}</span>
        <input data-testid="design-keep-name" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
      </label>
      <div className="design-candidates">
        {candidates.map((candidate) => (
          <article
            key={candidate.voiceId}
            className="design-candidate"
            data-testid={`design-candidate-${candidate.index}`}
            data-voice={candidate.voiceId}
          >
            <header className="design-candidate-head">
              <h3>{t("design.candidate", { number: candidate.index + 1 })}</h3>
              {candidate.seed !== null && (
                <span className="chip chip-muted" data-testid={`design-candidate-seed-${candidate.index}`}>
                  {t("design.seedUsed", { seed: candidate.seed })}
                </span>
              )}
            </header>
            {candidate.previewUrl ? (
              <audio
                controls
                preload="auto"
                src={candidate.previewUrl}
                className="made-audio"
                data-testid={`design-candidate-preview-${candidate.index}`}
              />
            ) : (
              <p className="muted">{t("made.noPreview")}</p>
            )}
            <p className="muted small">{candidate.engineLabel || candidate.engine}</p>
            <button
              type="button"
              className="btn btn-primary"
              data-testid={`design-keep-${candidate.index}`}
              disabled={deciding}
              onClick={() => onKeep(candidate, name.trim())}
            >
              {t("design.keep")}
            </button>
          </article>
        ))}
      </div>
      <div className="actions actions-start">
        <button type="button" className="btn btn-danger" data-testid="design-discard" disabled={deciding} onClick={onDiscardAll}>
          {t("design.discardAll")}
        </button>
      </div>
    </section>
  );
}
