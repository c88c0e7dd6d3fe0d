// Subsets saved in this browser (IndexedDB): reuse one without downloading,
// also offline, or delete it.

import { useDatasetStore } from '../../state/dataset';
import { useAppStore } from '../../state/store';
import { formatBytes, useFormat, useT } from '../i18n';

export function CacheList() {
  const t = useT();
  const format = useFormat();
  const entries = useDatasetStore((state) => state.cacheEntries);
  const loadCached = useDatasetStore((state) => state.loadCached);
  const deleteCached = useDatasetStore((state) => state.deleteCached);
  const loading = useDatasetStore((state) => state.status === 'loading');
  const language = useAppStore((state) => state.language);
  return (
    <div data-testid="dataset-cache">
      <h3 className="subheading">{t('data.cache.heading')}</h3>
      {entries.length === 0 ? (
        <p className="field__hint" data-testid="dataset-cache-empty">
          {t('data.cache.empty')}
        </p>
      ) : (
        <ul className="dataset-cache" data-testid="dataset-cache-list">
          {entries.map((entry) => (
            <li key={entry.cacheId} data-testid="dataset-cache-entry">
              <span>
                {t('data.cache.entry', {
                  dataset:
                    entry.dataset === 'cifar10'
                      ? 'CIFAR-10'
                      : `CIFAR-100 (${t(entry.labelMode === 'coarse' ? 'data.labelMode.coarse' : 'data.labelMode.fine')})`,
                  train: entry.trainSize,
                  test: entry.testSize,
                  seed: entry.seed,
                  source: entry.sourceLabel,
                  size: formatBytes(entry.bytes, format),
                  date: new Date(entry.savedAt).toLocaleString(
                    language === 'ko' ? 'ko-KR' : 'en-US',
                  ),
                })}
              </span>
              <span className="button-row">
                <button
                  type="button"
                  className="button button--small"
                  data-testid="dataset-cache-use"
                  aria-label={t('data.cache.useLabel', { source: entry.sourceLabel })}
                  disabled={loading}
                  onClick={() => loadCached(entry.cacheId)}
                >
                  {t('data.cache.use')}
                </button>
                <button
                  type="button"
                  className="button button--small button--quiet"
                  data-testid="dataset-cache-delete"
                  aria-label={t('data.cache.deleteLabel', { source: entry.sourceLabel })}
                  onClick={() => deleteCached(entry.cacheId)}
                >
                  {t('data.cache.delete')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
