// Defaults and null-resolution for DenseNet configs. The rules follow Huang et
// al., "Densely Connected Convolutional Networks" (CVPR 2017): a CIFAR network
// has three equal blocks and depth L = 3·n·c + 4 (c = 2 convolutions per layer
// with a bottleneck, else 1); the stem has 16 maps, or 2k for DenseNet-BC.

import type { DenseNetConfig, Layout, ResolvedConfig } from './types';

/** The paper's bottleneck width: the 1x1 convolution outputs 4k maps. */
export const PAPER_BOTTLENECK_WIDTH = 4;

/** Stem width of plain DenseNet and DenseNet-B/C on CIFAR. */
export const PLAIN_INITIAL_CHANNELS = 16;

/** Number of dense blocks in each layout. */
export const BLOCK_COUNT: Record<Layout, number> = { cifar: 3, imagenet: 4 };

/**
 * Returns the browser-sized default: DenseNet-BC with L=40, k=12 on CIFAR-10
 * (6 bottleneck layers per block, θ=0.5, 24-map stem, 176,122 trainable
 * parameters).
 */
export function defaultConfig(): DenseNetConfig {
  return {
    layout: 'cifar',
    growthRate: 12,
    depth: 40,
    blockLayers: null,
    bottleneck: true,
    bottleneckWidth: PAPER_BOTTLENECK_WIDTH,
    compression: 0.5,
    initialChannels: null,
    numClasses: 10,
    inputSize: 32,
    dropRate: 0,
  };
}

/** Convolutions per dense layer: 2 with a bottleneck (1x1 then 3x3), else 1. */
export function convolutionsPerLayer(bottleneck: boolean): number {
  return bottleneck ? 2 : 1;
}

/**
 * Returns the depth L as the paper counts it: the stem convolution, every
 * dense-layer convolution, one convolution per transition, and the classifier.
 * NOTE: the paper names [6, 12, 64, 48] "DenseNet-264", but this count gives
 * 265 for it; the other ImageNet names (121, 161, 169, 201) agree with it.
 */
export function depthOf(blockLayers: readonly number[], bottleneck: boolean): number {
  const denseLayers = blockLayers.reduce((sum, layers) => sum + layers, 0);
  const transitions = blockLayers.length - 1;
  return 1 + convolutionsPerLayer(bottleneck) * denseLayers + transitions + 1;
}

/**
 * Returns the layers per block of a CIFAR network of depth L, or null when
 * (L - 4) does not split into three equal blocks of whole layers.
 */
export function cifarLayersPerBlock(depth: number, bottleneck: boolean): number | null {
  const divisor = 3 * convolutionsPerLayer(bottleneck);
  const layers = (depth - 4) / divisor;
  return Number.isInteger(layers) && layers >= 1 ? layers : null;
}

/** True for DenseNet-BC: bottleneck layers and compression θ < 1. */
export function isDenseNetBC(config: Pick<DenseNetConfig, 'bottleneck' | 'compression'>): boolean {
  return config.bottleneck && config.compression < 1;
}

/**
 * Returns the stem width used when `initialChannels` is null: 2k for
 * DenseNet-BC and for the ImageNet layout (all of the paper's ImageNet
 * networks are DenseNet-BC with a 2k stem), else 16.
 */
export function defaultInitialChannels(
  config: Pick<DenseNetConfig, 'layout' | 'growthRate' | 'bottleneck' | 'compression'>,
): number {
  if (config.layout === 'imagenet' || isDenseNetBC(config)) return 2 * config.growthRate;
  return PLAIN_INITIAL_CHANNELS;
}

/**
 * Fills in the derived fields of a valid config: explicit layers per block,
 * the depth they imply and the stem width. Throws a RangeError when the depth
 * does not give whole blocks; call `validateConfig` first for user input.
 */
export function resolveConfig(config: DenseNetConfig): ResolvedConfig {
  let blockLayers: number[];
  if (config.blockLayers !== null) {
    blockLayers = [...config.blockLayers];
  } else {
    if (config.layout !== 'cifar' || config.depth === null) {
      throw new RangeError(
        `blockLayers is required for the ${config.layout} layout without a depth`,
      );
    }
    const layers = cifarLayersPerBlock(config.depth, config.bottleneck);
    if (layers === null) {
      throw new RangeError(
        `depth ${config.depth} does not give three equal blocks of whole layers`,
      );
    }
    blockLayers = [layers, layers, layers];
  }
  return {
    ...config,
    blockLayers,
    depth: depthOf(blockLayers, config.bottleneck),
    initialChannels: config.initialChannels ?? defaultInitialChannels(config),
  };
}
