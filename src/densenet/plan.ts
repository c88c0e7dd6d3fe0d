// The layer plan of a DenseNet: every layer's channels, spatial size,
// parameters and multiply-adds, the dense connections of each block, and the
// network's totals. The TF.js model is built from this plan, so the numbers
// shown in the UI and the model's own counts are the same.
//
// Layer order follows Huang et al. (2017): inside dense layers and
// transitions, BN-ReLU-Conv. Convolutions have no bias. The CIFAR stem is a
// single 3x3 convolution (its output goes straight into the first layer's
// BN); the ImageNet stem is a 7x7 stride-2 convolution, BN, ReLU and a 3x3
// stride-2 max pool. Before the classifier come a final BN, ReLU and global
// average pooling; the classifier is a dense layer with bias.

import { resolveConfig } from './config';
import { floorTimes } from './rational';
import type {
  ActivationMemory,
  BlockPlan,
  DenseEdge,
  DenseNetConfig,
  DenseNetPlan,
  PlannedLayer,
  ResolvedConfig,
} from './types';
import { stemOutputSize, validateConfig } from './validate';

const FLOAT32_BYTES = 4;

/**
 * Plans the network for `config`. Throws a RangeError listing the validation
 * codes when the config is invalid; user input should go through
 * `validateConfig` first so each problem can be shown on its own.
 */
export function planDenseNet(config: DenseNetConfig): DenseNetPlan {
  const validation = validateConfig(config);
  if (!validation.ok) {
    const problems = validation.issues.map((issue) => `${issue.field}: ${issue.code}`).join('; ');
    throw new RangeError(`invalid DenseNet config (${problems})`);
  }
  const resolved = resolveConfig(validation.config);
  const layers: PlannedLayer[] = [];
  const blocks: BlockPlan[] = [];

  let size = resolved.inputSize;
  let channels = resolved.initialChannels;
  layers.push(...planStem(resolved));
  size = stemOutputSize(resolved.layout, resolved.inputSize);

  resolved.blockLayers.forEach((layerCount, block) => {
    const blockIn = channels;
    for (let index = 1; index <= layerCount; index += 1) {
      layers.push(planDenseLayer(resolved, block, index, channels, size));
      channels += resolved.growthRate;
    }
    const isLast = block === resolved.blockLayers.length - 1;
    const channelsAfter = isLast ? channels : floorTimes(resolved.compression, channels);
    blocks.push({
      index: block,
      layers: layerCount,
      inChannels: blockIn,
      outChannels: channels,
      channelsAfter,
      size,
      edges: blockEdges(block, layerCount),
      exitEdges: exitEdges(block, layerCount),
    });
    if (!isLast) {
      layers.push(planTransition(block, channels, channelsAfter, size));
      channels = channelsAfter;
      size = Math.floor(size / 2);
    }
  });
  layers.push(planClassifier(channels, resolved.numClasses, size));

  const trainableParams = sum(layers.map((layer) => layer.trainableParams));
  const bnStatistics = sum(layers.map((layer) => layer.bnStatistics));
  const multiplyAddsPerImage = sum(layers.map((layer) => layer.multiplyAdds));
  return {
    config: validation.config,
    depth: resolved.depth,
    initialChannels: resolved.initialChannels,
    layers,
    blocks,
    trainableParams,
    totalParams: trainableParams + bnStatistics,
    multiplyAddsPerImage,
    flopsPerImage: 2 * multiplyAddsPerImage,
  };
}

/** Returns the resolved config (explicit blocks, depth, stem width) of a plan. */
export function resolvedConfigOf(plan: DenseNetPlan): ResolvedConfig {
  return resolveConfig(plan.config);
}

function planStem(config: ResolvedConfig): PlannedLayer[] {
  const c0 = config.initialChannels;
  const n = config.inputSize;
  if (config.layout === 'cifar') {
    return [
      {
        id: 'stem_conv',
        kind: 'stem-conv',
        block: -1,
        indexInBlock: 0,
        inChannels: 3,
        outChannels: c0,
        inSize: n,
        outSize: n,
        trainableParams: 3 * 3 * 3 * c0,
        bnStatistics: 0,
        multiplyAdds: 3 * 3 * 3 * c0 * n * n,
        kernels: [[3, 3, 3, c0]],
      },
    ];
  }
  const convSize = Math.floor((n - 1) / 2) + 1;
  const poolSize = Math.floor((convSize - 1) / 2) + 1;
  return [
    {
      id: 'stem_conv',
      kind: 'stem-conv',
      block: -1,
      indexInBlock: 0,
      inChannels: 3,
      outChannels: c0,
      inSize: n,
      outSize: convSize,
      // 7x7 kernel, then BN γ and β.
      trainableParams: 7 * 7 * 3 * c0 + 2 * c0,
      bnStatistics: 2 * c0,
      multiplyAdds: 7 * 7 * 3 * c0 * convSize * convSize,
      kernels: [[7, 7, 3, c0]],
    },
    {
      id: 'stem_pool',
      kind: 'stem-pool',
      block: -1,
      indexInBlock: 0,
      inChannels: c0,
      outChannels: c0,
      inSize: convSize,
      outSize: poolSize,
      trainableParams: 0,
      bnStatistics: 0,
      multiplyAdds: 0,
      kernels: [],
    },
  ];
}

