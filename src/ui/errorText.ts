// Worker and data errors as the page shows them. The translated sentence comes
// first, and the raw text from the browser or a library gets its own labelled
// line, so a Korean sentence does not quote the browser's English.

import { catalogues } from '../i18n';
import type { UserFacingError } from '../training/protocol';
import type { Translate } from './i18n';

/**
 * Error parameters that carry raw text from the browser, TF.js or IndexedDB,
 * usually in English. No catalogue sentence uses them as placeholders.
 */
export const TECHNICAL_PARAMS: readonly string[] = ['detail', 'details', 'message'];

export interface ErrorText {
  /** The translated sentence. */
  message: string;
  /** The labelled raw text ("Technical detail: …"), or null when the error carries none. */
  technicalDetail: string | null;
}

/** Translates `error` and moves its raw text to a separate technical-detail line. */
export function describeError(t: Translate, error: UserFacingError): ErrorText {
  if (!(error.code in catalogues.en)) {
    // An unknown code has no sentence to place its parameters in, so all of them are raw text.
    return {
      message: t('ui.error.unknown', { code: error.code }),
      technicalDetail: t('ui.error.technicalDetail', { detail: JSON.stringify(error.params) }),
    };
  }

  const raw = TECHNICAL_PARAMS.map((name) => error.params[name])
    .filter((value) => value !== undefined && String(value).trim() !== '')
    .map(String);
  return {
    message: t(error.code, error.params),
    technicalDetail:
      raw.length > 0 ? t('ui.error.technicalDetail', { detail: raw.join(' · ') }) : null,
  };
}
