// The error of the last load or cache action, worded from its code, with what
// still holds: the subset loaded before stays in use.

import { useDatasetStore } from '../../state/dataset';
import { ErrorDescription } from '../controls/ErrorDescription';
import { describeError } from '../errorText';
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

export function LoadError() {
  const t = useT();
  const error = useDatasetStore((state) => state.error);
  const cacheError = useDatasetStore((state) => state.cacheError);
  const loaded = useDatasetStore((state) => state.loaded);
  const status = useDatasetStore((state) => state.status);
  const setSource = useDatasetStore((state) => state.setSource);
  const cacheReason = cacheError ? describeError(t, cacheError) : null;
  return (
    <>
      {error && status === 'failed' && (
        <div
          className="dataset-error"
          role="alert"
          data-testid="dataset-error"
          data-code={error.code}
        >
          <p>
            <ErrorDescription error={error} />
          </p>
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
      {cacheError && cacheReason && (
        <p
          className="field__error"
          role="alert"
          data-testid="dataset-cache-error"
          data-code={cacheError.code}
        >
          {t('data.cache.notSaved', { reason: cacheReason.message })}
          {cacheReason.technicalDetail && (
            <span className="technical-detail" data-testid="technical-detail">
              {cacheReason.technicalDetail}
            </span>
          )}
        </p>
      )}
    </>
  );
}
