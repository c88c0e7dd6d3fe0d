// A few SGD steps of a tiny DenseNet-BC (the app's own model builder) on the
// `wasm` backend with our kernels, against the same steps on `cpu`. Both
// start from the same seeded weights and see the same batches.
//
// Tolerance: the losses agree to 1e-3 relative and every trained weight to
// 1e-3 · (1 + max |w|). Float32 sums in another order differ by about 1e-6
// per step; three steps at learning rate 0.1 with momentum amplify that,
// and 1e-3 still fails on any wrong gradient (a swapped axis or a missing
// tap changes the loss in the first or second decimal).

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../densenet/config';
import { planDenseNet } from '../../densenet/plan';
import type { DenseNetConfig } from '../../densenet/types';
import { buildModel } from '../model';
import { registerWasmTrainingKernels } from './register';

const config: DenseNetConfig = {
  ...defaultConfig(),
  growthRate: 4,
  depth: 16,
  bottleneck: true,
  compression: 0.5,
  inputSize: 8,
};
const batchSize = 4;
const steps = 3;

function batch(step: number): { images: Float32Array; labels: Int32Array } {
  const images = new Float32Array(batchSize * config.inputSize * config.inputSize * 3);
  for (let i = 0; i < images.length; i++) images[i] = Math.sin(i * 0.37 + step * 1.3);
  const labels = Int32Array.from({ length: batchSize }, (_, i) => (i * 3 + step) % 10);
  return { images, labels };
}

async function train(
  backend: 'cpu' | 'wasm',
): Promise<{ losses: number[]; weights: Float32Array[] }> {
  await tf.setBackend(backend);
  const model = buildModel(planDenseNet(config), { seed: 42 });
  const optimizer = tf.train.momentum(0.1, 0.9, true);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { images, labels } = batch(step);
    const loss = tf.tidy(() => {
      const x = tf.tensor4d(images, [batchSize, config.inputSize, config.inputSize, 3]);
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), config.numClasses);
      return optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor),
        true,
      ) as tf.Scalar;
    });
    losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  const weights = model.trainableWeights.map((weight) => weight.read().dataSync() as Float32Array);
  optimizer.dispose();
  model.dispose();
  return { losses, weights };
}

beforeAll(() => {
  registerWasmTrainingKernels();
});

describe('DenseNet training step on wasm', () => {
  it('matches cpu losses and weights', async () => {
    const cpu = await train('cpu');
    const wasm = await train('wasm');

    expect(wasm.losses).toHaveLength(steps);
    for (let step = 0; step < steps; step++) {
      expect(Math.abs(wasm.losses[step]! - cpu.losses[step]!)).toBeLessThan(
        1e-3 * Math.abs(cpu.losses[step]!),
      );
    }
    // The steps changed the loss, so the comparison covers real updates.
    expect(Math.abs(cpu.losses[steps - 1]! - cpu.losses[0]!)).toBeGreaterThan(1e-3);

    expect(wasm.weights).toHaveLength(cpu.weights.length);
    for (let i = 0; i < cpu.weights.length; i++) {
      const expected = cpu.weights[i]!;
      const actual = wasm.weights[i]!;
      let maxDiff = 0;
      let scale = 0;
      for (let j = 0; j < expected.length; j++) {
        maxDiff = Math.max(maxDiff, Math.abs(actual[j]! - expected[j]!));
        scale = Math.max(scale, Math.abs(expected[j]!));
      }
      expect(maxDiff).toBeLessThan(1e-3 * (1 + scale));
    }
  });

  it('keeps tensor and data counts flat', async () => {
    await tf.setBackend('wasm');
    const model = buildModel(planDenseNet(config), { seed: 1 });
    const optimizer = tf.train.momentum(0.1, 0.9, true);
    const counts: number[] = [];
    const dataIds: number[] = [];
    for (let step = 0; step < 3; step++) {
      const { images, labels } = batch(step);
      tf.tidy(() => {
        const x = tf.tensor4d(images, [batchSize, config.inputSize, config.inputSize, 3]);
        const y = tf.oneHot(tf.tensor1d(labels, 'int32'), config.numClasses);
        optimizer.minimize(() =>
          tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor),
        );
      });
      counts.push(tf.memory().numTensors);
      dataIds.push(tf.backend().numDataIds());
    }
    // The first step creates the optimizer's slots; later steps add nothing.
    expect(counts[2]).toBe(counts[1]);
    // Data the kernels allocate behind the engine's back would show up here.
    expect(dataIds[2]).toBe(dataIds[1]);
    optimizer.dispose();
    model.dispose();
  });
});
