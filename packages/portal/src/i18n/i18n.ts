// Every text of the portal comes from one message catalogue per language (nl.ts is the
// source: its keys are the type; en.ts must have each). Dutch by default; the choice is
// kept in localStorage under `sluis.lang` (docs/portal.md "Languages").

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en } from './en.js';
import { type MessageKey, nl } from './nl.js';

export type { MessageKey };
export type Lang = 'nl' | 'en';
export const LANGS: readonly Lang[] = ['nl', 'en'];
const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { nl, en };
const STORAGE_KEY = 'sluis.lang';

export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

/**
 * A text with a numeric `count` takes the language's plural form when the catalogue has one:
 * `<key>.one`, `<key>.other` … (Intl.PluralRules), so "1 signaal", never "1 signalen".
 */
export function translator(lang: Lang): Translate {
  const catalogue: Readonly<Record<string, string>> = CATALOGUES[lang];
  const plural = new Intl.PluralRules(lang);
  return (key, params) => {
    const count = params?.count;
    const form = typeof count === 'number' ? catalogue[`${key}.${plural.select(count)}`] : undefined;
    const text = form ?? catalogue[key]!;
    if (params === undefined) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
  };
}

export function storedLang(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'en' ? 'en' : 'nl';
  } catch {
    return 'nl';
  }
}

export function storeLang(lang: Lang): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
}

export interface I18n {
  readonly lang: Lang;
  readonly t: Translate;
  readonly setLang: (lang: Lang) => void;
}

export const I18nContext = createContext<I18n>({ lang: 'nl', t: translator('nl'), setLang: () => {} });

export function useI18n(): I18n {
  return useContext(I18nContext);
}
