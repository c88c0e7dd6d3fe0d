// The architecture form: preset, layout, growth rate k, depth L (or layers per
// block), bottleneck, compression θ, stem width and dropout rate. Every change
// is validated at once (state/architecture: densenet/validate and the page's
// dropout range). An invalid value shows its message inline and the last valid
// network stays on screen.

import { useState } from 'react';
import { defaultInitialChannels } from '../../densenet/config';
import type { DenseNetConfig, Layout, ValidationIssue } from '../../densenet/types';
import { DROP_RATE_RANGE } from '../../state/architecture';
import { useAppStore } from '../../state/store';
import { useT, validationMessage } from '../i18n';
import { Field, NumberInput } from './fields';
import { PresetPicker } from './PresetPicker';

function issuesFor(issues: ValidationIssue[], fields: string[]): ValidationIssue[] {
  return issues.filter((issue) => fields.includes(String(issue.field)));
}

export function ConfigPanel() {
  const t = useT();
  const draft = useAppStore((state) => state.configDraft);
  // Hints describe the network in use: the last valid config, not a draft the validator rejected.
  const config = useAppStore((state) => state.config);
  const issues = useAppStore((state) => state.configIssues);
  const updateConfig = useAppStore((state) => state.updateConfig);
  const [textErrors, setTextErrors] = useState<Record<string, string | null>>({});

  const errorsFor = (fields: string[]): string[] => {
    // A field whose text cannot be read shows only that problem: the store's issues describe an
    // earlier value that is no longer in the input.
    const current = fields.filter((field) => !textErrors[field]);
    const messages = issuesFor(issues, current).map((issue) => validationMessage(t, issue));
    for (const field of fields) {
      const key = textErrors[field];
      if (key) messages.unshift(t(key));
    }
    return messages;
  };
  const setTextError = (field: string) => (key: string | null) =>
    setTextErrors((current) => ({ ...current, [field]: key }));

  const knownFields = [
    'layout',
    'growthRate',
    'depth',
    'blockLayers',
    'bottleneck',
    'compression',
    'initialChannels',
    'bottleneckWidth',
    'dropRate',
  ];
  const otherIssues = issues.filter((issue) => !knownFields.includes(String(issue.field)));

  return (
    <section className="card" aria-labelledby="config-heading" data-testid="config-panel">
      <h2 id="config-heading">{t('ui.config.heading')}</h2>
      <PresetPicker />

      <div className="field-grid">
        <Field control="layout" label={t('ui.config.layout')} errors={errorsFor(['layout'])}>
          {({ id, describedBy, locked }) => (
            <select
              id={id}
              value={draft.layout}
              disabled={locked}
              aria-describedby={describedBy}
              data-testid="input-layout"
              onChange={(event) => {
                const layout = event.target.value as Layout;
                const patch: Partial<DenseNetConfig> =
                  layout === 'imagenet'
                    ? { layout, blockLayers: draft.blockLayers ?? [6, 12, 24, 16], depth: null }
                    : { layout, blockLayers: null, depth: draft.depth ?? 40 };
                updateConfig(patch);
              }}
            >
              <option value="cifar">{t('ui.config.layout.cifar')}</option>
              <option value="imagenet">{t('ui.config.layout.imagenet')}</option>
            </select>
          )}
        </Field>

        <Field
          control="growthRate"
          label={t('ui.config.growthRate')}
          hint={t('ui.config.growthRate.hint')}
          errors={errorsFor(['growthRate'])}
        >
          {({ id, describedBy, locked }) => (
            <NumberInput
              id={id}
              testId="input-growthRate"
              value={draft.growthRate}
              min={1}
              describedBy={describedBy}
              disabled={locked}
              onTextError={setTextError('growthRate')}
              onValue={(growthRate) => growthRate !== null && updateConfig({ growthRate })}
            />
          )}
        </Field>

        {draft.blockLayers === null ? (
          <Field
            control="depth"
            label={t('ui.config.depth')}
            hint={t(draft.bottleneck ? 'ui.config.depth.hintBottleneck' : 'ui.config.depth.hint')}
            errors={errorsFor(['depth'])}
          >
            {({ id, describedBy, locked }) => (
              <NumberInput
                id={id}
                testId="input-depth"
                value={draft.depth}
                min={1}
                describedBy={describedBy}
                disabled={locked}
                onTextError={setTextError('depth')}
                onValue={(depth) => depth !== null && updateConfig({ depth })}
              />
            )}
          </Field>
        ) : (
          <Field
            control="blockLayers"
            label={t('ui.config.blockLayers')}
            hint={t('ui.config.blockLayers.hint')}
            errors={errorsFor(['blockLayers', 'depth'])}
          >
            {({ id, describedBy, locked }) => (
              <BlockLayersInput
                id={id}
                describedBy={describedBy}
                locked={locked}
                value={draft.blockLayers ?? []}
                onTextError={setTextError('blockLayers')}
                onValue={(blockLayers) => updateConfig({ blockLayers, depth: null })}
              />
            )}
          </Field>
        )}

        <Field
          control="bottleneck"
          label={t('ui.config.bottleneck')}
          hint={t('ui.config.bottleneck.hint', {
            width: config.bottleneckWidth * config.growthRate,
          })}
          errors={errorsFor(['bottleneck', 'bottleneckWidth'])}
        >
          {({ id, describedBy, locked }) => (
            <input
              id={id}
              type="checkbox"
              className="switch"
              checked={draft.bottleneck}
              disabled={locked}
              aria-describedby={describedBy}
              data-testid="input-bottleneck"
              onChange={(event) => updateConfig({ bottleneck: event.target.checked })}
            />
          )}
        </Field>

        <Field
          control="compression"
          label={t('ui.config.compression')}
          hint={t('ui.config.compression.hint')}
          errors={errorsFor(['compression'])}
        >
          {({ id, describedBy, locked }) => (
            <NumberInput
              id={id}
              testId="input-compression"
              value={draft.compression}
              step={0.05}
              min={0}
              max={1}
              describedBy={describedBy}
              disabled={locked}
              onTextError={setTextError('compression')}
              onValue={(compression) => compression !== null && updateConfig({ compression })}
            />
          )}
        </Field>

        <Field
          control="initialChannels"
          label={t('ui.config.initialChannels')}
          hint={t('ui.config.initialChannels.hint', { auto: defaultInitialChannels(config) })}
          errors={errorsFor(['initialChannels'])}
        >
          {({ id, describedBy, locked }) => (
            <NumberInput
              id={id}
              testId="input-initialChannels"
              value={draft.initialChannels}
              min={1}
              allowEmpty
              placeholder={t('ui.config.auto', { value: defaultInitialChannels(config) })}
              describedBy={describedBy}
              disabled={locked}
              onTextError={setTextError('initialChannels')}
              onValue={(initialChannels) => updateConfig({ initialChannels })}
            />
          )}
        </Field>

        <Field
          control="dropRate"
          label={t('ui.config.dropRate')}
          hint={t('ui.config.dropRate.hint')}
          errors={errorsFor(['dropRate'])}
        >
          {({ id, describedBy, locked }) => (
            <NumberInput
              id={id}
              testId="input-dropRate"
              value={draft.dropRate}
              step={0.05}
              min={DROP_RATE_RANGE.min}
              max={DROP_RATE_RANGE.max}
              describedBy={describedBy}
              disabled={locked}
              onTextError={setTextError('dropRate')}
              onValue={(dropRate) => dropRate !== null && updateConfig({ dropRate })}
            />
          )}
        </Field>
      </div>

      {otherIssues.length > 0 && (
        <div className="field__error" role="alert" data-testid="config-other-errors">
          {otherIssues.map((issue) => (
            <p key={`${issue.field}-${issue.code}`}>{validationMessage(t, issue)}</p>
          ))}
        </div>
      )}
      {issues.length > 0 && (
        <p className="notice notice--info" data-testid="config-kept">
          {t('ui.config.keptLastValid')}
        </p>
      )}
    </section>
  );
}

function BlockLayersInput({
  id,
  describedBy,
  locked,
  value,
  onValue,
  onTextError,
}: {
  id: string;
  describedBy: string | undefined;
  locked: boolean;
  value: number[];
  onValue(value: number[]): void;
  onTextError(key: string | null): void;
}) {
  const [text, setText] = useState(value.join(', '));
  return (
    <input
      id={id}
      type="text"
      value={text}
      disabled={locked}
      aria-describedby={describedBy}
      data-testid="input-blockLayers"
      onChange={(event) => {
        setText(event.target.value);
        const parts = event.target.value.split(/[\s,-]+/).filter((part) => part !== '');
        const numbers = parts.map(Number);
        if (parts.length === 0 || numbers.some((n) => !Number.isFinite(n))) {
          onTextError('ui.field.blockList');
          return;
        }
        onTextError(null);
        onValue(numbers);
      }}
    />
  );
}
