// Message catalogues and lookup. Every user-facing string comes from here, in
// English and Korean. Area files under messages/ each export `en` and `ko`
// with the same keys; a unit test checks that no key is missing on either side.

import * as common from './messages/common';
import * as data from './messages/data';
import * as teaching from './messages/teaching';
import * as training from './messages/training';
import * as ui from './messages/ui';
import * as validation from './messages/validation';
import * as wasm from './messages/wasm';

export type Language = 'en' | 'ko';
export const LANGUAGES: readonly Language[] = ['en', 'ko'];

type Catalogue = Record<string, string>;

const areas: { en: Catalogue; ko: Catalogue }[] = [
  common,
  validation,
  training,
  ui,
  teaching,
  data,
  wasm,
];

export const catalogues: Record<Language, Catalogue> = {
  en: Object.assign({}, ...areas.map((area) => area.en)),
  ko: Object.assign({}, ...areas.map((area) => area.ko)),
};

export type MessageParams = Record<string, string | number>;

/**
 * Formats the message `key` in `language`, replacing `{name}` placeholders
 * with `params`. Numbers are formatted for the language's locale. A missing
 * key falls back to English, then to the key itself, so a gap shows up on
 * screen instead of as an empty label.
 */
export function translate(language: Language, key: string, params: MessageParams = {}): string {
  const template = catalogues[language][key] ?? catalogues.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    if (typeof value === 'number') return formatNumber(language, value);
    return value;
  });
}

// One formatter per language: `toLocaleString` builds a new Intl.NumberFormat on
// every call, which made labelling a large graph's nodes take tens of milliseconds.
const numberFormats = new Map<Language, Intl.NumberFormat>();

export function formatNumber(language: Language, value: number): string {
  if (!Number.isFinite(value)) return String(value);
  let format = numberFormats.get(language);
  if (!format) {
    format = new Intl.NumberFormat(language === 'ko' ? 'ko-KR' : 'en-US', {
      maximumFractionDigits: 6,
    });
    numberFormats.set(language, format);
  }
  return format.format(value);
}

/** Picks the first supported language from the browser's preference list, else English. */
export function detectLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ko') return 'ko';
    if (base === 'en') return 'en';
  }
  return 'en';
}
