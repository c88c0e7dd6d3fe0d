import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../densenet/config';
import { planDenseNet } from '../densenet/plan';
import type { DenseNetConfig } from '../densenet/types';
import { batchNormTraining, trainWithClosedFormGradient } from './batchNorm';
import { buildModel } from './model';

const EPSILON = 1e-5;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** TF.js's own training-mode BN: batch moments, then batchNorm, differentiated automatically. */
function referenceBatchNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.batchNorm(x, mean, variance, beta, gamma, EPSILON);
}

/** Largest |a − b| relative to the largest |b|. */
function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  const difference = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
  const scale = tf.max(tf.abs(b)).dataSync()[0]!;
  return difference / scale;
}

describe('batchNormTraining', () => {
  // Odd channel count, inputs far from zero mean and unit variance, as after a concatenation.
  const shape: [number, number, number, number] = [3, 5, 5, 7];

  it('matches autodiff for x, gamma and beta', () => {
    tf.tidy(() => {
      const x = tf.add(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 1), 3), 2);
      const gamma = tf.randomUniform([7], 0.5, 1.5, 'float32', 2) as tf.Tensor1D;
      const beta = tf.randomNormal([7], 0, 1, 'float32', 3) as tf.Tensor1D;
      const dy = tf.randomNormal(shape, 0, 1, 'float32', 4);
      // A weighted sum makes the upstream gradient dy instead of ones.
      const loss = (y: tf.Tensor) => tf.sum(tf.mul(y, dy)) as tf.Scalar;

      const ours = tf.grads((a, g, b) =>
        loss(batchNormTraining(a, g as tf.Tensor1D, b as tf.Tensor1D, EPSILON).y),
      )([x, gamma, beta]);
      const reference = tf.grads((a, g, b) =>
        loss(referenceBatchNorm(a, g as tf.Tensor1D, b as tf.Tensor1D)),
      )([x, gamma, beta]);

      expect(ours.map((grad) => grad.shape)).toEqual([shape, [7], [7]]);
      for (let i = 0; i < 3; i++) {
        expect(relativeError(ours[i]!, reference[i]!)).toBeLessThan(1e-4);
      }
      // ∂x of a BN output sums to zero over the batch in each channel.
      const channelSums = tf.sum(ours[0]!, [0, 1, 2]).dataSync();
      const largest = tf.max(tf.abs(ours[0]!)).dataSync()[0]!;
      for (const value of channelSums) expect(Math.abs(value)).toBeLessThan(1e-4 * largest * 75);
    });
  });

  it('returns TF.js batch moments', () => {
    tf.tidy(() => {
      const x = tf.randomNormal(shape, 1, 2, 'float32', 5);
      const gamma = tf.randomUniform([7], 0.5, 1.5, 'float32', 6) as tf.Tensor1D;
      const beta = tf.randomNormal([7], 0, 1, 'float32', 7) as tf.Tensor1D;
      const { y, mean, variance } = batchNormTraining(x, gamma, beta, EPSILON);
      const moments = tf.moments(x, [0, 1, 2]);
      expect(relativeError(y, referenceBatchNorm(x, gamma, beta))).toBeLessThan(1e-6);
      expect(Array.from(mean.dataSync())).toEqual(Array.from(moments.mean.dataSync()));
      expect(Array.from(variance.dataSync())).toEqual(Array.from(moments.variance.dataSync()));
    });
  });

  it('frees saved tensors after gradients', () => {
    const x = tf.randomNormal(shape, 0, 1, 'float32', 8);
    const gamma = tf.variable(tf.ones([7]) as tf.Tensor1D);
    const beta = tf.variable(tf.zeros([7]) as tf.Tensor1D);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.square(batchNormTraining(x, gamma, beta, EPSILON).y)) as tf.Scalar,
        [gamma, beta],
      );
      value.dispose();
      tf.dispose(Object.values(grads));
    }
    // Inside variableGrads the batch statistics are not kept either.
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, gamma, beta]);
  });
});

describe('trainWithClosedFormGradient', () => {
  it('matches the stock layer exactly', () => {
    const make = () =>
      tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: EPSILON, name: 'bn' });
    const stock = make();
    const patched = make();
    trainWithClosedFormGradient(patched);
    const x = tf.randomNormal([4, 3, 3, 5], 2, 3, 'float32', 9);
    stock.apply(x, { training: false });
    patched.apply(x, { training: false });
    patched.setWeights(stock.getWeights());

    const trained = [stock, patched].map((layer) => {
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      return { y, weights: layer.getWeights() };
    });
    expect(relativeError(trained[1]!.y, trained[0]!.y)).toBeLessThan(1e-6);
    // gamma, beta, moving mean, moving variance.
    for (let i = 0; i < 4; i++) {
      expect(Array.from(trained[1]!.weights[i]!.dataSync())).toEqual(
        Array.from(trained[0]!.weights[i]!.dataSync()),
      );
    }
    const inferred = [stock, patched].map(
      (layer) => layer.apply(x, { training: false }) as tf.Tensor,
    );
    expect(Array.from(inferred[1]!.dataSync())).toEqual(Array.from(inferred[0]!.dataSync()));
    expect(patched.getConfig()).toEqual(stock.getConfig());
    expect(patched.getClassName()).toBe('BatchNormalization');
  });

  it('matches autodiff on a DenseNet-BC', () => {
    const config: DenseNetConfig = {
      ...defaultConfig(),
      growthRate: 4,
      depth: 10,
      bottleneck: true,
      compression: 0.5,
      inputSize: 8,
    };
    const plan = planDenseNet(config);
    const models = [false, true].map((closedFormBatchNorm) =>
      buildModel(plan, { seed: 21, closedFormBatchNorm }),
    );
    const images = tf.randomNormal([6, 8, 8, 3], 0, 1, 'float32', 10);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32'), 10);
    try {
      const gradients = models.map((model) => {
        const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
        const { value, grads } = tf.variableGrads(
          () =>
            tf.losses.softmaxCrossEntropy(
              labels,
              model.apply(images, { training: true }) as tf.Tensor,
            ) as tf.Scalar,
          variables,
        );
        return { loss: value.dataSync()[0]!, grads: variables.map((v) => grads[v.name]!) };
      });
      const [automatic, closed] = gradients as [(typeof gradients)[0], (typeof gradients)[0]];
      expect(closed.loss).toBeCloseTo(automatic.loss, 5);
      expect(closed.grads).toHaveLength(automatic.grads.length);
      closed.grads.forEach((grad, i) => {
        expect(relativeError(grad, automatic.grads[i]!)).toBeLessThan(1e-3);
      });
    } finally {
      tf.dispose([images, labels]);
      for (const model of models) model.dispose();
    }
  });
});
