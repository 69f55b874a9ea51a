import { useState, type FormEvent } from "react";
import { api, type Category } from "../../api";
import { errorMessage } from "../../errors";
import { useI18n } from "../../i18n";

interface Props {
  categories: Category[] | null;
  loadError: string | null;
  selected: string;
  onSelect: (id: string) => void;
  onChanged: () => Promise<void>;
}

export function CategoryPanel({ categories, loadError, selected, onSelect, onChanged }: Props) {
  const { t } = useI18n();
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError(t("categories.nameRequired"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post<Category>("/api/categories", { name: trimmed });
      setName("");
      await onChanged();
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (category: Category) => {
    if (!window.confirm(t("categories.confirmDelete", { name: category.name }))) return;
    setBusy(true);
    setError(null);
    try {
      await api.delete(`/api/categories?id=${encodeURIComponent(String(category.id))}`);
      if (selected === String(category.id)) onSelect("");
      await onChanged();
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card category-panel" data-testid="category-panel">
      <header className="card-header">
        <h2>{t("categories.title")}</h2>
      </header>
      {loadError && <p className="alert alert-error">{loadError}</p>}
      <ul className="category-list">
        <li>
          <button
            type="button"
            className={`category-item${selected === "" ? " active" : ""}`}
            onClick={() => onSelect("")}
          >
            {t("categories.all")}
          </button>
        </li>
        {(categories ?? []).map((category) => (
          <li key={category.id} data-testid={`category-${category.id}`}>
            <button
              type="button"
              className={`category-item${selected === String(category.id) ? " active" : ""}`}
              onClick={() => onSelect(String(category.id))}
            >
              {category.name}
            </button>
            <button
              type="button"
              className="icon-btn icon-btn-danger"
              data-testid={`category-delete-${category.id}`}
              aria-label={t("categories.delete", { name: category.name })}
              title={t("categories.delete", { name: category.name })}
              disabled={busy}
              onClick={() => void remove(category)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {categories !== null && categories.length === 0 && <p className="muted small">{t("categories.empty")}</p>}
      <form className="category-form" onSubmit={(event) => void create(event)} noValidate>
        <input
          data-testid="category-name"
          value={name}
          maxLength={60}
          placeholder={t("categories.newPlaceholder")}
          aria-label={t("categories.newPlaceholder")}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" className="btn btn-sm btn-primary" data-testid="category-create" disabled={busy}>
          {t("categories.create")}
        </button>
      </form>
      {error && (
        <p className="alert alert-error small" role="alert" data-testid="category-error">
          {error}
        </p>
      )}
    </section>
  );
}
