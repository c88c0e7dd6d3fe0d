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

  it('put no Korean particle right after a placeholder', () => {
    // 을/를, 이/가, 은/는, 와/과 and (으)로 depend on the sound before them, which a
    // placeholder does not know: "wasm를", "12을(를)". Copula forms (이면, 이므로,
    // 입니다) and particles that fit every sound (의, 에, 까지, 부터, 개) are fine.
    const particle =
      /\}["”]?(\((을|으|이|은|와|과)|을|를|가|은|는|와|과|로|으로|이(?![면므다]|어야|고))/;
    const bad = Object.entries(catalogues.ko).filter(([, text]) => particle.test(text));
    expect(bad).toEqual([]);
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

  it('gives the same numbers for a transition in both languages', () => {
    const params = { block: 1, theta: 0.7, m: 40, out: 28 };
    expect(translate('en', 'ui.graph.detail.transition', params)).toContain(
      '⌊0.7 × 40⌋ = 28 of 40 maps',
    );
    expect(translate('ko', 'ui.graph.detail.transition', params)).toContain(
      '40개 맵 중 ⌊θm⌋ = ⌊0.7 × 40⌋ = 28개',
    );
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
