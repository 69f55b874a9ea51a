import { Link } from "react-router";
import { useT, type MessageKey } from "../i18n";
import { PageHeader } from "../components/PageShell";

export function Placeholder({ title, lead }: { title: MessageKey; lead: MessageKey }) {
  const t = useT();
  return (
    <div className="page">
      <PageHeader title={t(title)} lead={t(lead)} />
      <section className="card empty-state">
        <div className="empty-icon" aria-hidden="true">
          <i />
          <i />
          <i />
          <i />
          <i />
        </div>
        <p data-testid="not-available">{t("placeholder.notAvailable")}</p>
      </section>
    </div>
  );
}

export function NotFound() {
  const t = useT();
  return (
    <div className="page">
      <PageHeader title={t("notFound.title")} lead={t("notFound.body")} />
      <p>
        <Link className="btn btn-primary" to="/library">
          {t("notFound.back")}
        </Link>
      </p>
    </div>
  );
}
