import { useEffect, useState } from "react";
import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useAuth } from "../auth";
import { LANGUAGES, useI18n, type Lang } from "../i18n";
import { NAV_ROUTES } from "../routes";
import { Icon } from "./Icon";

export function LanguageSelect({ className }: { className?: string }) {
  const { lang, setLang, t } = useI18n();
  return (
    <label className={`lang-select ${className ?? ""}`}>
      <span className="visually-hidden">{t("layout.language")}</span>
      <select
        data-testid="lang-switch"
        value={lang}
        aria-label={t("layout.language")}
        onChange={(event) => setLang(event.target.value as Lang)}
      >
        {LANGUAGES.map((language) => (
          <option key={language.code} value={language.code}>
            {language.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Layout() {
  const { session, logout } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [leaving, setLeaving] = useState(false);
  // On a narrow screen the navigation folds into a menu button; it closes again on every page change.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [pathname]);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setMenuOpen(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [menuOpen]);

  const onLogout = async () => {
    setLeaving(true);
    try {
      await logout();
    } catch {
      // The session is dropped locally either way.
    } finally {
      setLeaving(false);
      navigate("/login", { replace: true });
    }
  };

  const groups = [
    { id: "create" as const, title: t("nav.groupCreate") },
    { id: "manage" as const, title: t("nav.groupManage") },
  ];

  return (
    <div className="shell">
      <aside className={`sidebar${menuOpen ? " open" : ""}`} data-testid="sidebar" data-open={menuOpen}>
        <div className="sidebar-top">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">
              <i />
              <i />
              <i />
              <i />
            </span>
            <span className="brand-text">
              <strong>{t("app.name")}</strong>
              <small>{t("app.tagline")}</small>
            </span>
          </div>
          <button
            type="button"
            className="menu-toggle"
            data-testid="nav-toggle"
            aria-expanded={menuOpen}
            aria-controls="sidebar-menu"
            aria-label={menuOpen ? t("nav.close") : t("nav.open")}
            title={menuOpen ? t("nav.close") : t("nav.open")}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <Icon name={menuOpen ? "close" : "menu"} />
          </button>
        </div>
        <div className="sidebar-menu" id="sidebar-menu">
          <nav className="nav" aria-label={t("nav.main")}>
            {groups.map((group) => (
              <div className="nav-group" key={group.id}>
                <div className="nav-group-title">{group.title}</div>
                {NAV_ROUTES.filter((route) => route.group === group.id).map((route) => (
                  <NavLink
                    key={route.slug}
                    to={`/${route.slug}`}
                    data-testid={`nav-${route.slug}`}
                    className={({ isActive }) => `nav-link${isActive ? " active" : ""}`}
                  >
                    <Icon name={route.slug} />
                    <span>{t(route.label)}</span>
                  </NavLink>
                ))}
              </div>
            ))}
          </nav>
          <div className="sidebar-footer">
            <div className="user">
              <span className="avatar" aria-hidden="true">
                {(session.username ?? "?").slice(0, 1).toUpperCase()}
              </span>
              <span className="user-text">
                <small>{t("layout.signedInAs")}</small>
                <strong data-testid="current-user">{session.username}</strong>
                {session.is_staff && <span className="user-role">{t("layout.staff")}</span>}
              </span>
            </div>
            <div className="sidebar-actions">
              <LanguageSelect />
              <button type="button" className="btn btn-ghost btn-sm" data-testid="logout" onClick={onLogout} disabled={leaving}>
                <Icon name="logout" />
                {leaving ? t("layout.loggingOut") : t("layout.logout")}
              </button>
            </div>
          </div>
        </div>
      </aside>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
