import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../densenet/config';
import { planDenseNet } from '../densenet/plan';
import { findPreset } from '../densenet/presets';
import type { DenseNetConfig, DenseNetPlan, PlannedLayer } from '../densenet/types';
import { computeFeatureReuse } from './featureReuse';
import {
  BATCH_NORM_EPSILON,
  BATCH_NORM_MOMENTUM,
  buildModel,
  countTrainableParams,
  featureReuseKernels,
  modelLayerNames,
} from './model';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

function cifar(overrides: Partial<DenseNetConfig>): DenseNetConfig {
  return { ...defaultConfig(), ...overrides };
}

/** k=2, one layer per block, 4-map stem, 8x8 input: small enough to run forward passes. */
const TINY = cifar({
  depth: 7,
  growthRate: 2,
  bottleneck: false,
  compression: 1,
  initialChannels: 4,
  inputSize: 8,
  numClasses: 3,
});

function presetConfig(id: string): DenseNetConfig {
  const preset = findPreset(id);
  if (preset === undefined) throw new Error(`missing preset ${id}`);
  return preset.config;
}

function expectedOutputShape(layer: PlannedLayer): (number | null)[] {
  if (layer.kind === 'classifier') return [null, layer.outChannels];
  return [null, layer.outSize, layer.outSize, layer.outChannels];
}

/** Checks counts, every plan layer's output shape and every kernel shape against the model. */
function expectModelMatchesPlan(model: tf.LayersModel, plan: DenseNetPlan): void {
  expect(countTrainableParams(model)).toBe(plan.trainableParams);
  expect(model.countParams()).toBe(plan.totalParams);

  const names = modelLayerNames(plan);
  expect(names).toHaveLength(plan.layers.length);
  plan.layers.forEach((layer, index) => {
    const entry = names[index]!;
    expect(entry.planId).toBe(layer.id);

    const output = model.getLayer(entry.output).outputShape;
    expect({ id: layer.id, shape: output }).toEqual({
      id: layer.id,
      shape: expectedOutputShape(layer),
    });

    const kernels = entry.weighted.map((name) => model.getLayer(name).getWeights()[0]?.shape);
    expect({ id: layer.id, kernels }).toEqual({ id: layer.id, kernels: layer.kernels });

    if (entry.concat !== undefined) {
      const concat = model.getLayer(entry.concat).outputShape;
      const channels = layer.inChannels + layer.outChannels;
      expect({ id: layer.id, concat }).toEqual({
        id: layer.id,
        concat: [null, layer.outSize, layer.outSize, channels],
      });
    }
  });
  expect(model.outputs[0]?.shape).toEqual([null, plan.config.numClasses]);
}

