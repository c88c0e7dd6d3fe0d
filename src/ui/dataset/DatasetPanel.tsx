// The data panel: choose a CIFAR source and subset, load it into the worker
// with progress and cancel, see class counts and sample images, and reuse or
// delete subsets saved in the browser.

import { useEffect } from 'react';
import { connectDatasetStore, useDatasetStore } from '../../state/dataset';
import { useT } from '../i18n';
import { CacheList } from './CacheList';
import { DatasetSummary } from './DatasetSummary';
import { LoadError } from './LoadError';
import { LoadProgress } from './LoadProgress';
import { SourcePicker } from './SourcePicker';
import { SubsetFields } from './SubsetFields';
import './dataset.css';

export function DatasetPanel() {
  const t = useT();
  const status = useDatasetStore((state) => state.status);
  const loaded = useDatasetStore((state) => state.loaded);
  const hasIssues = useDatasetStore((state) => Object.keys(state.fieldIssues).length > 0);
  const load = useDatasetStore((state) => state.load);
  const cancel = useDatasetStore((state) => state.cancel);

  useEffect(() => {
    void connectDatasetStore(new URL(import.meta.env.BASE_URL, window.location.href).href);
  }, []);

  useEffect(() => {
    // A file dropped beside the panel would make the browser open it and leave the app.
    const keepPage = (event: DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    window.addEventListener('dragover', keepPage);
    window.addEventListener('drop', keepPage);
    return () => {
      window.removeEventListener('dragover', keepPage);
      window.removeEventListener('drop', keepPage);
    };
  }, []);

  const loading = status === 'loading';
  return (
    <section className="card" aria-labelledby="dataset-heading" data-testid="dataset-panel">
      <h2 id="dataset-heading">{t('data.heading')}</h2>
      <p className="card__subtitle">{t('data.intro')}</p>
      <SourcePicker />
      <SubsetFields />
      <div className="button-row">
        <button
          type="button"
          className="button button--primary"
          data-testid="dataset-load"
          disabled={loading || hasIssues}
          onClick={load}
        >
          {t('data.load')}
        </button>
        {loading && (
          <button type="button" className="button" data-testid="dataset-cancel" onClick={cancel}>
            {t('data.cancel')}
          </button>
        )}
      </div>
      <LoadProgress />
      <LoadError />
      <p className="field__hint" data-testid="dataset-status" aria-live="polite">
        {status === 'cancelled' && t('data.status.cancelled')}
        {status !== 'cancelled' &&
          loaded &&
          t('data.status.ready', { classes: loaded.classNames.length })}
      </p>
      <DatasetSummary />
      <CacheList />
    </section>
  );
}
