// UI text in the four languages of the screening flow (en, es, fr, ar). Each language is one
// JSON file beside this one with the same keys as en.json; the typed assignments below make
// `npm run typecheck` fail when a key is missing from any of them. Question texts are not
// here: they come from the API in the chosen language.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import ar from './ar.json';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';

export type MessageKey = keyof typeof en;
type Messages = Record<MessageKey, string>;

export const LANGUAGES = ['en', 'es', 'fr', 'ar'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** Each language's own name for itself, for the language pickers. */
export const LANGUAGE_NAMES: Record<Lang, string> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
  ar: 'العربية',
};

const catalogues: Record<Lang, Messages> = { en, es, fr, ar };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function direction(lang: Lang): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

export type Params = Record<string, string | number>;

export function translate(lang: Lang, key: MessageKey | string, params?: Params): string {
  const messages = catalogues[lang] as Record<string, string>;
  let text = messages[key] ?? (catalogues.en as Record<string, string>)[key] ?? key;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  }
  return text;
}

/** Translates a key built at run time (an outcome or referral kind from the API); when it has
 * no translation, shows the identifier in words ("labour_rights" -> "labour rights"). */
export function translateId(lang: Lang, prefix: string, id: string): string {
  const key = prefix + '.' + id;
  const text = translate(lang, key);
  return text === key ? id.replace(/[_-]+/g, ' ') : text;
}

export interface I18n {
  lang: Lang;
  dir: 'rtl' | 'ltr';
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, params?: Params) => string;
  tid: (prefix: string, id: string) => string;
}

export function makeI18n(lang: Lang, setLang: (lang: Lang) => void): I18n {
  return {
    lang,
    dir: direction(lang),
    setLang,
    t: (key, params) => translate(lang, key, params),
    tid: (prefix, id) => translateId(lang, prefix, id),
  };
}

export const I18nContext = createContext<I18n>(makeI18n('en', () => undefined));

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** Sets lang and dir on <html>, so that the whole layout (and screen readers) follow. */
export function applyToDocument(lang: Lang): void {
  const root = document.documentElement;
  root.lang = lang;
  root.dir = direction(lang);
}

const STORAGE_KEY = 'ctip.lang';

export function savedLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLang(saved)) return saved;
  } catch {
    // Storage may be disabled; English then.
  }
  return 'en';
}

export function saveLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered; harmless.
  }
}
