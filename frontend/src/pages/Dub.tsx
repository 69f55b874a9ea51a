import "../cloning/cloning.css";
import "./dub/dub.css";
import { useCallback, useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { api, ApiError } from "../api";
import { JobProgress } from "../cloning/JobProgress";
import { ToolError } from "../cloning/ToolError";
import { PageHeader } from "../components/PageShell";
import { errorMessage } from "../errors";
import { useT } from "../i18n";
import { useJob } from "../jobs";
import { dubGet, dubStart, type Dub, type DubOptions, type DubSource } from "./dub/api";
import { DubList } from "./dub/DubList";
import { DubResult } from "./dub/DubResult";
import { DubSettings } from "./dub/DubSettings";
import { DubStages } from "./dub/DubStages";
import { SourcePicker } from "./dub/SourcePicker";

const DEFAULT_OPTIONS: DubOptions = {
  sourceLanguage: "auto",
  targetLanguage: "",
  voiceId: null,
  backgroundDb: -18,
  subtitles: true,
  quality: "fast",
};

interface StartError {
  message: string;
  hint: string | null;
  code: string;
}

/** `/dub`: a video or recording in another language, in the speaker's voice; `/dub?dub=<job id>` reopens one. */
export function DubPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const opened = params.get("dub");
  const [source, setSource] = useState<DubSource | null>(null);
  const [options, setOptions] = useState<DubOptions>(DEFAULT_OPTIONS);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<StartError | null>(null);
  const [dub, setDub] = useState<Dub | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [skipClone, setSkipClone] = useState(false);

  const load = useCallback(
    (jobId: string, signal?: AbortSignal) =>
      dubGet(jobId, signal).then(
        (value) => {
          setDub(value);
          return value;
        },
        (err: unknown) => {
          if (!(err instanceof DOMException)) setError({ message: errorMessage(err, t), hint: null, code: err instanceof ApiError ? err.code : "" });
          return null;
        },
      ),
    [t],
  );

  const { job, running, follow, reset } = useJob((done) => {
    setCancelling(false);
    void load(done.taskId);
  });

  // Reopen the dub the URL names (a link from the list, a reload mid-dub): its state, and its job while it runs.
  useEffect(() => {
    if (!opened || job?.taskId === opened) return;
    const controller = new AbortController();
    setDub(null);
    setError(null);
    void load(opened, controller.signal).then((value) => {
      if (!value || controller.signal.aborted) return;
      setSkipClone(value.speakers.length > 0 && value.speakers.every((speaker) => !speaker.cloned));
      // A finished one too: the job says why it failed, and its end loads the dub once more.
      follow(opened, value.status);
    });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const change = useCallback((next: Partial<DubOptions>) => setOptions((prev) => ({ ...prev, ...next })), []);

  const go = async () => {
    if (!source) return;
    setStarting(true);
    setError(null);
    setDub(null);
    reset();
    try {
      const started = await dubStart(source, options);
      const id = started.job_id;
      setSkipClone(options.voiceId !== null);
      follow(id, started.status);
      setParams({ dub: id });
    } catch (err) {
      setError({
        message: errorMessage(err, t),
        hint: err instanceof ApiError ? (err.field("install") ?? err.field("hint")) : null,
        code: err instanceof ApiError ? err.code : "",
      });
    } finally {
      setStarting(false);
    }
  };

  const cancel = async () => {
    if (!job) return;
    setCancelling(true);
    try {
      await api.post("/api/job/cancel", { task_id: job.taskId });
    } catch (err) {
      setCancelling(false);
      setError({ message: errorMessage(err, t), hint: null, code: err instanceof ApiError ? err.code : "" });
    }
  };

  const startOver = () => {
    reset();
    setDub(null);
    setError(null);
    setParams({});
  };

  const busy = starting || running;
  const status = job?.status ?? dub?.status ?? null;
  const stage = job?.stage ?? dub?.stage ?? null;
  const finished = dub !== null && dub.status === "succeeded";

  return (
    <div className="page">
      <PageHeader
        title={t("nav.dub")}
        lead={t("dub.lead")}
        side={
          opened && !busy ? (
            <button type="button" className="btn btn-secondary btn-sm" data-testid="dub-new" onClick={startOver}>
              {t("dub.new")}
            </button>
          ) : undefined
        }
      />
      <div className="dub-layout">
        <div className="dub-main">
          {!opened && (
            <>
              <SourcePicker disabled={busy} onChange={setSource} />
              <DubSettings value={options} onChange={change} disabled={busy} />
            </>
          )}
          {error && <ToolError {...error} testId="dub-error" hintTestId="dub-error-hint" />}
          {!opened && (
            <div className="actions actions-start">
              <button
                type="button"
                className="btn btn-primary"
                data-testid="dub-go"
                disabled={busy || !source || !options.targetLanguage}
                onClick={() => void go()}
              >
                {starting ? t("dub.uploading") : t("dub.go")}
              </button>
              {!source && <span className="muted small">{t("dub.needSource")}</span>}
            </div>
          )}
          {status && (
            <section className="card" data-testid="dub-progress-card">
              <header className="card-header">
                <h2>{t("dub.progress")}</h2>
              </header>
              <DubStages current={stage} status={status} seconds={dub?.stages} skipClone={skipClone} />
              {job && (
                // The stage list says in the UI's language what the worker's English message would.
                <JobProgress
                  job={{ ...job, message: null }}
                  testId="dub-progress"
                  label={t("dub.progress")}
                  onCancel={() => void cancel()}
                  cancelling={cancelling}
                />
              )}
              {status === "cancelled" && <p className="muted small" data-testid="dub-cancelled">{t("dub.cancelled")}</p>}
            </section>
          )}
          {finished && <DubResult dub={dub} />}
        </div>
        <aside className="dub-side">
          <DubList current={opened} />
        </aside>
      </div>
    </div>
  );
}
