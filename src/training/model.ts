// Builds the TF.js model of a DenseNet from its plan (src/densenet/plan.ts),
// so the parameter count the UI shows and the model's own count are the same
// number. The model is a `tf.layers` functional model in NHWC layout.
//
// Faithful to Huang et al. (2017):
// - BN-ReLU-Conv order in dense layers and transitions, convolutions without
//   bias, a final BN-ReLU before global average pooling, and a dense
//   classifier with bias;
// - BN momentum 0.9 in Keras terms (0.1 in Torch terms), not TF.js's default
//   0.99, with which short runs evaluate on nearly untouched moving statistics.
//   BN epsilon is 1e-5, PyTorch's default;
// - He initialisation of every convolution: a normal truncated at ±2σ and
//   rescaled so that the variance is exactly 2 / fan-in. TF.js 4.22's
//   `heNormal` truncates without rescaling, so its std is about 0.88 of He's;
// - dropout, when `dropRate` > 0, after every convolution but the stem's.
//
// Two training-only options leave the network and its saved format as they
// are: `closedFormBatchNorm` trains BN through batchNorm.ts's hand-written
// gradient, and `dropoutSeed` gives every dropout layer a fresh seeded mask
// per step, so that runs with dropout repeat exactly.
//
// The model outputs logits by default (no softmax); the trainer computes the
// loss with softmax cross-entropy on them.

import * as tf from '@tensorflow/tfjs';
import { sourceChannelRanges } from '../densenet/plan';
import type { DenseNetPlan, PlannedLayer } from '../densenet/types';
import { trainWithClosedFormGradient } from './batchNorm';
import type { BlockKernels } from './featureReuse';
import { deriveSeed } from './random';

/** BN momentum in Keras terms: moving = 0.9 · moving + 0.1 · batch. */
export const BATCH_NORM_MOMENTUM = 0.9;
export const BATCH_NORM_EPSILON = 1e-5;

/** Std of a standard normal truncated at ±2, used to rescale truncated draws to the intended variance. */
const TRUNCATED_NORMAL_STD = 0.87962566103423978;

/** Seeds dropout masks by run seed, layer and training step. */
export interface DropoutSeed {
  seed: number;
  /** The training step being run; read at every training-mode call. */
  step(): number;
}

export interface BuildModelOptions {
  /** Seed for weight initialisation; each layer derives its own. Omit for random weights. */
  seed?: number;
  /** Seeds dropout; without it, masks come from an unseeded generator. */
  dropoutSeed?: DropoutSeed;
  /** Trains BN layers through the closed-form gradient of batchNorm.ts instead of TF.js's automatic one. */
  closedFormBatchNorm?: boolean;
  /** 'logits' (default) outputs raw scores; 'softmax' outputs probabilities, as a saved model for inference may want. */
  output?: 'logits' | 'softmax';
  /** TF.js model name. */
  name?: string;
}

/** TF.js layer names of one plan layer. */
export interface ModelLayerNames {
  /** Id of the plan layer, such as 'block2_layer5'. */
  planId: string;
  /** Convolution (or classifier dense) layers, in the order of the plan layer's `kernels`. */
  weighted: string[];
  /** Layer whose output is the plan layer's output: [batch, outSize, outSize, outChannels], or [batch, classes] for the classifier. */
  output: string;
  /** For a dense layer: the concatenation of the block so far with its k new maps. */
  concat?: string;
}

/** Returns the TF.js layer names for every plan layer, in plan order. */
export function modelLayerNames(plan: DenseNetPlan): ModelLayerNames[] {
  const bottleneck = plan.config.bottleneck;
  const imagenet = plan.config.layout === 'imagenet';
  return plan.layers.map((layer): ModelLayerNames => {
    const id = layer.id;
    switch (layer.kind) {
      case 'stem-conv':
        return {
          planId: id,
          weighted: ['stem_conv'],
          output: imagenet ? 'stem_relu' : 'stem_conv',
        };
      case 'stem-pool':
        return { planId: id, weighted: [], output: 'stem_pool' };
      case 'dense-layer': {
        const weighted = bottleneck ? [`${id}_conv1`, `${id}_conv2`] : [`${id}_conv1`];
        return { planId: id, weighted, output: weighted.at(-1)!, concat: `${id}_concat` };
      }
      case 'transition':
        return { planId: id, weighted: [`${id}_conv`], output: `${id}_pool` };
    }
    return { planId: id, weighted: ['classifier'], output: 'classifier' };
  });
}

/**
 * Builds the model for `plan`. Its input is [batch, inputSize, inputSize, 3]
 * float32 (already standardised), and its output is [batch, numClasses].
 * The caller owns the model and must call `model.dispose()`.
 */
