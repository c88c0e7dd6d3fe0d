// Dataset, CIFAR-100 label mode, subset sizes and sampling seed.

import { useId } from 'react';
import { type NumericField, useDatasetStore } from '../../state/dataset';
import type { ControlId } from '../../state/teacher';
import type { DatasetName, LabelMode } from '../../training/protocol';
import { useControlAccess } from '../controls/fields';
import { useT } from '../i18n';

function NumberField({
  field,
  label,
  hint,
}: {
  field: NumericField;
  label: string;
  hint?: string;
}) {
  const t = useT();
  const id = useId();
  const control: ControlId = field === 'trainSize' || field === 'testSize' ? field : 'seed';
  const { hidden, locked } = useControlAccess(control);
  const draft = useDatasetStore((state) => state.drafts[field]);
  const issue = useDatasetStore((state) => state.fieldIssues[field]);
  const setField = useDatasetStore((state) => state.setField);
  const fieldLabel = t(
    field === 'trainSize'
      ? 'data.sizes.train'
      : field === 'testSize'
        ? 'data.sizes.test'
        : 'data.seed.label',
  );
  const describedBy = [hint ? `${id}-hint` : null, issue ? `${id}-error` : null]
    .filter(Boolean)
    .join(' ');
  if (hidden) return null;
  return (
    <div className={`field${issue ? ' field--invalid' : ''}${locked ? ' field--locked' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        inputMode="numeric"
        data-testid={`dataset-${field === 'trainSize' ? 'train-size' : field === 'testSize' ? 'test-size' : 'seed'}`}
        value={draft}
        disabled={locked}
        aria-invalid={issue ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(event) => setField(field, event.target.value)}
      />
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {issue && (
        <p
          id={`${id}-error`}
          className="field__error"
          role="alert"
          data-testid={`dataset-${field}-error`}
        >
          {t(issue.key, { ...issue.params, field: fieldLabel })}
        </p>
      )}
    </div>
  );
}

export function SubsetFields() {
  const t = useT();
  const datasetId = useId();
  const modeId = useId();
  const dataset = useDatasetStore((state) => state.dataset);
  const labelMode = useDatasetStore((state) => state.labelMode);
  const setDataset = useDatasetStore((state) => state.setDataset);
  const setLabelMode = useDatasetStore((state) => state.setLabelMode);
  const datasetAccess = useControlAccess('dataset');
  return (
    <div className="field-grid">
      <div className="field" hidden={datasetAccess.hidden}>
        <label className="field__label" htmlFor={datasetId}>
          {t('data.dataset.label')}
        </label>
        <select
          id={datasetId}
          data-testid="dataset-name"
          value={dataset}
          disabled={datasetAccess.locked}
          onChange={(event) => setDataset(event.target.value as DatasetName)}
        >
          <option value="cifar10">{t('data.dataset.cifar10')}</option>
          <option value="cifar100">{t('data.dataset.cifar100')}</option>
        </select>
      </div>
      {dataset === 'cifar100' && (
        <div className="field">
          <label className="field__label" htmlFor={modeId}>
            {t('data.labelMode.label')}
          </label>
          <select
            id={modeId}
            data-testid="dataset-label-mode"
            value={labelMode}
            disabled={datasetAccess.locked}
            onChange={(event) => setLabelMode(event.target.value as LabelMode)}
          >
            <option value="fine">{t('data.labelMode.fine')}</option>
            <option value="coarse">{t('data.labelMode.coarse')}</option>
          </select>
        </div>
      )}
      <NumberField field="trainSize" label={t('data.sizes.train')} />
      <NumberField field="testSize" label={t('data.sizes.test')} />
      <NumberField field="seed" label={t('data.seed.label')} hint={t('data.seed.hint')} />
    </div>
  );
}
