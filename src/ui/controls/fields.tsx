// Labelled form controls shared by the panels. Each control has an id the
// teacher options can hide or lock, a visible label, and an inline message
// area linked with aria-describedby.

import { type ReactNode, useEffect, useId, useState } from 'react';
import { useAppStore } from '../../state/store';
import type { ControlId } from '../../state/teacher';
import { topicForControl } from '../../state/topics';
import { useT } from '../i18n';

export function useControlAccess(control: ControlId): { hidden: boolean; locked: boolean } {
  const teacher = useAppStore((state) => state.teacher);
  return { hidden: teacher.hidden.includes(control), locked: teacher.locked.includes(control) };
}

interface FieldProps {
  control: ControlId;
  label: string;
  hint?: string;
  errors?: string[];
  /** Test id of the wrapper, `field-<control>` by default. Two fields with one control need their own. */
  testId?: string;
  /** Test id of the error list, `error-<control>` by default. */
  errorTestId?: string;
  /** Renders the input; receives its id, the ids describing it, and whether it is locked. */
  children: (props: { id: string; describedBy: string | undefined; locked: boolean }) => ReactNode;
}

export function Field({
  control,
  label,
  hint,
  errors = [],
  testId = `field-${control}`,
  errorTestId = `error-${control}`,
  children,
}: FieldProps) {
  const id = useId();
  const t = useT();
  const { hidden, locked } = useControlAccess(control);
  const setTopic = useAppStore((state) => state.setTopic);
  if (hidden) return null;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length > 0 ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: focus events bubble here from the labelled control inside; the wrapper itself is not interactive
    <div
      className={`field${errors.length > 0 ? ' field--invalid' : ''}${locked ? ' field--locked' : ''}`}
      data-testid={testId}
      onFocus={() => {
        const topic = topicForControl(control);
        if (topic) setTopic(topic);
      }}
    >
      <label htmlFor={id} className="field__label">
        {label}
        {locked && (
          <span className="field__lock" title={t('ui.teacher.locked')}>
            {' '}
            🔒<span className="visually-hidden">{t('ui.teacher.locked')}</span>
          </span>
        )}
      </label>
      {children({ id, describedBy, locked })}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {errors.length > 0 && (
        <div id={errorId} className="field__error" role="alert" data-testid={errorTestId}>
          {errors.map((error) => (
            <p key={error}>{error}</p>
          ))}
        </div>
      )}
    </div>
  );
}

interface NumberInputProps {
  id: string;
  value: number | null;
  describedBy: string | undefined;
  disabled?: boolean;
  step?: number | 'any';
  min?: number;
  max?: number;
  testId: string;
  /** Called with each parsed value (null for an empty box when `allowEmpty`). */
  onValue(value: number | null): void;
  /** Called with a message key when the text is not a number. */
  onTextError?(key: string | null): void;
  allowEmpty?: boolean;
  placeholder?: string;
}

/**
 * Renders a number box that keeps what the user typed, even when it is not a
 * valid value yet, so validation can explain the problem beside it instead of
 * silently snapping back.
 */
export function NumberInput({
  id,
  value,
  describedBy,
  disabled,
  step = 1,
  min,
  max,
  testId,
  onValue,
  onTextError,
  allowEmpty = false,
  placeholder,
}: NumberInputProps) {
  const [text, setText] = useState(value === null ? '' : String(value));
  useEffect(() => {
    setText((current) => {
      const parsed = current.trim() === '' ? null : Number(current);
      if (parsed === value) return current;
      return value === null ? '' : String(value);
    });
  }, [value]);

  return (
    <input
      id={id}
      type="number"
      inputMode="decimal"
      value={text}
      step={step}
      min={min}
      max={max}
      placeholder={placeholder}
      disabled={disabled}
      aria-describedby={describedBy}
      aria-invalid={describedBy?.includes('error') ? true : undefined}
      data-testid={testId}
      onChange={(event) => {
        const next = event.target.value;
        setText(next);
        if (next.trim() === '') {
          if (allowEmpty) {
            onTextError?.(null);
            onValue(null);
          } else {
            onTextError?.('ui.field.required');
          }
          return;
        }
        const parsed = Number(next);
        if (!Number.isFinite(parsed)) {
          onTextError?.('ui.field.notANumber');
          return;
        }
        onTextError?.(null);
        onValue(parsed);
      }}
    />
  );
}

/**
 * Words a failed range check of a settings field for inline display, naming the value
 * received in the same words the network fields use.
 */
export function rangeMessage(
  t: (key: string, params?: Record<string, string | number>) => string,
  range: { min: number; max: number; integer: boolean } | null,
  received: number,
): string[] {
  if (!range) return [];
  return [
    t(range.integer ? 'config.notInteger' : 'config.notNumber', {
      min: range.min,
      max: range.max,
      received: String(received),
    }),
  ];
}
