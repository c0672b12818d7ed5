// The cases page's texts in each interface language, loaded when the page is first opened.
// `satisfies` makes the typecheck fail when a language lacks a key of en.json.
import type en from './i18n/en.json';
import type { Catalogue } from '../../i18n';

export type CasesKey = keyof typeof en;

export const messages = {
  en: () => import('./i18n/en.json'),
  es: () => import('./i18n/es.json'),
  fr: () => import('./i18n/fr.json'),
  ar: () => import('./i18n/ar.json'),
} satisfies Catalogue<CasesKey>;