/** Dense layer ℓ of `block`: BN-ReLU-[Conv1x1(width·k)-BN-ReLU]-Conv3x3(k); `outChannels` is the k new maps. */
function planDenseLayer(
  config: ResolvedConfig,
  block: number,
  index: number,
  inChannels: number,
  size: number,
): PlannedLayer {
  const k = config.growthRate;
  const pixels = size * size;
  const layer = {
    id: denseLayerId(block, index),
    kind: 'dense-layer' as const,
    block,
    indexInBlock: index,
    inChannels,
    outChannels: k,
    inSize: size,
    outSize: size,
  };
  if (config.bottleneck) {
    const width = config.bottleneckWidth * k;
    return {
      ...layer,
      trainableParams: 2 * inChannels + inChannels * width + 2 * width + 9 * width * k,
      bnStatistics: 2 * inChannels + 2 * width,
      multiplyAdds: (inChannels * width + 9 * width * k) * pixels,
      kernels: [
        [1, 1, inChannels, width],
        [3, 3, width, k],
      ],
    };
  }
  return {
    ...layer,
    trainableParams: 2 * inChannels + 9 * inChannels * k,
    bnStatistics: 2 * inChannels,
    multiplyAdds: 9 * inChannels * k * pixels,
    kernels: [[3, 3, inChannels, k]],
  };
}

/** Transition after `block`: BN-ReLU-Conv1x1(⌊θ·m⌋)-AvgPool2x2 (stride 2, output size rounded down). */
function planTransition(
  block: number,
  inChannels: number,
  outChannels: number,
  size: number,
): PlannedLayer {
  return {
    id: transitionId(block),
    kind: 'transition',
    block,
    indexInBlock: 0,
    inChannels,
    outChannels,
    inSize: size,
    outSize: Math.floor(size / 2),
    trainableParams: 2 * inChannels + inChannels * outChannels,
    bnStatistics: 2 * inChannels,
    // The 1x1 convolution runs before pooling, at the full size.
    multiplyAdds: inChannels * outChannels * size * size,
    kernels: [[1, 1, inChannels, outChannels]],
  };
}

/** Final BN-ReLU, global average pooling and the dense classifier with bias; `outChannels` is the class count. */
function planClassifier(inChannels: number, numClasses: number, size: number): PlannedLayer {
  return {
    id: 'classifier',
    kind: 'classifier',
    block: -1,
    indexInBlock: 0,
    inChannels,
    outChannels: numClasses,
    inSize: size,
    outSize: 1,
    trainableParams: 2 * inChannels + inChannels * numClasses + numClasses,
    bnStatistics: 2 * inChannels,
    multiplyAdds: inChannels * numClasses,
    kernels: [[inChannels, numClasses]],
  };
}

/** Plan id of dense layer `index` (1-based) in `block` (0-based), such as 'block1_layer3'. */
export function denseLayerId(block: number, index: number): string {
  return `block${block + 1}_layer${index}`;
}

/** Plan id of the transition after `block` (0-based), such as 'transition1'. */
export function transitionId(block: number): string {
  return `transition${block + 1}`;
}

/** Edges into the block's layers: layer ℓ reads sources 0 … ℓ-1, so ℓ(ℓ+1)/2 edges in all. */
function blockEdges(block: number, layers: number): DenseEdge[] {
  const edges: DenseEdge[] = [];
  for (let target = 1; target <= layers; target += 1) {
    for (let source = 0; source < target; source += 1) edges.push({ block, source, target });
  }
  return edges;
}

/** Edges from the block input and every layer into the following transition or classifier: ℓ+1. */
function exitEdges(block: number, layers: number): DenseEdge[] {
  const edges: DenseEdge[] = [];
  for (let source = 0; source <= layers; source += 1)
    edges.push({ block, source, target: layers + 1 });
  return edges;
}

