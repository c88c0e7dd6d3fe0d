// Source choice: the Hugging Face parquet stream, a same-origin copy, local
// files (picker and drag-and-drop), or custom parquet URLs.

import { type DragEvent, useId, useState } from 'react';
import { type SourceChoice, useDatasetStore } from '../../state/dataset';
import { MAX_DATA_FILE_BYTES } from '../../training/protocol';
import { useControlAccess } from '../controls/fields';
import { formatBytes, useFormat, useT } from '../i18n';

export function SourcePicker() {
  const t = useT();
  const access = useControlAccess('dataset');
  const format = useFormat();
  const sourceId = useId();
  const filesId = useId();
  const trainUrlId = useId();
  const testUrlId = useId();
  const [dragging, setDragging] = useState(false);
  const source = useDatasetStore((state) => state.source);
  const selfHosted = useDatasetStore((state) => state.selfHosted);
  const dataset = useDatasetStore((state) => state.dataset);
  const files = useDatasetStore((state) => state.files);
  const customTrainUrl = useDatasetStore((state) => state.customTrainUrl);
  const customTestUrl = useDatasetStore((state) => state.customTestUrl);
  const setSource = useDatasetStore((state) => state.setSource);
  const setCustomUrls = useDatasetStore((state) => state.setCustomUrls);
  const loadFiles = useDatasetStore((state) => state.loadFiles);
  const loading = useDatasetStore((state) => state.status === 'loading');

  const copy = selfHosted.find((entry) => entry.dataset === dataset) ?? selfHosted[0];
  const choices: SourceChoice[] = [
    'parquet',
    ...(copy ? (['self-hosted'] as const) : []),
    'files',
    'custom-url',
  ];
  const label = (choice: SourceChoice) => {
    if (choice === 'parquet') return t('data.source.parquet');
    if (choice === 'self-hosted') return t('data.source.selfHosted', { name: copy?.name ?? '' });
    if (choice === 'files') return t('data.source.files');
    return t('data.source.customUrl');
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const dropped = [...event.dataTransfer.files];
    if (dropped.length > 0 && !loading) loadFiles(dropped);
  };

  if (access.hidden) return null;
  return (
    // A locked source keeps the teacher's choice: every control inside the fieldset is disabled.
    <fieldset
      className="field-grid dataset-source-grid"
      disabled={access.locked}
      data-testid="dataset-source-fieldset"
    >
      <legend className="visually-hidden">{t('data.source.label')}</legend>
      <div className="field">
        <label className="field__label" htmlFor={sourceId}>
          {t('data.source.label')}
        </label>
        <select
          id={sourceId}
          data-testid="dataset-source"
          value={source}
          onChange={(event) => setSource(event.target.value as SourceChoice)}
        >
          {choices.map((choice) => (
            <option key={choice} value={choice}>
              {label(choice)}
            </option>
          ))}
        </select>
      </div>

      {source === 'custom-url' && (
        <>
          <div className="field">
            <label className="field__label" htmlFor={trainUrlId}>
              {t('data.urls.train')}
            </label>
            <input
              id={trainUrlId}
              type="url"
              data-testid="dataset-custom-train-url"
              value={customTrainUrl}
              onChange={(event) => setCustomUrls({ train: event.target.value })}
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor={testUrlId}>
              {t('data.urls.test')}
            </label>
            <input
              id={testUrlId}
              type="url"
              data-testid="dataset-custom-test-url"
              value={customTestUrl}
              onChange={(event) => setCustomUrls({ test: event.target.value })}
            />
            <p className="field__hint">{t('data.urls.hint')}</p>
          </div>
        </>
      )}

      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop zone only adds drag-and-drop to the labelled file input inside it */}
      <div
        className={`dataset-drop${dragging ? ' dataset-drop--active' : ''}`}
        data-testid="dataset-drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label className="field__label" htmlFor={filesId}>
          {t('data.files.label')}
        </label>
        {/* The native input's own button text ("Choose Files") follows the browser's language,
            not the page's, so the input is hidden visually and a translated label opens it. */}
        <input
          id={filesId}
          type="file"
          className="visually-hidden dataset-files-input"
          multiple
          accept=".bin,.txt,.gz,.tgz,.tar"
          data-testid="dataset-files"
          disabled={loading}
          aria-describedby={`${filesId}-hint`}
          onChange={(event) => {
            const picked = [...(event.target.files ?? [])];
            event.target.value = '';
            if (picked.length > 0) loadFiles(picked);
          }}
        />
        <label
          htmlFor={filesId}
          className={`button dataset-files-button${loading ? ' dataset-files-button--disabled' : ''}`}
          aria-hidden="true"
          data-testid="dataset-files-button"
        >
          {t('data.files.choose')}
        </label>
        <p id={`${filesId}-hint`} className="field__hint">
          {t('data.files.hint', { limit: formatBytes(MAX_DATA_FILE_BYTES, format) })}
        </p>
        <p className="field__hint">{t('data.files.drop')}</p>
        <p className="field__hint" data-testid="dataset-files-chosen">
          {files.length > 0
            ? t('data.files.chosen', { names: files.map((file) => file.name).join(', ') })
            : t('data.files.none')}
        </p>
      </div>
    </fieldset>
  );
}
