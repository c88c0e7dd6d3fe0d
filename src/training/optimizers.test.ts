import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from './optimizers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function valuesOf(variable: tf.Variable): Promise<number[]> {
  return Array.from(await variable.data());
}

describe('MomentumSgd', () => {
  it('takes Nesterov steps with weight decay on decayed variables only', async () => {
    const kernel = tf.variable(tf.tensor1d([1, -2]));
    const gamma = tf.variable(tf.tensor1d([0.5]));
    const optimizer = createOptimizer(
      { kind: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 },
      [kernel, gamma],
    );
    // Step 1: g' = g + λw; v = g'; w -= lr·(g' + μ·v).
    const gradKernel = tf.tensor1d([0.5, 0.5]);
    const gradGamma = tf.tensor1d([1]);
    optimizer.applyGradients([kernel, gamma], [gradKernel, gradGamma], [true, false]);
    const g1 = [0.5 + 0.01 * 1, 0.5 + 0.01 * -2];
    const w1 = [1 - 0.1 * (g1[0]! + 0.9 * g1[0]!), -2 - 0.1 * (g1[1]! + 0.9 * g1[1]!)];
    const kernel1 = await valuesOf(kernel);
    expect(kernel1[0]).toBeCloseTo(w1[0]!, 6);
    expect(kernel1[1]).toBeCloseTo(w1[1]!, 6);
    expect((await valuesOf(gamma))[0]).toBeCloseTo(0.5 - 0.1 * 1.9, 6);

    // Step 2 at a new learning rate: v = μ·v + g'.
    optimizer.setLearningRate(0.01);
    optimizer.applyGradients([kernel, gamma], [gradKernel, gradGamma], [true, false]);
    const g2 = [0.5 + 0.01 * w1[0]!, 0.5 + 0.01 * w1[1]!];
    const v2 = [0.9 * g1[0]! + g2[0]!, 0.9 * g1[1]! + g2[1]!];
    const w2 = [w1[0]! - 0.01 * (g2[0]! + 0.9 * v2[0]!), w1[1]! - 0.01 * (g2[1]! + 0.9 * v2[1]!)];
    const kernel2 = await valuesOf(kernel);
    expect(kernel2[0]).toBeCloseTo(w2[0]!, 6);
    expect(kernel2[1]).toBeCloseTo(w2[1]!, 6);
    expect(optimizer.iterations).toBe(2);
    tf.dispose([gradKernel, gradGamma, kernel, gamma]);
    optimizer.dispose();
  });

  it('frees its slots and learning rate on dispose', () => {
    const before = tf.memory().numTensors;
    const weights = tf.tidy(() => tf.variable(tf.ones([3, 3])));
    const optimizer = createOptimizer(
      { kind: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
      [weights],
    );
    const gradient = tf.onesLike(weights);
    optimizer.applyGradients([weights], [gradient], [true]);
    optimizer.setLearningRate(0.5);
    const afterStep = tf.memory().numTensors;
    optimizer.applyGradients([weights], [gradient], [true]);
    expect(tf.memory().numTensors).toBe(afterStep);
    optimizer.dispose();
    tf.dispose([weights, gradient]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Adam', () => {
  it('matches the bias-corrected update', async () => {
    const w = tf.variable(tf.tensor1d([1]));
    const optimizer = createOptimizer(
      { kind: 'adam', learningRate: 0.01, momentum: 0, nesterov: false, weightDecay: 0 },
      [w],
    );
    let expected = 1;
    let m = 0;
    let v = 0;
    for (let t = 1; t <= 3; t++) {
      const g = 2 * t;
      const gradient = tf.tensor1d([g]);
      optimizer.applyGradients([w], [gradient], [true]);
      gradient.dispose();
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      const mHat = m / (1 - 0.9 ** t);
      const vHat = v / (1 - 0.999 ** t);
      // Keras places ε after the bias correction of v: lr·m̂/(√v̂ + ε·√(1−β2^t)) ≈ lr·m̂/√v̂ here.
      expected -= (0.01 * mHat) / (Math.sqrt(vHat) + 1e-7);
      expect((await valuesOf(w))[0]).toBeCloseTo(expected, 5);
    }
    optimizer.dispose();
    w.dispose();
  });

  it('frees every tensor on dispose', () => {
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.ones([4])));
    const optimizer = createOptimizer(
      { kind: 'adam', learningRate: 0.01, momentum: 0, nesterov: false, weightDecay: 1e-4 },
      [w],
    );
    const gradient = tf.onesLike(w);
    optimizer.applyGradients([w], [gradient], [true]);
    const afterStep = tf.memory().numTensors;
    optimizer.setLearningRate(0.001);
    optimizer.applyGradients([w], [gradient], [true]);
    expect(tf.memory().numTensors).toBe(afterStep);
    optimizer.dispose();
    tf.dispose([w, gradient]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