/** Counts dense connections: per block ℓ(ℓ+1)/2 into layers, and ℓ+1 into the following transition or classifier. */
export function countConnections(plan: DenseNetPlan): {
  perBlock: number[];
  total: number;
  exitPerBlock: number[];
  exitTotal: number;
} {
  const perBlock = plan.blocks.map((block) => block.edges.length);
  const exitPerBlock = plan.blocks.map((block) => block.exitEdges.length);
  return { perBlock, total: sum(perBlock), exitPerBlock, exitTotal: sum(exitPerBlock) };
}

/**
 * Where each source's channels sit in a layer's concatenated input, in the
 * order the model concatenates them: the block input first (source 0), then
 * the k maps of layer 1, 2, … `target - 1`. A `target` of `layers + 1` is the
 * following transition or classifier. Ranges are [start, end).
 */
export function sourceChannelRanges(
  plan: DenseNetPlan,
  block: number,
  target: number,
): { source: number; start: number; end: number }[] {
  const blockPlan = plan.blocks[block];
  if (
    blockPlan === undefined ||
    !Number.isInteger(target) ||
    target < 1 ||
    target > blockPlan.layers + 1
  ) {
    throw new RangeError(`no target ${target} in block ${block}`);
  }
  const k = plan.config.growthRate;
  const ranges = [{ source: 0, start: 0, end: blockPlan.inChannels }];
  for (let source = 1; source < target; source += 1) {
    const start = blockPlan.inChannels + (source - 1) * k;
    ranges.push({ source, start, end: start + k });
  }
  return ranges;
}

/**
 * Estimates float32 activation memory for one training batch: the tensors a
 * framework keeps for the backward pass, excluding the input batch, weights,
 * gradients, optimizer state and dropout masks.
 *
 * Both estimates count, per image:
 * - stem: conv output (ImageNet: also BN, ReLU and max-pool outputs);
 * - each dense layer: the bottleneck's 1x1 conv, BN and ReLU outputs
 *   (width·k maps each) when present, and the 3x3 conv output (k maps);
 * - each transition: BN, ReLU and conv outputs (m, m, ⌊θm⌋ maps) and the
 *   pooled output at half size;
 * - classifier: final BN and ReLU outputs, the pooled vector and the logits.
 *
 * `naiveBytes` adds, per dense layer, its input's BN and ReLU outputs (m maps
 * each) and the concatenation of the block so far after the layer (m + k maps),
 * a new tensor each time as `tf.layers.concatenate` makes: quadratic in the
 * number of layers per block.
 *
 * `sharedBytes` follows the memory-efficient scheme of Pleiss et al. (2017):
 * each layer's k maps are written once into a preallocated block buffer, and
 * the concatenated input's BN and ReLU outputs live in two buffers shared by
 * all layers, sized for the largest layer input, recomputed in the backward
 * pass. It adds the block buffers (block input + ℓ·k maps) and the two shared
 * buffers, and drops the per-layer conv output counted above (it sits in the
 * block buffer): linear in the number of layers per block.
 */
export function activationMemory(plan: DenseNetPlan, batchSize: number): ActivationMemory {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a whole number ≥ 1, received ${batchSize}`);
  }
  const config = resolvedConfigOf(plan);
  const width = config.bottleneck ? config.bottleneckWidth * config.growthRate : 0;
  let common = 0;
  let naiveOnly = 0;
  let sharedOnly = 0;
  let largestLayerInput = 0;

  for (const layer of plan.layers) {
    const inPixels = layer.inSize * layer.inSize;
    const outPixels = layer.outSize * layer.outSize;
    switch (layer.kind) {
      case 'stem-conv':
        common += layer.outChannels * outPixels * (config.layout === 'imagenet' ? 3 : 1);
        break;
      case 'stem-pool':
        common += layer.outChannels * outPixels;
        break;
      case 'dense-layer': {
        common += 3 * width * inPixels;
        naiveOnly += layer.outChannels * inPixels;
        naiveOnly += 2 * layer.inChannels * inPixels;
        naiveOnly += (layer.inChannels + layer.outChannels) * inPixels;
        largestLayerInput = Math.max(largestLayerInput, layer.inChannels * inPixels);
        break;
      }
      case 'transition':
        common +=
          (2 * layer.inChannels + layer.outChannels) * inPixels + layer.outChannels * outPixels;
        break;
      case 'classifier':
        common += 2 * layer.inChannels * inPixels + layer.inChannels + layer.outChannels;
        break;
    }
  }
  for (const block of plan.blocks) sharedOnly += block.outChannels * block.size * block.size;
  sharedOnly += 2 * largestLayerInput;

  return {
    batchSize,
    naiveBytes: FLOAT32_BYTES * batchSize * (common + naiveOnly),
    sharedBytes: FLOAT32_BYTES * batchSize * (common + sharedOnly),
  };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
