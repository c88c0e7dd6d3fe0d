// Learning speed of candidate classroom recipes on a small real subset,
// measured to choose the classroom recipe's defaults. Trains DenseNet-BC L=10 k=8 with
// the app's Trainer on the wasm backend (with the app's training kernels) in
// Node, on the first images of ../shared/data/cifar10, and prints the mean
// training loss over the last 50 steps and the test accuracy after the run.
//
//   node bench/recipes.mjs
//
// Environment: RECIPE_STEPS (default 200), RECIPE_TRAIN (training images,
// default 2000), RECIPE_TEST (default 500), RECIPE_BATCH (default 32),
// RECIPE_ONLY (comma list of recipe names to run).

import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';

const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-wasm');
const { planDenseNet } = await tsImport('../src/densenet/plan.ts', import.meta.url);
const { planarToInterleaved, PIXEL_BYTES } = await tsImport(
  '../src/data/records.ts',
  import.meta.url,
);
const { DeviceSplit } = await tsImport('../src/training/augment.ts', import.meta.url);
const { Trainer } = await tsImport('../src/training/trainer.ts', import.meta.url);
const { CLASSROOM_RECIPE, PAPER_RECIPE } = await tsImport(
  '../src/training/recipes.ts',
  import.meta.url,
);
const { registerWasmTrainingKernels } = await tsImport(
  '../src/training/wasm/register.ts',
  import.meta.url,
);

const steps = Number(process.env.RECIPE_STEPS ?? 200);
const trainCount = Number(process.env.RECIPE_TRAIN ?? 2000);
const testCount = Number(process.env.RECIPE_TEST ?? 500);
const batchSize = Number(process.env.RECIPE_BATCH ?? 32);
const only = process.env.RECIPE_ONLY?.split(',');

const CONFIG = {
  layout: 'cifar',
  growthRate: 8,
  depth: 10,
  blockLayers: null,
  bottleneck: true,
  bottleneckWidth: 4,
  compression: 0.5,
  initialChannels: null,
  numClasses: 10,
  inputSize: 32,
  dropRate: 0,
};

/** Candidates; epochs are set so the step schedule (paper) spans the run. */
const RECIPES = [
  { name: 'adam-1e-3', settings: { ...CLASSROOM_RECIPE, learningRate: 0.001, weightDecay: 0 } },
  { name: 'adam-3e-3', settings: { ...CLASSROOM_RECIPE, learningRate: 0.003, weightDecay: 0 } },
  {
    name: 'sgd-nesterov-0.1',
    settings: {
      ...CLASSROOM_RECIPE,
      optimizer: 'sgd',
      nesterov: true,
      momentum: 0.9,
      learningRate: 0.1,
      weightDecay: 0,
    },
  },
  { name: 'paper (step schedule)', settings: { ...PAPER_RECIPE } },
];

function readSplit(file, count) {
  const bytes = readFileSync(path.resolve(process.cwd(), '../shared/data/cifar10', file));
  const recordBytes = PIXEL_BYTES + 1;
  const pixels = new Uint8Array(count * PIXEL_BYTES);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = bytes[i * recordBytes];
    planarToInterleaved(bytes, i * recordBytes + 1, pixels, i * PIXEL_BYTES);
  }
  return DeviceSplit.upload(pixels, labels);
}

registerWasmTrainingKernels();
await tf.setBackend('wasm');
const train = readSplit('train.bin', trainCount);
const test = readSplit('test.bin', testCount);
const plan = planDenseNet(CONFIG);
const stepsPerEpoch = Math.floor(trainCount / batchSize);
const epochs = Math.max(1, Math.ceil(steps / stepsPerEpoch));

console.log(
  `recipe bench ${new Date().toISOString()}: DenseNet-BC L=10 k=8, ${trainCount} train / ${testCount} test images, ` +
    `batch ${batchSize}, ${steps} steps, wasm in Node on ${os.cpus()[0]?.model ?? 'unknown CPU'}`,
);
for (const recipe of RECIPES) {
  if (only && !only.includes(recipe.name)) continue;
  const settings = { ...recipe.settings, batchSize, epochs, seed: 1 };
  const trainer = new Trainer({ plan, settings, train, test });
  const losses = [];
  const start = performance.now();
  for (let step = 0; step < steps; step++) {
    const metrics = trainer.trainStep();
    const [loss] = await metrics.data();
    metrics.dispose();
    losses.push(loss);
  }
  const seconds = (performance.now() - start) / 1000;
  const evaluation = await trainer.evaluate();
  trainer.dispose();
  const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
  console.log(
    `${recipe.name.padEnd(24)} loss first 50 ${mean(losses.slice(0, 50)).toFixed(3)}  last 50 ${mean(losses.slice(-50)).toFixed(3)}  ` +
      `test accuracy ${(100 * evaluation.accuracy).toFixed(1)}%  test loss ${evaluation.loss.toFixed(3)}  (${seconds.toFixed(0)} s)`,
  );
}
train.dispose();
test.dispose();
