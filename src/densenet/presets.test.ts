import { describe, expect, it } from 'vitest';
import { planDenseNet } from './plan';
import { findPreset, PRESETS, RESNET_REFERENCES } from './presets';

describe('PRESETS', () => {
  it('lists the paper networks with unique ids', () => {
    expect(PRESETS.map((preset) => preset.id)).toEqual([
      'densenet-40-k12',
      'densenet-100-k12',
      'densenet-100-k24',
      'densenet-bc-100-k12',
      'densenet-bc-250-k24',
      'densenet-bc-190-k40',
      'densenet-121',
      'densenet-169',
      'densenet-201',
      'densenet-161',
      'densenet-264',
    ]);
  });

  it('match the printed parameter counts', () => {
    // Table 2 of Huang et al. (2017) prints millions rounded to one decimal.
    for (const preset of PRESETS) {
      if (preset.reportedParamsMillions === null) continue;
      const millions = planDenseNet(preset.config).trainableParams / 1e6;
      expect({ id: preset.id, rounded: Math.round(millions * 10) / 10 }).toEqual({
        id: preset.id,
        rounded: preset.reportedParamsMillions,
      });
    }
  });

  it('plan to their names', () => {
    const depths = Object.fromEntries(
      PRESETS.map((preset) => [preset.id, planDenseNet(preset.config).depth]),
    );
    expect(depths).toEqual({
      'densenet-40-k12': 40,
      'densenet-100-k12': 100,
      'densenet-100-k24': 100,
      'densenet-bc-100-k12': 100,
      'densenet-bc-250-k24': 250,
      'densenet-bc-190-k40': 190,
      'densenet-121': 121,
      'densenet-169': 169,
      'densenet-201': 201,
      'densenet-161': 161,
      // [6, 12, 64, 48] has 265 layers when counted like the other four.
      'densenet-264': 265,
    });
  });

  it('use the paper stem widths', () => {
    const stems = PRESETS.map((preset) => planDenseNet(preset.config).initialChannels);
    expect(stems).toEqual([16, 16, 16, 24, 48, 80, 64, 64, 64, 96, 64]);
  });

  it('copies configs from findPreset', () => {
    const preset = findPreset('densenet-121');
    preset?.config.blockLayers?.push(1);
    expect(findPreset('densenet-121')?.config.blockLayers).toEqual([6, 12, 24, 16]);
    expect(findPreset('no-such-preset')).toBeUndefined();
  });
});

describe('RESNET_REFERENCES', () => {
  it('shows BC L=100 beating ResNet-1001 with fewer parameters', () => {
    const resnet = RESNET_REFERENCES.find((reference) => reference.depth === 1001)!;
    const densenet = findPreset('densenet-bc-100-k12')!;

    expect(densenet.reportedErrors!.cifar10Plus).toBeLessThan(resnet.reportedErrors.cifar10Plus);
    expect(densenet.reportedErrors!.cifar100Plus).toBeLessThan(resnet.reportedErrors.cifar100Plus);
    expect(densenet.reportedParamsMillions! * 10).toBeLessThan(resnet.paramsMillions);
  });
});
