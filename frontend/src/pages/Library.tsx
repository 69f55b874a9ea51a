import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { api, query, type Category, type Page, type Voice } from "../api";
import { useSamplePlayer } from "../components/SamplePlayer";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";
import { loadAllVoices } from "../voices";
import { CategoryPanel } from "./library/CategoryPanel";
import { engineText } from "./library/labels";
import { MixDialog, mixable } from "./library/MixDialog";
import { VoiceCard } from "./library/VoiceCard";
import { VoiceEditDialog } from "./library/VoiceEditDialog";
import { LanguageFilter } from "./library/LanguageFilter";
import { languageChoices, languageGroups } from "./library/languages";
import { missingEngines, UnavailableEngines, useEngines } from "./library/UnavailableEngines";
import { PortabilityBar } from "./library/PortabilityBar";

const PAGE_SIZE = 48;
const SEARCH_DEBOUNCE_MS = 300;

interface Filters {
  q: string;
  language: string;
  engine: string;
  kind: string;
  gender: string;
  favorite: boolean;
  category: string;
}

const NO_FILTERS: Filters = { q: "", language: "", engine: "", kind: "", gender: "", favorite: false, category: "" };

export function LibraryPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const sample = useSamplePlayer();

  // ---- filters ------------------------------------------------------------------------------------
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [search, setSearch] = useState("");
  useEffect(() => {
    const timer = window.setTimeout(() => setFilters((prev) => (prev.q === search.trim() ? prev : { ...prev, q: search.trim() })), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [search]);
  const setFilter = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((prev) => ({ ...prev, [key]: value }));

  // Facets (languages, engines) come from the whole library, not the filtered page.
  const [facets, setFacets] = useState<{ all: Voice[]; engines: string[]; mixable: Voice[] }>({
    all: [],
    engines: [],
    mixable: [],
  });
  const [facetsVersion, setFacetsVersion] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    loadAllVoices(controller.signal)
      .then((all) => {
        const engines = [...new Set(all.map((v) => v.engine))].sort();
        setFacets({ all, engines, mixable: all.filter(mixable) });
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [facetsVersion]);
  // Languages by name; those only eSpeak's formant voices speak (ba, bpy, cv, grc…) go under "More languages".
  const languageOptions = useMemo(() => languageGroups(facets.all, locale), [facets.all, locale]);
  const engines = useEngines();
  const notInstalled = missingEngines(engines, "preset_voices");

  // ---- categories ---------------------------------------------------------------------------------
  const [categories, setCategories] = useState<Category[] | null>(null);
  const [categoryError, setCategoryError] = useState<string | null>(null);
  const loadCategories = useCallback(async () => {
    try {
      setCategories(await api.get<Category[]>("/api/categories"));
      setCategoryError(null);
    } catch (err) {
      setCategoryError(errorMessage(err, t));
    }
  }, [t]);
  useEffect(() => {
    void loadCategories();
  }, [loadCategories]);

  // ---- voices -------------------------------------------------------------------------------------
  const [voices, setVoices] = useState<Voice[] | null>(null);
  const [count, setCount] = useState(0);
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busyVoice, setBusyVoice] = useState<string | null>(null);
  const [editing, setEditing] = useState<Voice | null>(null);
  const [mixing, setMixing] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const requestId = useRef(0);

  const load = useCallback(
    async (nextPage: number) => {
      const id = ++requestId.current;
      setLoading(true);
      try {
        const data = await api.get<Page<Voice>>(
          `/api/voices${query({
            search: filters.q,
            language: filters.language,
            engine: filters.engine,
            kind: filters.kind,
            gender: filters.gender,
            favorite: filters.favorite ? "true" : "",
            category: filters.category,
            page: nextPage,
            page_size: PAGE_SIZE,
          })}`,
        );
        if (id !== requestId.current) return;
        setVoices((prev) => (nextPage === 1 || !prev ? data.results : [...prev, ...data.results.filter((v) => !prev.some((p) => p.id === v.id))]));
        setCount(data.count);
        setPage(nextPage);
        setLoadError(null);
      } catch (err) {
        if (id === requestId.current) setLoadError(errorMessage(err, t));
      } finally {
        if (id === requestId.current) setLoading(false);
      }
    },
    [filters, t],
  );

  useEffect(() => {
    void load(1);
  }, [load]);

  const replaceVoice = (voice: Voice) => setVoices((prev) => prev?.map((v) => (v.id === voice.id ? voice : v)) ?? prev);

  const toggleFavorite = async (voice: Voice) => {
    setBusyVoice(voice.id);
    setActionError(null);
    try {
      const answer = await api.post<{ voice_id: string; is_favorite: boolean }>(`/api/favorites/${encodeURIComponent(voice.id)}`);
      replaceVoice({ ...voice, is_favorite: answer.is_favorite });
    } catch (err) {
      setActionError(errorMessage(err, t));
    } finally {
      setBusyVoice(null);
    }
  };

  const remove = async (voice: Voice) => {
    if (!window.confirm(t("library.confirmDelete", { name: voice.name }))) return;
    setBusyVoice(voice.id);
    setActionError(null);
    try {
      await api.delete(`/api/voices/${encodeURIComponent(voice.id)}`);
      setVoices((prev) => prev?.filter((v) => v.id !== voice.id) ?? prev);
      setSelected((prev) => prev.filter((id) => id !== voice.id));
      setCount((prev) => Math.max(0, prev - 1));
    } catch (err) {
      setActionError(errorMessage(err, t));
    } finally {
      setBusyVoice(null);
    }
  };

  const filtered = JSON.stringify({ ...filters, q: search.trim() }) !== JSON.stringify(NO_FILTERS);

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("nav.library")}</h1>
          <p className="lead">{t("library.lead")}</p>
        </div>
        <button
          type="button"
          className="btn btn-secondary"
          data-testid="library-mix-open"
          disabled={facets.mixable.length < 2}
          title={facets.mixable.length < 2 ? t("mix.needTwo") : t("mix.openHint")}
          onClick={() => setMixing(true)}
        >
          {t("mix.open")}
        </button>
      </header>

      <div className="library-layout">
        <div className="library-main">
          <section className="card filters" aria-label={t("library.filters")}>
            <input
              type="search"
              className="input search-input"
              data-testid="voice-search"
              value={search}
              placeholder={t("library.searchPlaceholder")}
              aria-label={t("library.search")}
              onChange={(event) => setSearch(event.target.value)}
            />
            <div className="filter-row">
              <LanguageFilter value={filters.language} onChange={(code) => setFilter("language", code)} groups={languageOptions} />
              <label className="filter">
                <span>{t("library.engine")}</span>
                <select data-testid="voice-filter-engine" value={filters.engine} onChange={(e) => setFilter("engine", e.target.value)}>
                  <option value="">{t("library.anyEngine")}</option>
                  {(facets.engines.length ? facets.engines : ["kokoro", "piper", "festival", "espeak"]).map((engine) => (
                    <option key={engine} value={engine}>
                      {engineText(engine, t)}
                    </option>
                  ))}
                  {notInstalled.map((engine) => (
                    <option key={engine.name} value={engine.name} disabled>
                      {engineText(engine.name, t)} — {t("library.unavailable")}
                    </option>
                  ))}
                </select>
              </label>
              <label className="filter">
                <span>{t("library.kind")}</span>
                <select data-testid="voice-filter-kind" value={filters.kind} onChange={(e) => setFilter("kind", e.target.value)}>
                  <option value="">{t("library.anyKind")}</option>
                  <option value="preset">{t("kind.preset")}</option>
                  <option value="cloned">{t("kind.cloned")}</option>
                  <option value="designed">{t("kind.designed")}</option>
                  <option value="mixed">{t("kind.mixed")}</option>
                </select>
              </label>
              <label className="filter">
                <span>{t("library.gender")}</span>
                <select data-testid="voice-filter-gender" value={filters.gender} onChange={(e) => setFilter("gender", e.target.value)}>
                  <option value="">{t("library.anyGender")}</option>
                  <option value="female">{t("gender.female")}</option>
                  <option value="male">{t("gender.male")}</option>
                  <option value="neutral">{t("gender.neutral")}</option>
                </select>
              </label>
              <label className="filter">
                <span>{t("library.category")}</span>
                <select data-testid="voice-filter-category" value={filters.category} onChange={(e) => setFilter("category", e.target.value)}>
                  <option value="">{t("categories.all")}</option>
                  {(categories ?? []).map((category) => (
                    <option key={category.id} value={String(category.id)}>
                      {category.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="filter-check">
                <input
                  type="checkbox"
                  data-testid="voice-filter-favorite"
                  checked={filters.favorite}
                  onChange={(e) => setFilter("favorite", e.target.checked)}
                />
                <span>{t("library.favoritesOnly")}</span>
              </label>
            </div>
            <UnavailableEngines engines={engines} role="preset_voices" testId="library-engines-missing" />
            <div className="filter-foot muted small">
              <span data-testid="voice-count" data-count={count}>
                {voices === null ? t("common.loading") : t("library.count", { shown: voices.length, count })}
              </span>
              {loading && voices !== null && <span className="spinner spinner-sm" aria-hidden="true" />}
              <span className="spacer" />
              {filtered && (
                <button
                  type="button"
                  className="link-btn"
                  onClick={() => {
                    setSearch("");
                    setFilters(NO_FILTERS);
                  }}
                >
                  {t("library.clearFilters")}
                </button>
              )}
            </div>
          </section>

          <PortabilityBar
            selected={selected}
            onClearSelection={() => setSelected([])}
            onSelectAllShown={() => setSelected((prev) => [...new Set([...prev, ...(voices ?? []).map((v) => v.id)])])}
            onImported={() => {
              setSelected([]);
              void load(1);
            }}
          />

          {loadError && (
            <p className="alert alert-error" role="alert">
              {t("library.loadError", { detail: loadError })}
            </p>
          )}
          {actionError && (
            <p className="alert alert-error" role="alert" data-testid="voice-error">
              {actionError}
            </p>
          )}

          {voices !== null && voices.length === 0 && !loading ? (
            <section className="card empty-state">
              <p data-testid="voice-empty">{filtered ? t("library.noMatches") : t("library.empty")}</p>
            </section>
          ) : (
            <div className="voice-grid" aria-busy={loading}>
              {(voices ?? []).map((voice) => (
                <VoiceCard
                  key={voice.id}
                  voice={voice}
                  sample={sample.current}
                  busy={busyVoice === voice.id}
                  onPlay={(v) => void sample.play(v)}
                  onFavorite={(v) => void toggleFavorite(v)}
                  onUse={(v) => navigate(`/studio?voice=${encodeURIComponent(v.id)}`)}
                  selected={selected.includes(voice.id)}
                  onSelect={(v, on) => setSelected((prev) => (on ? [...prev.filter((id) => id !== v.id), v.id] : prev.filter((id) => id !== v.id)))}
                  onEdit={setEditing}
                  onDelete={(v) => void remove(v)}
                />
              ))}
            </div>
          )}
          {voices !== null && voices.length < count && (
            <div className="center">
              <button
                type="button"
                className="btn btn-secondary"
                data-testid="voice-load-more"
                disabled={loading}
                onClick={() => void load(page + 1)}
              >
                {loading ? t("common.loading") : t("library.loadMore", { n: Math.min(PAGE_SIZE, count - voices.length) })}
              </button>
            </div>
          )}
        </div>

        <aside className="library-side">
          <CategoryPanel
            categories={categories}
            loadError={categoryError}
            selected={filters.category}
            onSelect={(id) => setFilter("category", id)}
            onChanged={async () => {
              await loadCategories();
              void load(1);
            }}
          />
        </aside>
      </div>

      {editing && (
        <VoiceEditDialog
          voice={editing}
          categories={categories ?? []}
          languageOptions={languageChoices(facets.all, editing.languages, locale)}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            replaceVoice(saved);
            setEditing(null);
          }}
        />
      )}
      {mixing && (
        <MixDialog
          voices={facets.mixable}
          onClose={() => setMixing(false)}
          onCreated={() => {
            setMixing(false);
            setFacetsVersion((n) => n + 1);
            void load(1);
          }}
        />
      )}
      {sample.audio}
    </div>
  );
}
