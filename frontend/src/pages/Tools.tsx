import "../cloning/cloning.css";
import { useT } from "../i18n";
import { DownloadPanel } from "./tools/DownloadPanel";
import { TranscribePanel } from "./tools/TranscribePanel";
import { TranslatePanel } from "./tools/TranslatePanel";
import { PageHeader } from "../components/PageShell";

export function ToolsPage() {
  const t = useT();
  return (
    <div className="page">
      <PageHeader title={t("nav.tools")} lead={t("tools.lead")} />
      <TranscribePanel />
      <TranslatePanel />
      <DownloadPanel />
    </div>
  );
}
