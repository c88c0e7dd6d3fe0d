// Place of the dataset panel in the layout. Until the dataset panel exists,
// a minimal picker sends the chosen CIFAR binary files to the worker so the
// rest of the page can be used end to end.

import { useId, useState } from 'react';
import { useAppStore } from '../state/store';
import { workerChannel } from '../state/worker';
import { useT } from './i18n';

export function DatasetSlot() {
  const t = useT();
  const inputId = useId();
  const classNames = useAppStore((state) => state.classNames);
  const link = useAppStore((state) => state.datasetLink);
  const [status, setStatus] = useState<string | null>(null);

  return (
    <section className="card" aria-labelledby="dataset-heading" data-testid="dataset-slot">
      <h2 id="dataset-heading">{t('ui.dataset.heading')}</h2>
      <label htmlFor={inputId} className="field__label">
        {t('ui.dataset.files')}
      </label>
      <input
        id={inputId}
        type="file"
        multiple
        accept=".bin,.txt"
        data-testid="dataset-files"
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          if (files.length === 0) return;
          setStatus(t('ui.dataset.loading'));
          workerChannel().post({
            type: 'load-data',
            requestId: Date.now(),
            request: {
              source: { kind: 'files', files },
              dataset: link.dataset,
              labelMode: link.labelMode,
              trainSize: link.trainSize,
              testSize: link.testSize,
              seed: useAppStore.getState().settings.seed,
            },
          });
        }}
      />
      <p className="field__hint" data-testid="dataset-status">
        {classNames.length > 0 ? t('ui.dataset.ready', { classes: classNames.length }) : status}
      </p>
    </section>
  );
}