describe('buildModel matches the plan', () => {
  const cases: [string, DenseNetConfig, number][] = [
    ['tiny', TINY, -1],
    ['default DenseNet-BC L=40 k=12 with dropout', cifar({ dropRate: 0.2 }), 176_122],
    ['DenseNet L=40 k=12', presetConfig('densenet-40-k12'), 1_019_722],
    [
      'DenseNet-C L=40 k=12',
      cifar({ bottleneck: false, compression: 0.5, initialChannels: 16 }),
      578_090,
    ],
    ['DenseNet-BC L=100 k=12', presetConfig('densenet-bc-100-k12'), 769_162],
    ['DenseNet-BC L=100 k=12, CIFAR-100', cifar({ depth: 100, numClasses: 100 }), 800_032],
    ['θ=0.7 with a 90-map block', cifar({ compression: 0.7, initialChannels: 18 }), -1],
    [
      'small ImageNet layout',
      { ...presetConfig('densenet-121'), blockLayers: [1, 2, 1, 1], inputSize: 64, numClasses: 5 },
      -1,
    ],
    ['DenseNet-121', presetConfig('densenet-121'), 7_978_856],
    ['DenseNet-BC L=250 k=24', presetConfig('densenet-bc-250-k24'), 15_324_406],
    ['DenseNet-161', presetConfig('densenet-161'), 28_681_000],
  ];

  for (const [name, config, published] of cases) {
    it(`builds ${name}`, () => {
      const plan = planDenseNet(config);
      if (published > 0) expect(plan.trainableParams).toBe(published);
      const before = tf.memory().numTensors;
      const model = buildModel(plan, { seed: 1 });
      try {
        expectModelMatchesPlan(model, plan);
      } finally {
        model.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('keeps DenseNet-121 totals with BN statistics', () => {
    const plan = planDenseNet(presetConfig('densenet-121'));
    expect(plan.totalParams).toBe(8_062_504);
  });
});

describe('buildModel layers', () => {
  let plan: DenseNetPlan;
  let model: tf.LayersModel;

  beforeAll(() => {
    plan = planDenseNet(presetConfig('densenet-bc-100-k12'));
    model = buildModel(plan, { seed: 7 });
  });

  afterAll(() => {
    model.dispose();
  });

  function inboundName(layerName: string): string | undefined {
    return model.getLayer(layerName).inboundNodes[0]?.inboundLayers[0]?.name;
  }

  it('orders BN, ReLU, conv', () => {
    expect(inboundName('block1_layer1_bn1')).toBe('stem_conv');
    expect(inboundName('block1_layer1_relu1')).toBe('block1_layer1_bn1');
    expect(inboundName('block1_layer1_conv1')).toBe('block1_layer1_relu1');
    expect(inboundName('block1_layer1_bn2')).toBe('block1_layer1_conv1');
    expect(inboundName('block1_layer1_relu2')).toBe('block1_layer1_bn2');
    expect(inboundName('block1_layer1_conv2')).toBe('block1_layer1_relu2');
    expect(inboundName('transition1_relu')).toBe('transition1_bn');
    expect(inboundName('transition1_conv')).toBe('transition1_relu');
    expect(inboundName('transition1_pool')).toBe('transition1_conv');
    expect(inboundName('final_relu')).toBe('final_bn');
    expect(inboundName('global_pool')).toBe('final_relu');
    expect(inboundName('classifier')).toBe('global_pool');
  });

  it('concatenates the input before the new maps', () => {
    const inbound = model.getLayer('block1_layer2_concat').inboundNodes[0]?.inboundLayers;
    expect(inbound?.map((layer) => layer.name)).toEqual([
      'block1_layer1_concat',
      'block1_layer2_conv2',
    ]);
  });

  it('configures BN with momentum 0.9', () => {
    const batchNorms = model.layers.filter(
      (layer) => layer.getClassName() === 'BatchNormalization',
    );
    expect(batchNorms.length).toBeGreaterThan(0);
    for (const layer of batchNorms) {
      const config = layer.getConfig();
      expect(config.momentum).toBe(BATCH_NORM_MOMENTUM);
      expect(config.epsilon).toBe(BATCH_NORM_EPSILON);
    }
    expect(BATCH_NORM_MOMENTUM).toBe(0.9);
  });

  it('gives convolutions no bias', () => {
    const convolutions = model.layers.filter((layer) => layer.getClassName() === 'Conv2D');
    // Depth counts every convolution plus the classifier.
    expect(convolutions).toHaveLength(plan.depth - 1);
    for (const layer of convolutions) {
      expect(layer.getConfig().useBias).toBe(false);
      expect(layer.getWeights()).toHaveLength(1);
    }
    const classifier = model.getLayer('classifier');
    expect(classifier.getConfig().useBias).toBe(true);
    expect(classifier.getConfig().activation).toBe('linear');
  });

  it('draws He-initialised kernels', () => {
    // transition2_conv is [1, 1, 300, 150]: 45,000 draws, He std sqrt(2 / 300).
    const kernel = model.getLayer('transition2_conv').getWeights()[0]!;
    const values = Array.from(kernel.dataSync());
    const mean = values.reduce((total, value) => total + value, 0) / values.length;
    const variance =
      values.reduce((total, value) => total + (value - mean) ** 2, 0) / values.length;
    const heStd = Math.sqrt(2 / 300);

    expect(Math.abs(mean)).toBeLessThan(0.05 * heStd);
    expect(Math.sqrt(variance)).toBeGreaterThan(0.97 * heStd);
    expect(Math.sqrt(variance)).toBeLessThan(1.03 * heStd);
    // Truncated at 2σ of the rescaled normal.
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual((2 * heStd) / 0.8796);
  });

  it('finds feature-reuse kernels per source', () => {
    const blocks = featureReuseKernels(model, plan);
    expect(blocks.map((block) => block.layers.length)).toEqual([16, 16, 16]);
    for (const block of blocks) {
      for (const [index, layer] of block.layers.entries()) {
        expect(layer.sourceChannels).toHaveLength(index + 1);
        const total = layer.sourceChannels.reduce((sum, channels) => sum + channels, 0);
        expect(layer.kernel.shape[2]).toBe(total);
      }
      expect(block.exit.sourceChannels).toHaveLength(17);
    }
    expect(blocks[0]?.layers[2]?.sourceChannels).toEqual([24, 12, 12]);
    expect(blocks[0]?.exit.kernel.shape).toEqual([1, 1, 216, 108]);
    expect(blocks[2]?.exit.kernel.shape).toEqual([342, 10]);
    expect(blocks[1]?.exit.sourceChannels[0]).toBe(108);
  });
});

describe('buildModel runs', () => {
  it('outputs logits or probabilities', () => {
    const plan = planDenseNet(TINY);
    const logitsModel = buildModel(plan, { seed: 3 });
    const softmaxModel = buildModel(plan, { seed: 3, output: 'softmax' });
    const images = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 5);
    try {
      const logits = logitsModel.predict(images) as tf.Tensor;
      const probabilities = softmaxModel.predict(images) as tf.Tensor;
      const expected = tf.softmax(logits);

      expect(logits.shape).toEqual([2, 3]);
      expect(Array.from(probabilities.dataSync())).toEqual(
        Array.from(expected.dataSync()).map((value) => expect.closeTo(value, 5)),
      );
      tf.dispose([logits, probabilities, expected]);
    } finally {
      images.dispose();
      logitsModel.dispose();
      softmaxModel.dispose();
    }
  });

  it('repeats weights for a seed', () => {
    const plan = planDenseNet(TINY);
    const first = buildModel(plan, { seed: 11 });
    const second = buildModel(plan, { seed: 11 });
    const other = buildModel(plan, { seed: 12 });
    try {
      const weightsOf = (model: tf.LayersModel) =>
        model.getWeights().map((weight) => Array.from(weight.dataSync()));
      expect(weightsOf(second)).toEqual(weightsOf(first));
      expect(weightsOf(other)).not.toEqual(weightsOf(first));
    } finally {
      for (const model of [first, second, other]) model.dispose();
    }
  });

  it('draws a new dropout mask at every step', () => {
    const plan = planDenseNet({ ...TINY, dropRate: 0.5 });
    const model = buildModel(plan, { seed: 11 });
    const images = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 5);
    try {
      const outputs = [0, 1].map(() => {
        const output = model.apply(images, { training: true }) as tf.Tensor;
        const values = Array.from(output.dataSync());
        output.dispose();
        return values;
      });
      // The same input twice: only the dropout masks can make the outputs differ.
      expect(outputs[1]).not.toEqual(outputs[0]);
    } finally {
      images.dispose();
      model.dispose();
    }
  });

  it('seeds dropout masks by step', () => {
    const plan = planDenseNet({ ...TINY, dropRate: 0.5 });
    let step = 0;
    const dropoutSeed = { seed: 5, step: () => step };
    const models = [0, 1].map(() => buildModel(plan, { seed: 11, dropoutSeed }));
    const images = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 5);
    const outputOf = (model: tf.LayersModel) => {
      const output = model.apply(images, { training: true }) as tf.Tensor;
      const values = Array.from(output.dataSync());
      output.dispose();
      return values;
    };
    try {
      const first = outputOf(models[0]!);
      expect(outputOf(models[0]!)).toEqual(first);
      expect(outputOf(models[1]!)).toEqual(first);
      step = 1;
      const second = outputOf(models[0]!);
      expect(second).not.toEqual(first);
      expect(outputOf(models[1]!)).toEqual(second);
    } finally {
      images.dispose();
      for (const model of models) model.dispose();
    }
  });

  it('moves BN statistics 10% per step', () => {
    const plan = planDenseNet(TINY);
    const model = buildModel(plan, { seed: 2 });
    const finalInput = tf.model({
      inputs: model.inputs,
      outputs: model.getLayer('final_bn').input as tf.SymbolicTensor,
    });
    const images = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 9);
    try {
      const batchMean = tf.tidy(() => {
        const features = finalInput.apply(images, { training: true }) as tf.Tensor;
        return Array.from(tf.mean(features, [0, 1, 2]).dataSync());
      });
      const movingMean = () => Array.from(model.getLayer('final_bn').getWeights()[2]!.dataSync());
      expect(movingMean()).toEqual(batchMean.map(() => 0));

      tf.tidy(() => {
        model.apply(images, { training: true });
      });
      // moving = 0.9 · moving + 0.1 · batch, starting from 0.
      expect(movingMean()).toEqual(batchMean.map((value) => expect.closeTo(0.1 * value, 5)));
    } finally {
      images.dispose();
      model.dispose();
    }
  });

  it('trains a small ImageNet layout one step', () => {
    const config = {
      ...presetConfig('densenet-121'),
      blockLayers: [1, 1, 1, 1],
      inputSize: 32,
      numClasses: 4,
    };
    const plan = planDenseNet(config);
    const model = buildModel(plan, { seed: 2 });
    const optimizer = tf.train.sgd(0.1);
    const images = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 9);
    const labels = tf.oneHot(tf.tensor1d([0, 3], 'int32'), 4);
    try {
      const kernel = () => Array.from(model.getLayer('stem_conv').getWeights()[0]!.dataSync());
      const before = kernel();
      const loss = optimizer.minimize(() => {
        const logits = model.apply(images, { training: true }) as tf.Tensor;
        return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
      }, true);

      expect(Number.isFinite(loss?.dataSync()[0])).toBe(true);
      expect(kernel()).not.toEqual(before);
      loss?.dispose();
    } finally {
      tf.dispose([images, labels]);
      optimizer.dispose();
      model.dispose();
    }
  });

  it('computes the feature-reuse matrix', async () => {
    const plan = planDenseNet(
      cifar({ depth: 13, bottleneck: false, compression: 0.5, growthRate: 4, inputSize: 8 }),
    );
    const model = buildModel(plan, { seed: 4 });
    try {
      const matrix = await computeFeatureReuse(featureReuseKernels(model, plan));
      expect(matrix.blocks).toHaveLength(3);
      for (const block of matrix.blocks) {
        expect(block.weights.map((row) => row.length)).toEqual([0, 1, 2, 3]);
        expect(block.transition).toHaveLength(4);
        for (const value of [...block.weights.flat(), ...block.transition]) {
          expect(value).toBeGreaterThan(0);
        }
      }
    } finally {
      model.dispose();
    }
  });
});
