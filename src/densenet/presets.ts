// Published DenseNet configurations as data, checked by the same schema as
// user input. CIFAR figures come from Table 2 of Huang et al., "Densely
// Connected Convolutional Networks" (CVPR 2017): parameters as printed (in
// millions) and test error in percent on CIFAR-10 and CIFAR-100 with standard
// augmentation (C10+, C100+). The ImageNet layouts come from the paper's
// Table 1, and DenseNet-161 uses k=48 with a 96-map stem.

import { defaultConfig } from './config';
import type { DenseNetConfig } from './types';
import { validateConfig } from './validate';

export interface ReportedErrors {
  /** Test error in percent on CIFAR-10 with augmentation (C10+). */
  cifar10Plus: number;
  /** Test error in percent on CIFAR-100 with augmentation (C100+). */
  cifar100Plus: number;
}

export interface Preset {
  /** Stable id, safe for URLs. */
  id: string;
  /** Name as the paper writes it, such as 'DenseNet-BC (L=100, k=12)'. */
  name: string;
  config: DenseNetConfig;
  /** Parameters as printed in the paper, in millions (CIFAR-10 classifier); null when the paper gives none. */
  reportedParamsMillions: number | null;
  /** Paper's CIFAR test errors; null for networks the paper does not train on CIFAR. */
  reportedErrors: ReportedErrors | null;
}

function cifar(depth: number, growthRate: number, variant: 'plain' | 'bc'): DenseNetConfig {
  return {
    ...defaultConfig(),
    depth,
    growthRate,
    bottleneck: variant === 'bc',
    compression: variant === 'bc' ? 0.5 : 1,
    initialChannels: null,
  };
}

function imagenet(blockLayers: number[], growthRate: number): DenseNetConfig {
  return {
    layout: 'imagenet',
    growthRate,
    depth: null,
    blockLayers,
    bottleneck: true,
    bottleneckWidth: 4,
    compression: 0.5,
    initialChannels: 2 * growthRate,
    numClasses: 1000,
    inputSize: 224,
    dropRate: 0,
  };
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'densenet-40-k12',
    name: 'DenseNet (L=40, k=12)',
    config: cifar(40, 12, 'plain'),
    reportedParamsMillions: 1.0,
    reportedErrors: { cifar10Plus: 5.24, cifar100Plus: 24.42 },
  },
  {
    id: 'densenet-100-k12',
    name: 'DenseNet (L=100, k=12)',
    config: cifar(100, 12, 'plain'),
    reportedParamsMillions: 7.0,
    reportedErrors: { cifar10Plus: 4.1, cifar100Plus: 20.2 },
  },
  {
    id: 'densenet-100-k24',
    name: 'DenseNet (L=100, k=24)',
    config: cifar(100, 24, 'plain'),
    reportedParamsMillions: 27.2,
    reportedErrors: { cifar10Plus: 3.74, cifar100Plus: 19.25 },
  },
  {
    id: 'densenet-bc-100-k12',
    name: 'DenseNet-BC (L=100, k=12)',
    config: cifar(100, 12, 'bc'),
    reportedParamsMillions: 0.8,
    reportedErrors: { cifar10Plus: 4.51, cifar100Plus: 22.27 },
  },
  {
    id: 'densenet-bc-250-k24',
    name: 'DenseNet-BC (L=250, k=24)',
    config: cifar(250, 24, 'bc'),
    reportedParamsMillions: 15.3,
    reportedErrors: { cifar10Plus: 3.62, cifar100Plus: 17.6 },
  },
  {
    id: 'densenet-bc-190-k40',
    name: 'DenseNet-BC (L=190, k=40)',
    config: cifar(190, 40, 'bc'),
    reportedParamsMillions: 25.6,
    reportedErrors: { cifar10Plus: 3.46, cifar100Plus: 17.18 },
  },
  {
    id: 'densenet-121',
    name: 'DenseNet-121',
    config: imagenet([6, 12, 24, 16], 32),
    reportedParamsMillions: null,
    reportedErrors: null,
  },
  {
    id: 'densenet-169',
    name: 'DenseNet-169',
    config: imagenet([6, 12, 32, 32], 32),
    reportedParamsMillions: null,
    reportedErrors: null,
  },
  {
    id: 'densenet-201',
    name: 'DenseNet-201',
    config: imagenet([6, 12, 48, 32], 32),
    reportedParamsMillions: null,
    reportedErrors: null,
  },
  {
    id: 'densenet-161',
    name: 'DenseNet-161',
    config: imagenet([6, 12, 36, 24], 48),
    reportedParamsMillions: null,
    reportedErrors: null,
  },
  {
    // NOTE: the paper's name; counting its convolutions gives depth 265.
    id: 'densenet-264',
    name: 'DenseNet-264',
    config: imagenet([6, 12, 64, 48], 32),
    reportedParamsMillions: null,
    reportedErrors: null,
  },
];

/** Returns the preset with `id`, or undefined. The returned config is a copy, safe to edit. */
export function findPreset(id: string): Preset | undefined {
  const preset = PRESETS.find((candidate) => candidate.id === id);
  if (preset === undefined) return undefined;
  return { ...preset, config: copyConfig(preset.config) };
}

function copyConfig(config: DenseNetConfig): DenseNetConfig {
  return { ...config, blockLayers: config.blockLayers && [...config.blockLayers] };
}

/** A ResNet row of the same table, for "fewer parameters at similar error" comparisons. */
export interface ResNetReference {
  id: string;
  name: string;
  depth: number;
  paramsMillions: number;
  reportedErrors: ReportedErrors;
}

/** Pre-activation ResNets (He et al., 2016) as listed in Table 2 of the DenseNet paper. */
export const RESNET_REFERENCES: readonly ResNetReference[] = [
  {
    id: 'resnet-preact-164',
    name: 'ResNet (pre-activation), 164 layers',
    depth: 164,
    paramsMillions: 1.7,
    reportedErrors: { cifar10Plus: 5.46, cifar100Plus: 24.33 },
  },
  {
    id: 'resnet-preact-1001',
    name: 'ResNet (pre-activation), 1001 layers',
    depth: 1001,
    paramsMillions: 10.2,
    reportedErrors: { cifar10Plus: 4.62, cifar100Plus: 22.71 },
  },
];

// Presets are data: reject a broken table when the module loads, not later in the UI.
for (const preset of PRESETS) {
  const result = validateConfig(preset.config);
  if (!result.ok) {
    throw new Error(
      `preset ${preset.id} is invalid: ${result.issues.map((issue) => issue.code).join(', ')}`,
    );
  }
}
