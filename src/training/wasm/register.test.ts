// Which kernels a DenseNet training step needs on `wasm`: the app's own
// Trainer (augmentation on the device, dropout, SGD with Nesterov momentum
// and Adam) is profiled on `cpu`, and each kernel it ran is looked up for
// `wasm`, before and after our registration. Vitest runs each test file in
// its own process, so "before" sees the stock @tensorflow/tfjs-backend-wasm.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../densenet/config';
import { planDenseNet } from '../../densenet/plan';
import { DeviceSplit } from '../augment';
import type { TrainingSettings } from '../protocol';
import { CLASSROOM_RECIPE, PAPER_RECIPE } from '../recipes';
import { readCifar10 } from '../testData';
import { Trainer } from '../trainer';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './register';

const plan = planDenseNet({
  ...defaultConfig(),
  growthRate: 4,
  depth: 16,
  bottleneck: true,
  compression: 0.5,
  dropRate: 0.2,
});

function settingsFor(optimizer: 'sgd' | 'adam'): TrainingSettings {
  const recipe = optimizer === 'sgd' ? PAPER_RECIPE : CLASSROOM_RECIPE;
  return { ...recipe, optimizer, batchSize: 8, augment: true, epochs: 1, seed: 3 };
}

async function kernelsOfTrainingSteps(
  backend: 'cpu' | 'wasm',
  steps: number,
): Promise<{ names: Set<string>; losses: number[] }> {
  await tf.setBackend(backend);
  const data = readCifar10('train.bin', 16);
  const names = new Set<string>();
  const losses: number[] = [];
  for (const optimizer of ['sgd', 'adam'] as const) {
    const train = DeviceSplit.upload(data.pixels, data.labels);
    const trainer = new Trainer({ plan, settings: settingsFor(optimizer), train, test: null });
    const info = await tf.profile(async () => {
      for (let step = 0; step < steps; step++) {
        const metrics = trainer.trainStep();
        losses.push((await metrics.data())[0]!);
        metrics.dispose();
      }
    });
    for (const kernel of info.kernels) {
      // tf.profile also lists ops wrapping kernels (such as 'fusedConv2d__op') and
      // tf.customGrad's wrapper (batchNorm.ts) as 'unnamed scope'; the kernels inside are listed too.
      if (!kernel.name.endsWith('__op') && kernel.name !== 'unnamed scope') names.add(kernel.name);
    }
    trainer.dispose();
    train.dispose();
  }
  return { names, losses };
}

function missingOnWasm(names: Set<string>): string[] {
  return [...names].filter((name) => tf.getKernel(name, 'wasm') === undefined).sort();
}

describe('wasm training kernels', () => {
  it('fill the only gap in the stock backend', async () => {
    const { names } = await kernelsOfTrainingSteps('cpu', 1);
    expect(names.has('Conv2DBackpropFilter')).toBe(true);
    expect(names.has('Conv2DBackpropInput')).toBe(true);
    expect(missingOnWasm(names)).toEqual(['Conv2DBackpropFilter']);

    registerWasmTrainingKernels();
    expect(missingOnWasm(names)).toEqual([]);
    for (const name of WASM_TRAINING_KERNELS) {
      expect(tf.getKernel(name, 'wasm')).toBeDefined();
    }
  });

  it('let the Trainer train on wasm', async () => {
    registerWasmTrainingKernels();
    const { names, losses } = await kernelsOfTrainingSteps('wasm', 2);
    expect(names.has('Conv2DBackpropFilter')).toBe(true);
    expect(losses).toHaveLength(4);
    for (const loss of losses) {
      expect(Number.isFinite(loss)).toBe(true);
      // Cross-entropy over 10 classes starts near ln 10 = 2.3.
      expect(loss).toBeGreaterThan(0.5);
      expect(loss).toBeLessThan(10);
    }
  });

  it('registers idempotently', () => {
    registerWasmTrainingKernels();
    const config = tf.getKernel('Conv2DBackpropInput', 'wasm');
    registerWasmTrainingKernels();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBe(config);
  });
});
