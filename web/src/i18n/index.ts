// UI text in the four interface languages (en, es, fr, ar). The shell's own texts are the JSON
// files beside this one (loaded with the app; the typed assignments below make the typecheck
// fail when a key is missing from any of them); each capability's texts are its own catalogue
// (capabilities/<id>/i18n/), loaded when its page is first opened (ensureMessages) and, for
// every page opened so far, before the language changes (preloadLanguage). Question texts are
// not here: they come from the API in the chosen language.
import { IntlMessageFormat } from 'intl-messageformat';
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

/** A capability's texts: a loader per language (a lazily loaded JSON module). */
export type Catalogue<K extends string> = Record<Lang, () => Promise<{ default: Record<K, string> }>>;

/** The texts of the capability catalogues loaded so far, per language. */
const loaded: Record<Lang, Record<string, string>> = { en: {}, es: {}, fr: {}, ar: {} };
const loadedScopes: Record<Lang, Set<string>> = { en: new Set(), es: new Set(), fr: new Set(), ar: new Set() };
const knownScopes = new Map<string, Catalogue<string>>();

async function loadOne(scope: string, catalogue: Catalogue<string>, lang: Lang): Promise<void> {
  if (loadedScopes[lang].has(scope)) return;
  const module = await catalogue[lang]();
  Object.assign(loaded[lang], module.default);
  loadedScopes[lang].add(scope);
}

/** Loads a capability's texts in `lang` (and in English, the fallback of a missing text). */
export async function ensureMessages(scope: string, catalogue: Catalogue<string>, lang: Lang): Promise<void> {
  knownScopes.set(scope, catalogue);
  await Promise.all([loadOne(scope, catalogue, lang), loadOne(scope, catalogue, 'en')]);
}

/** Loads, in `lang`, the texts of every capability opened so far, so that switching the
 * language re-renders an open page in one step, without a flash of another language. */
export async function preloadLanguage(lang: Lang): Promise<void> {
  await Promise.all([...knownScopes].map(([scope, catalogue]) => loadOne(scope, catalogue, lang)));
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function direction(lang: Lang): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

export type Params = Record<string, string | number>;

// Messages with counts use ICU plural syntax (issue #8 item 9: no "1 forts"): e.g.
// "{n, plural, one {# réponse} other {# réponses}}"; Arabic has six plural categories (zero,
// one, two, few, many, other), chosen by Intl.PluralRules through FormatJS's intl-messageformat.
const formats = new Map<string, IntlMessageFormat>();

function formatPlural(lang: Lang, text: string, params: Params): string {
  const id = lang + '\u0000' + text;
  let format = formats.get(id);
  if (!format) {
    format = new IntlMessageFormat(text, lang);
    formats.set(id, format);
  }
  return String(format.format(params));
}

/** Whether a message chooses its words by a count (ICU plural syntax). */
export function isPluralMessage(text: string): boolean {
  return /\{\s*\w+\s*,\s*plural\s*,/.test(text);
}

export function translate(lang: Lang, key: MessageKey | string, params?: Params): string {
  const messages = catalogues[lang] as Record<string, string>;
  const english = catalogues.en as Record<string, string>;
  let text = messages[key] ?? loaded[lang][key] ?? english[key] ?? loaded.en[key] ?? key;
  if (params && isPluralMessage(text)) return formatPlural(lang, text, params);
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

/** K: the keys of the calling capability's catalogue, besides the shell's. */
export interface I18n<K extends string = never> {
  lang: Lang;
  dir: 'rtl' | 'ltr';
  setLang: (lang: Lang) => void;
  t: (key: MessageKey | K, params?: Params) => string;
  tid: (prefix: string, id: string) => string;
}

export function makeI18n(lang: Lang, setLang: (lang: Lang) => void): I18n<string> {
  return {
    lang,
    dir: direction(lang),
    setLang,
    t: (key, params) => translate(lang, key, params),
    tid: (prefix, id) => translateId(lang, prefix, id),
  };
}

export const I18nContext = createContext<I18n<string>>(makeI18n('en', () => undefined));

export function useI18n<K extends string = never>(): I18n<K> {
  return useContext(I18nContext) as unknown as I18n<K>;
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
