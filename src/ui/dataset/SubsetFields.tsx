// Dataset, CIFAR-100 label mode, subset sizes and sampling seed.

import { type NumericField, useDatasetStore } from '../../state/dataset';
import type { ControlId } from '../../state/teacher';
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

/**
 * Renders a menu of the dataset choice: the dataset itself or the CIFAR-100
 * label mode, which the dataset's lock and hide cover too.
 */
function DatasetChoice<T extends string>({
  label,
  testId,
  value,
  choices,
  onChange,
}: {
  label: string;
  testId: string;
  value: T;
  choices: { value: T; label: string }[];
  onChange(value: T): void;
}) {
  return (
    <Field control="dataset" label={label} testId={`field-${testId}`}>
      {({ id, describedBy, locked }) => (
        <select
          id={id}
          data-testid={testId}
          value={value}
          disabled={locked}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value as T)}
        >
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
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
      <DatasetChoice
        label={t('data.dataset.label')}
        testId="dataset-name"
        value={dataset}
        choices={[
          { value: 'cifar10', label: t('data.dataset.cifar10') },
          { value: 'cifar100', label: t('data.dataset.cifar100') },
        ]}
        onChange={setDataset}
      />
      {dataset === 'cifar100' && (
        <DatasetChoice
          label={t('data.labelMode.label')}
          testId="dataset-label-mode"
          value={labelMode}
          choices={[
            { value: 'fine', label: t('data.labelMode.fine') },
            { value: 'coarse', label: t('data.labelMode.coarse') },
          ]}
          onChange={setLabelMode}
        />
      )}
      <NumberField field="trainSize" />
      <NumberField field="testSize" />
      <NumberField field="seed" hint={t('data.seed.hint')} />
    </div>
  );
}
