// Dataset, CIFAR-100 label mode, subset sizes and sampling seed.

import { type NumericField, useDatasetStore } from '../../state/dataset';
import type { ControlId } from '../../state/teacher';
import type { DatasetName, LabelMode } from '../../training/protocol';
import { Field } from '../controls/fields';
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
  const { control, labelKey, testId } = NUMBER_FIELDS[field];
  const draft = useDatasetStore((state) => state.drafts[field]);
  const issue = useDatasetStore((state) => state.fieldIssues[field]);
  const setField = useDatasetStore((state) => state.setField);
  const label = t(labelKey);
  return (
    <Field
      control={control}
      label={label}
      hint={hint}
      errors={issue ? [t(issue.key, { ...issue.params, field: label })] : []}
      testId={`field-data-${field}`}
      errorTestId={`dataset-${field}-error`}
    >
      {({ id, describedBy, locked }) => (
        <input
          id={id}
          inputMode="numeric"
          data-testid={testId}
          value={draft}
          disabled={locked}
          aria-invalid={issue ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => setField(field, event.target.value)}
        />
      )}
    </Field>
  );
}

export function SubsetFields() {
  const t = useT();
  const dataset = useDatasetStore((state) => state.dataset);
  const labelMode = useDatasetStore((state) => state.labelMode);
  const setDataset = useDatasetStore((state) => state.setDataset);
  const setLabelMode = useDatasetStore((state) => state.setLabelMode);
  return (
    <div className="field-grid">
      <Field control="dataset" label={t('data.dataset.label')} testId="field-data-dataset">
        {({ id, describedBy, locked }) => (
          <select
            id={id}
            data-testid="dataset-name"
            value={dataset}
            disabled={locked}
            aria-describedby={describedBy}
            onChange={(event) => setDataset(event.target.value as DatasetName)}
          >
            <option value="cifar10">{t('data.dataset.cifar10')}</option>
            <option value="cifar100">{t('data.dataset.cifar100')}</option>
          </select>
        )}
      </Field>
      {dataset === 'cifar100' && (
        // The label mode belongs to the dataset choice, so the dataset's lock and hide cover it.
        <Field control="dataset" label={t('data.labelMode.label')} testId="field-data-labelMode">
          {({ id, describedBy, locked }) => (
            <select
              id={id}
              data-testid="dataset-label-mode"
              value={labelMode}
              disabled={locked}
              aria-describedby={describedBy}
              onChange={(event) => setLabelMode(event.target.value as LabelMode)}
            >
              <option value="fine">{t('data.labelMode.fine')}</option>
              <option value="coarse">{t('data.labelMode.coarse')}</option>
            </select>
          )}
        </Field>
      )}
      <NumberField field="trainSize" />
      <NumberField field="testSize" />
      <NumberField field="seed" hint={t('data.seed.hint')} />
    </div>
  );
}
