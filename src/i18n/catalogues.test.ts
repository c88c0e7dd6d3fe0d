import { describe, expect, it } from 'vitest';
import { catalogues, detectLanguage, translate } from './index';

describe('i18n catalogues', () => {
  it('have the same keys in English and Korean', () => {
    const enKeys = Object.keys(catalogues.en).sort();
    const koKeys = Object.keys(catalogues.ko).sort();
    expect(enKeys.filter((key) => !(key in catalogues.ko))).toEqual([]);
    expect(koKeys.filter((key) => !(key in catalogues.en))).toEqual([]);
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (text: string) =>
      [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
    for (const key of Object.keys(catalogues.en)) {
      expect({ key, names: placeholders(catalogues.ko[key] ?? '') }).toEqual({
        key,
        names: placeholders(catalogues.en[key] ?? ''),
      });
    }
  });

  it('have no empty messages', () => {
    for (const language of ['en', 'ko'] as const) {
      const empty = Object.entries(catalogues[language]).filter(([, text]) => text.trim() === '');
      expect(empty).toEqual([]);
    }
  });
});

describe('translate', () => {
  it('fills placeholders and formats numbers per locale', () => {
    catalogues.en['test.sample'] = 'k = {k}, params {count}';
    expect(translate('en', 'test.sample', { k: 12, count: 769162 })).toBe('k = 12, params 769,162');
    delete catalogues.en['test.sample'];
  });

  it('falls back to the key when no catalogue has it', () => {
    expect(translate('ko', 'no.such.key')).toBe('no.such.key');
  });
});

describe('detectLanguage', () => {
  it('prefers Korean for ko-KR', () => {
    expect(detectLanguage(['ko-KR', 'en-US'])).toBe('ko');
  });
  it('falls back to English for unsupported languages', () => {
    expect(detectLanguage(['fr-FR', 'de'])).toBe('en');
  });
  it('takes the first supported tag in order', () => {
    expect(detectLanguage(['ja', 'en-GB', 'ko'])).toBe('en');
  });
});
