import type { MessageKey } from "./i18n";

export interface NavRoute {
  /** URL segment, also used in the nav link's test id (nav-<slug>). */
  slug: string;
  label: MessageKey;
  group: "create" | "manage";
}

export const NAV_ROUTES: NavRoute[] = [
  { slug: "library", label: "nav.library", group: "create" },
  { slug: "studio", label: "nav.studio", group: "create" },
  { slug: "clone", label: "nav.clone", group: "create" },
  { slug: "design", label: "nav.design", group: "create" },
  { slug: "timeline", label: "nav.timeline", group: "create" },
  { slug: "montages", label: "nav.montages", group: "create" },
  { slug: "history", label: "nav.history", group: "create" },
  { slug: "tools", label: "nav.tools", group: "create" },
  { slug: "dub", label: "nav.dub", group: "create" },
  { slug: "system", label: "nav.system", group: "manage" },
  { slug: "api-keys", label: "nav.apiKeys", group: "manage" },
];
