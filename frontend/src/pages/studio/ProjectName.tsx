/** The project's name: what History shows and downloads are called; renames the generation on screen. */
import { useState } from "react";
import { api, type GenerationDetail } from "../../api";
import { errorMessage } from "../../errors";
import { useT } from "../../i18n";
import { firstWords } from "./draft";

interface Props {
  title: string;
  onTitle: (title: string) => void;
  text: string;
  generation: GenerationDetail | null;
  onRenamed: () => void;
  onNewDraft: () => void;
}

export function ProjectName({ title, onTitle, text, generation, onRenamed, onNewDraft }: Props) {
  const t = useT();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [renamedTo, setRenamedTo] = useState<string | null>(null);
  const wanted = title.trim();
  const canRename = generation !== null && wanted !== "" && wanted !== generation.title;
  const words = firstWords(text);

  const rename = async () => {
    if (!generation) return;
    setSaving(true);
    setError(null);
    try {
      await api.patch<GenerationDetail>(`/api/generations/${encodeURIComponent(generation.id)}`, { title: wanted });
      setRenamedTo(wanted);
      onRenamed();
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="card project-bar" data-testid="studio-project">
      <label className="field field-grow">
        <span>{t("project.name")}</span>
        <input
          className="input"
          data-testid="studio-title"
          value={title}
          maxLength={80}
          placeholder={words ? t("project.namePlaceholder", { words }) : t("project.nameEmpty")}
          onChange={(event) => {
            setRenamedTo(null);
            onTitle(event.target.value);
          }}
        />
      </label>
      <div className="actions">
        {canRename && (
          <button type="button" className="btn btn-secondary" data-testid="studio-rename" disabled={saving} onClick={() => void rename()}>
            {saving ? t("project.renaming") : t("project.rename")}
          </button>
        )}
        {renamedTo !== null && renamedTo === generation?.title && (
          <span className="muted small" data-testid="studio-renamed">
            {t("project.renamed")}
          </span>
        )}
        <button
          type="button"
          className="btn btn-secondary"
          data-testid="studio-new-draft"
          onClick={() => window.confirm(t("project.newDraftConfirm")) && onNewDraft()}
        >
          {t("project.newDraft")}
        </button>
      </div>
      {error && (
        <p className="alert alert-error small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
