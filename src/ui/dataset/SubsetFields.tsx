// Dataset, CIFAR-100 label mode, subset sizes and sampling seed.

import { useId } from 'react';
import { type NumericField, useDatasetStore } from '../../state/dataset';
import type { ControlId } from '../../state/teacher';
import type { DatasetName, LabelMode } from '../../training/protocol';
import { useControlAccess } from '../controls/fields';
import { useT } from '../i18n';

/** The teacher control, label key and input test id of each dataset number field. */
const NUMBER_FIELDS: Record<
  NumericField,
  { control: ControlId; labelKey: string; testId: string }
> = {
  trainSize: { control: 'trainSize', labelKey: 'data.sizes.train', testId: 'dataset-train-size' },
  testSize: { control: 'testSize', labelKey: 'data.sizes.test', testId: 'dataset-test-size' },
  seed: { control: 'seed', labelKey: 'data.seed.label', testId: 'dataset-seed' },
};

function NumberField({ field, hint }: { field: NumericField; hint?: string }) {
  const t = useT();
  const id = useId();
  const { control, labelKey, testId } = NUMBER_FIELDS[field];
  const { hidden, locked } = useControlAccess(control);
  const draft = useDatasetStore((state) => state.drafts[field]);
  const issue = useDatasetStore((state) => state.fieldIssues[field]);
  const setField = useDatasetStore((state) => state.setField);
  const label = t(labelKey);
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
        data-testid={testId}
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
          {t(issue.key, { ...issue.params, field: label })}
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
      <NumberField field="trainSize" />
      <NumberField field="testSize" />
      <NumberField field="seed" hint={t('data.seed.hint')} />
    </div>
  );
}
