// React access to the catalogues: `useT()` returns a translate function bound
// to the store's current language, so every component re-renders on a switch.

import { useCallback } from 'react';
import type { ValidationIssue } from '../densenet/types';
import { catalogues, formatNumber, type MessageParams, translate } from '../i18n';
import { useAppStore } from '../state/store';

export type Translate = (key: string, params?: MessageParams) => string;

export function useT(): Translate {
  const language = useAppStore((state) => state.language);
  return useCallback(
    (key: string, params?: MessageParams) => translate(language, key, params),
    [language],
  );
}

export function useFormat(): (value: number) => string {
  const language = useAppStore((state) => state.language);
  return useCallback((value: number) => formatNumber(language, value), [language]);
}

/**
 * Words a validation issue: its code is a key of the validation catalogue. An
 * unknown code falls back to a generic message that still names the field.
 */
export function validationMessage(t: Translate, issue: ValidationIssue): string {
  if (issue.code in catalogues.en) return t(issue.code, issue.params);
  return t('ui.config.invalidGeneric', { field: String(issue.field), code: issue.code });
}

/** Formats a byte count with binary units (KiB, MiB, GiB). */
export function formatBytes(bytes: number, format: (value: number) => string): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${format(Math.round(value * 10) / 10)} ${units[unit]}`;
}

/** Formats a large count compactly (1.2M, 3.4G) for readouts. */
export function formatCompact(value: number, language: 'en' | 'ko'): string {
  return new Intl.NumberFormat(language === 'ko' ? 'ko-KR' : 'en-US', {
    notation: 'compact',
    maximumFractionDigits: 2,
  }).format(value);
}
