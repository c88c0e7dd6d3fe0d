// The error of the last load or cache action, worded from its code, with what
// still holds: the subset loaded before stays in use.

import { useDatasetStore } from '../../state/dataset';
import type { UserFacingError } from '../../training/protocol';
import { useT } from '../i18n';

/** Network-side failures, after which downloading the files by hand is the way out. */
const REMOTE_FAILURES = new Set([
  'data.error.network',
  'data.error.cors',
  'data.error.offline',
  'data.error.httpClient',
  'data.error.httpServer',
  'data.error.rangeNotSatisfiable',
  'data.error.timeout',
]);

function message(t: ReturnType<typeof useT>, error: UserFacingError): string {
  return t(error.code, error.params);
}

export function LoadError() {
  const t = useT();
  const error = useDatasetStore((state) => state.error);
  const cacheError = useDatasetStore((state) => state.cacheError);
  const loaded = useDatasetStore((state) => state.loaded);
  const status = useDatasetStore((state) => state.status);
  const setSource = useDatasetStore((state) => state.setSource);
  return (
    <>
      {error && status === 'failed' && (
        <div
          className="dataset-error"
          role="alert"
          data-testid="dataset-error"
          data-code={error.code}
        >
          <p>{message(t, error)}</p>
          {REMOTE_FAILURES.has(error.code) && (
            <p>
              {t('data.offerFilePicker')}{' '}
              <button
                type="button"
                className="button button--small"
                data-testid="dataset-use-files"
                onClick={() => setSource('files')}
              >
                {t('data.source.files')}
              </button>
            </p>
          )}
          {loaded && (
            <p data-testid="dataset-error-kept">
              {t('data.status.failedKept', { source: loaded.sourceLabel })}
            </p>
          )}
        </div>
      )}
      {cacheError && (
        <p
          className="field__error"
          role="alert"
          data-testid="dataset-cache-error"
          data-code={cacheError.code}
        >
          {t('data.cache.notSaved', { reason: message(t, cacheError) })}
        </p>
      )}
    </>
  );
}