export function buildModel(plan: DenseNetPlan, options: BuildModelOptions = {}): tf.LayersModel {
  const builder = new Builder(plan, options);
  const size = plan.config.inputSize;
  const input = tf.input({ shape: [size, size, 3], name: 'image', dtype: 'float32' });

  let x = builder.stem(input);
  for (const layer of plan.layers) {
    if (layer.kind === 'dense-layer') {
      x = builder.denseLayer(x, layer);
    } else if (layer.kind === 'transition') {
      x = builder.transition(x, layer);
    } else if (layer.kind === 'classifier') {
      x = builder.classifier(x, layer, options.output ?? 'logits');
    }
  }
  return tf.model({ inputs: input, outputs: x, name: options.name ?? modelName(plan) });
}

function modelName(plan: DenseNetPlan): string {
  const variant = (plan.config.bottleneck ? 'B' : '') + (plan.config.compression < 1 ? 'C' : '');
  const suffix = variant === '' ? '' : `_${variant}`;
  return `densenet${suffix}_L${plan.depth}_k${plan.config.growthRate}`;
}

/** Creates the layers of one model; keeps a counter so every initializer gets its own seed. */
class Builder {
  private nextSeed: number | undefined;
  private dropoutLayers = 0;
  private readonly dropoutSeed: DropoutSeed | undefined;
  private readonly closedFormBatchNorm: boolean;

  constructor(
    private readonly plan: DenseNetPlan,
    options: BuildModelOptions,
  ) {
    this.nextSeed = options.seed;
    this.dropoutSeed = options.dropoutSeed;
    this.closedFormBatchNorm = options.closedFormBatchNorm ?? false;
  }

  private seed(): number | undefined {
    if (this.nextSeed === undefined) return undefined;
    const seed = this.nextSeed;
    this.nextSeed += 1;
    return seed;
  }

  private heNormal() {
    return tf.initializers.varianceScaling({
      scale: 2 / TRUNCATED_NORMAL_STD ** 2,
      mode: 'fanIn',
      distribution: 'normal',
      seed: this.seed(),
    });
  }

  private conv(
    x: tf.SymbolicTensor,
    name: string,
    filters: number,
    kernelSize: number,
    strides = 1,
    padding: 'same' | 'valid' = 'same',
  ): tf.SymbolicTensor {
    return tf.layers
      .conv2d({
        name,
        filters,
        kernelSize,
        strides,
        padding,
        useBias: false,
        kernelInitializer: this.heNormal(),
      })
      .apply(x) as tf.SymbolicTensor;
  }

  private batchNormRelu(x: tf.SymbolicTensor, prefix: string, suffix = ''): tf.SymbolicTensor {
    const layer = tf.layers.batchNormalization({
      name: `${prefix}_bn${suffix}`,
      axis: -1,
      momentum: BATCH_NORM_MOMENTUM,
      epsilon: BATCH_NORM_EPSILON,
    });
    if (this.closedFormBatchNorm) trainWithClosedFormGradient(layer);
    const normalised = layer.apply(x) as tf.SymbolicTensor;
    return tf.layers
      .reLU({ name: `${prefix}_relu${suffix}` })
      .apply(normalised) as tf.SymbolicTensor;
  }

  private dropout(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    const rate = this.plan.config.dropRate;
    if (rate === 0) return x;
    // TF.js 4.22's dropout layer passes its one fixed seed to randomUniform on
    // every call, so a seeded layer would drop the same units at every step.
    // The layer is created unseeded; with `dropoutSeed`, its training call
    // draws the mask from a seed of (run, layer, step) instead.
    const layer = tf.layers.dropout({ name, rate });
    const seeds = this.dropoutSeed;
    if (seeds) {
      const layerSeed = deriveSeed(seeds.seed, this.dropoutLayers);
      const unseeded = layer.call.bind(layer);
      layer.call = (inputs, kwargs) => {
        if (kwargs.training !== true) return unseeded(inputs, kwargs);
        const input = Array.isArray(inputs) ? inputs[0]! : inputs;
        return tf.dropout(input, rate, undefined, deriveSeed(layerSeed, seeds.step()));
      };
    }
    this.dropoutLayers += 1;
    return layer.apply(x) as tf.SymbolicTensor;
  }

  stem(input: tf.SymbolicTensor): tf.SymbolicTensor {
    const channels = this.plan.initialChannels;
    if (this.plan.config.layout === 'cifar') return this.conv(input, 'stem_conv', channels, 3);

    // Explicit zero padding pads 3 (then 1) on every side. With stride 2, 'same' padding
    // would pad less on the top and left than on the bottom and right.
    const padded = tf.layers
      .zeroPadding2d({ name: 'stem_pad', padding: 3 })
      .apply(input) as tf.SymbolicTensor;
    const conv = this.conv(padded, 'stem_conv', channels, 7, 2, 'valid');
    const activated = this.batchNormRelu(conv, 'stem');
    const poolPadded = tf.layers
      .zeroPadding2d({ name: 'stem_pool_pad', padding: 1 })
      .apply(activated) as tf.SymbolicTensor;
    return tf.layers
      .maxPooling2d({ name: 'stem_pool', poolSize: 3, strides: 2, padding: 'valid' })
      .apply(poolPadded) as tf.SymbolicTensor;
  }

