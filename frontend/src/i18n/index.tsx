import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { en, type MessageKey } from "./en";
import { ru } from "./ru";

export type Lang = "en" | "ru";
export type { MessageKey };
export type Vars = Record<string, string | number>;
export type TFunction = (key: MessageKey, vars?: Vars) => string;

export const LANGUAGES: { code: Lang; label: string }[] = [
  { code: "en", label: "English" },
  { code: "ru", label: "Русский" },
];

const CATALOGS: Record<Lang, Record<MessageKey, string>> = { en, ru };
const STORAGE_KEY = "clonyvoice.lang";

function isLang(value: unknown): value is Lang {
  return value === "en" || value === "ru";
}

/** The remembered choice, else the browser's language (ru* → Russian), else English. */
export function detectLanguage(): Lang {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLang(stored)) return stored;
  } catch {
    // localStorage may be unavailable (privacy mode); fall through.
  }
  const browser = (typeof navigator !== "undefined" && navigator.language) || "en";
  return browser.toLowerCase().startsWith("ru") ? "ru" : "en";
}

/** The BCP 47 locale the `Intl` formatters use for a UI language. */
export function localeOf(lang: Lang): string {
  return lang === "ru" ? "ru-RU" : "en-US";
}

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function cached<T>(cache: Map<string, T>, locale: string, make: () => T): T {
  let value = cache.get(locale);
  if (value === undefined) {
    value = make();
    cache.set(locale, value);
  }
  return value;
}

/** The plural category Intl.PluralRules picks for `n` (en: one/other; ru: one/few/many/other). */
export function pluralCategory(n: number, locale: string): Intl.LDMLPluralRule {
  return cached(pluralRules, locale, () => new Intl.PluralRules(locale)).select(n);
}

/**
 * Finds the end of the `{...}` group opened at `open` (nested groups allowed); -1 when it is not closed.
 */
function groupEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === "{") depth += 1;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/**
 * `{n, plural, =0 {no voices} one {# voice} few {# голоса} many {# голосов} other {# voices}}`, the ICU
 * message form: an exact `=n` match first, then the language's category (Intl.PluralRules), then `other`.
 * `#` is the number written in the language (Intl.NumberFormat).
 */
function selectPlural(body: string, value: number, locale: string): string | null {
  const forms = new Map<string, string>();
  let i = 0;
  while (i < body.length) {
    const open = body.indexOf("{", i);
    if (open < 0) break;
    const end = groupEnd(body, open);
    if (end < 0) break;
    forms.set(body.slice(i, open).trim(), body.slice(open + 1, end));
    i = end + 1;
  }
  const form = forms.get(`=${value}`) ?? forms.get(pluralCategory(value, locale)) ?? forms.get("other");
  if (form === undefined) return null;
  const written = cached(numberFormats, locale, () => new Intl.NumberFormat(locale)).format(value);
  return form.replace(/#/g, written);
}

/** `{name}` becomes the value as given; `{name, plural, ...}` the form its number takes; an unknown name stays. */
function fill(template: string, vars: Vars, locale: string): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{", i);
    if (open < 0) break;
    const end = groupEnd(template, open);
    if (end < 0) break;
    out += template.slice(i, open);
    const inner = template.slice(open + 1, end);
    const plural = /^\s*(\w+)\s*,\s*plural\s*,([\s\S]*)$/.exec(inner);
    const name = plural ? plural[1] : inner.trim();
    const value = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
    if (value === undefined) {
      out += template.slice(open, end + 1);
    } else if (plural) {
      const chosen = selectPlural(plural[2], Number(value), locale);
      out += chosen === null ? String(value) : fill(chosen, vars, locale);
    } else {
      out += String(value);
    }
    i = end + 1;
  }
  return out + template.slice(i);
}

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = CATALOGS[lang][key] ?? en[key] ?? key;
  return vars ? fill(template, vars, localeOf(lang)) : template;
}

/** True when `key` is a known message id (for ids built at run time, e.g. job statuses). */
export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

interface I18nValue {
  lang: Lang;
  locale: string;
  setLang: (lang: Lang) => void;
  t: TFunction;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(detectLanguage);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not fatal: the choice just won't be remembered.
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo<I18nValue>(
    () => ({
      lang,
      locale: localeOf(lang),
      setLang,
      t: (key, vars) => translate(lang, key, vars),
    }),
    [lang, setLang],
  );

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n must be used inside <I18nProvider>");
  return value;
}

/** The translate function for the current language. */
export function useT(): TFunction {
  return useI18n().t;
}
