// A labelled number box for one numeric training setting. It keeps the typed
// text, shows the required or range message inline while the text is invalid,
// and passes on only valid values, so the store keeps the last valid value.

import { useState } from 'react';
import { checkSetting, type NumericSetting } from '../../state/settings';
import type { ControlId } from '../../state/teacher';
import { useT } from '../i18n';
import { Field, NumberInput, rangeMessage } from './fields';

/** The numeric settings that have a form control of their own. */
export type SettingFieldName = Extract<NumericSetting, ControlId>;

interface SettingNumberFieldProps {
  field: SettingFieldName;
  label: string;
  hint?: string;
  /** The store's value: the last valid one. */
  value: number;
  /** 'any' for settings that take fractions, such as the learning rate. */
  step?: number | 'any';
  /** Disables the box, as for settings a live run cannot take. A teacher's lock disables it too. */
  disabled?: boolean;
  /** Called with each typed value that is within the setting's range. */
  onValid(value: number): void;
}

export function SettingNumberField({
  field,
  label,
  hint,
  value,
  step = 1,
  disabled = false,
  onValid,
}: SettingNumberFieldProps) {
  const t = useT();
  // The last number typed (undefined before any typing, null for empty or unreadable text).
  const [draft, setDraft] = useState<number | null | undefined>(undefined);
  let errors: string[] = [];
  if (draft === null) errors = [t('ui.field.required')];
  else if (draft !== undefined) errors = rangeMessage(t, checkSetting(field, draft), draft);

  return (
    <Field control={field} label={label} hint={hint} errors={errors}>
      {({ id, describedBy, locked }) => (
        <NumberInput
          id={id}
          testId={`input-${field}`}
          value={value}
          step={step}
          describedBy={describedBy}
          disabled={locked || disabled}
          onTextError={(key) => key && setDraft(null)}
          onValue={(typed) => {
            if (typed === null) return;
            setDraft(typed);
            if (!checkSetting(field, typed)) onValid(typed);
          }}
        />
      )}
    </Field>
  );
}