  /** BN-ReLU-[Conv1x1-BN-ReLU]-Conv3x3, then concatenates the k new maps after the layer's input. */
  denseLayer(x: tf.SymbolicTensor, layer: PlannedLayer): tf.SymbolicTensor {
    const id = layer.id;
    const k = this.plan.config.growthRate;
    let y = this.batchNormRelu(x, id, '1');
    if (this.plan.config.bottleneck) {
      y = this.conv(y, `${id}_conv1`, this.plan.config.bottleneckWidth * k, 1);
      y = this.dropout(y, `${id}_drop1`);
      y = this.batchNormRelu(y, id, '2');
      y = this.conv(y, `${id}_conv2`, k, 3);
      y = this.dropout(y, `${id}_drop2`);
    } else {
      y = this.conv(y, `${id}_conv1`, k, 3);
      y = this.dropout(y, `${id}_drop1`);
    }
    return tf.layers
      .concatenate({ name: `${id}_concat`, axis: -1 })
      .apply([x, y]) as tf.SymbolicTensor;
  }

  /** BN-ReLU-Conv1x1(⌊θ·m⌋)-AvgPool2x2. */
  transition(x: tf.SymbolicTensor, layer: PlannedLayer): tf.SymbolicTensor {
    const id = layer.id;
    let y = this.batchNormRelu(x, id);
    y = this.conv(y, `${id}_conv`, layer.outChannels, 1);
    y = this.dropout(y, `${id}_drop`);
    return tf.layers
      .averagePooling2d({ name: `${id}_pool`, poolSize: 2, strides: 2, padding: 'valid' })
      .apply(y) as tf.SymbolicTensor;
  }

  /** Final BN-ReLU, global average pooling and the dense classifier with bias. */
  classifier(
    x: tf.SymbolicTensor,
    layer: PlannedLayer,
    output: 'logits' | 'softmax',
  ): tf.SymbolicTensor {
    const y = this.batchNormRelu(x, 'final');
    const pooled = tf.layers
      .globalAveragePooling2d({ name: 'global_pool' })
      .apply(y) as tf.SymbolicTensor;
    return tf.layers
      .dense({
        name: 'classifier',
        units: layer.outChannels,
        useBias: true,
        activation: output === 'softmax' ? 'softmax' : 'linear',
        kernelInitializer: tf.initializers.glorotUniform({ seed: this.seed() }),
        biasInitializer: 'zeros',
      })
      .apply(pooled) as tf.SymbolicTensor;
  }
}

/** Returns the number of trainable weights of `model`, in the plan's convention. */
export function countTrainableParams(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((total, weight) => total + sizeOf(weight.shape), 0);
}

function sizeOf(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((product, dimension) => product * (dimension ?? 1), 1);
}

/**
 * Collects the kernels that `computeFeatureReuse` reads. For each dense block,
 * these are every layer's first convolution (the 1x1 bottleneck in DenseNet-B,
 * else the 3x3) and the following transition's convolution or the classifier's
 * kernel. Each comes with the input channels per source: source 0 is the block
 * input and source j is layer j's k maps. The kernels are the model's own
 * variables, so do not dispose them.
 */
export function featureReuseKernels(model: tf.LayersModel, plan: DenseNetPlan): BlockKernels[] {
  const names = new Map(modelLayerNames(plan).map((entry) => [entry.planId, entry]));
  const kernelOf = (planLayer: PlannedLayer | undefined): tf.Tensor => {
    const entry = planLayer && names.get(planLayer.id);
    const first = entry?.weighted[0];
    if (first === undefined) throw new RangeError(`no weighted layer for ${planLayer?.id}`);
    const kernel = model.getLayer(first).getWeights()[0];
    if (kernel === undefined) throw new RangeError(`layer ${first} has no kernel`);
    return kernel;
  };
  const channelsOf = (block: number, target: number) =>
    sourceChannelRanges(plan, block, target).map((range) => range.end - range.start);

  return plan.blocks.map((block) => {
    const layers = plan.layers.filter(
      (layer) => layer.kind === 'dense-layer' && layer.block === block.index,
    );
    const isLast = block.index === plan.blocks.length - 1;
    const exitLayer = isLast
      ? plan.layers.find((layer) => layer.kind === 'classifier')
      : plan.layers.find((layer) => layer.kind === 'transition' && layer.block === block.index);
    return {
      block: block.index,
      layers: layers.map((layer) => ({
        kernel: kernelOf(layer),
        sourceChannels: channelsOf(block.index, layer.indexInBlock),
      })),
      exit: {
        kernel: kernelOf(exitLayer),
        sourceChannels: channelsOf(block.index, block.layers + 1),
      },
    };
  });
}
