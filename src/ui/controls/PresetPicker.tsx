// Preset menu: the CIFAR networks of Table 2 and the ImageNet DenseNets of
// Table 1 in Huang et al. (2017). Shows which preset the current config
// matches, or "custom".

import { findPreset, PRESETS, type Preset } from '../../densenet/presets';
import type { DenseNetConfig } from '../../densenet/types';
import { useAppStore } from '../../state/store';
import { useT } from '../i18n';
import { Field } from './fields';

const ARCHITECTURE_FIELDS: (keyof DenseNetConfig)[] = [
  'layout',
  'growthRate',
  'depth',
  'blockLayers',
  'bottleneck',
  'bottleneckWidth',
  'compression',
  'initialChannels',
];

/** Returns the preset whose architecture fields equal `config`'s, ignoring classes and input size. */
export function matchingPreset(config: DenseNetConfig): Preset | undefined {
  return PRESETS.find((preset) =>
    ARCHITECTURE_FIELDS.every(
      (field) => JSON.stringify(preset.config[field]) === JSON.stringify(config[field]),
    ),
  );
}

export function PresetPicker() {
  const t = useT();
  const draft = useAppStore((state) => state.configDraft);
  const replaceConfig = useAppStore((state) => state.replaceConfig);
  const current = matchingPreset(draft);

  return (
    <Field control="preset" label={t('ui.config.preset')} hint={t('ui.config.preset.hint')}>
      {({ id, describedBy, locked }) => (
        <select
          id={id}
          value={current?.id ?? 'custom'}
          disabled={locked}
          aria-describedby={describedBy}
          data-testid="input-preset"
          onChange={(event) => {
            const preset = findPreset(event.target.value);
            if (!preset) return;
            // The preset sets the architecture, so the dataset's classes and image size stay, and
            // so does the last valid dropout rate, which matchingPreset ignores too.
            replaceConfig({
              ...preset.config,
              numClasses: draft.numClasses,
              inputSize: draft.inputSize,
              dropRate: useAppStore.getState().config.dropRate,
            });
          }}
        >
          <option value="custom" disabled>
            {t('ui.config.preset.custom')}
          </option>
          <optgroup label={t('ui.config.preset.cifar')}>
            {PRESETS.filter((preset) => preset.config.layout === 'cifar').map((preset) => (
              <option key={preset.id} value={preset.id}>
                {preset.name}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('ui.config.preset.imagenet')}>
            {PRESETS.filter((preset) => preset.config.layout === 'imagenet').map((preset) => (
              <option key={preset.id} value={preset.id}>
                {preset.name}
              </option>
            ))}
          </optgroup>
        </select>
      )}
    </Field>
  );
}
