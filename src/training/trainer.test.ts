import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDenseNet } from '../densenet/plan';
import type { DenseNetConfig } from '../densenet/types';
import { DeviceSplit } from './augment';
import type { TrainingSettings } from './protocol';
import { CLASSROOM_RECIPE, PAPER_RECIPE } from './recipes';
import { readCifar10 } from './testData';
import { Trainer } from './trainer';

/** DenseNet-BC with one bottleneck layer per block: L = 10, k = 4. */
const TINY: DenseNetConfig = {
  layout: 'cifar',
  growthRate: 4,
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

const SETTINGS: TrainingSettings = { ...CLASSROOM_RECIPE, batchSize: 16, epochs: 2, seed: 7 };

let train: DeviceSplit;
let test: DeviceSplit;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const trainData = readCifar10('train.bin', 1000);
  const testData = readCifar10('test.bin', 64);
  train = DeviceSplit.upload(trainData.pixels, trainData.labels);
  test = DeviceSplit.upload(testData.pixels, testData.labels);
});

afterAll(() => {
  train.dispose();
  test.dispose();
});

async function runSteps(trainer: Trainer, steps: number): Promise<number[]> {
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const metrics = trainer.trainStep();
    const [loss] = await metrics.data();
    metrics.dispose();
    losses.push(loss!);
  }
  return losses;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

describe('Trainer', () => {
  it('builds a model whose counts match the plan', () => {
    const plan = planDenseNet(TINY);
    const trainer = new Trainer({ plan, settings: SETTINGS, train, test });
    expect(trainer.model.countParams()).toBe(plan.totalParams);
    const trainable = trainer.model.trainableWeights.reduce(
      (sum, w) => sum + w.shape.reduce<number>((p, d) => p * (d ?? 1), 1),
      0,
    );
    expect(trainable).toBe(plan.trainableParams);
    expect(trainer.stepsPerEpoch).toBe(Math.floor(1000 / 16));
    expect(trainer.totalSteps).toBe(2 * 62);
    trainer.dispose();
  });

  it('keeps the tensor count flat and frees everything on dispose', async () => {
    const beforeBuild = tf.memory().numTensors;
    const trainer = new Trainer({
      plan: planDenseNet(TINY),
      settings: { ...PAPER_RECIPE, batchSize: 8, epochs: 4 },
      train,
      test,
    });
    await runSteps(trainer, 1);
    const afterFirst = tf.memory().numTensors;
    await runSteps(trainer, 4);
    expect(tf.memory().numTensors).toBe(afterFirst);
    trainer.setBaseLearningRate(0.05);
    await runSteps(trainer, 2);
    expect(tf.memory().numTensors).toBe(afterFirst);
    await trainer.evaluate();
    await trainer.featureReuse();
    expect(tf.memory().numTensors).toBe(afterFirst);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(beforeBuild);
  });

  it('lowers the training loss on real CIFAR-10 images', async () => {
    // The CPU backend takes seconds per step, so the check fits the first 32 images of the subset.
    const data = readCifar10('train.bin', 32);
    const small = DeviceSplit.upload(data.pixels, data.labels);
    const settings: TrainingSettings = {
      ...SETTINGS,
      batchSize: 16,
      augment: false,
      learningRate: 0.01,
    };
    const trainer = new Trainer({ plan: planDenseNet(TINY), settings, train: small, test: null });
    const losses = await runSteps(trainer, 16);
    trainer.dispose();
    small.dispose();
    console.log('training losses', losses.map((loss) => loss.toFixed(3)).join(' '));
    const first = mean(losses.slice(0, 4));
    const last = mean(losses.slice(-4));
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(last).toBeLessThan(first - 0.25);
  }, 300_000);

  it.each([
    { dropRate: 0, steps: 2 },
    { dropRate: 0.2, steps: 3 },
  ])('repeats first losses per seed (dropout $dropRate)', async ({ dropRate, steps }) => {
    const run = async (seed: number) => {
      const trainer = new Trainer({
        plan: planDenseNet({ ...TINY, dropRate }),
        settings: { ...SETTINGS, batchSize: 8, seed },
        train,
        test,
      });
      const losses = await runSteps(trainer, steps);
      trainer.dispose();
      return losses;
    };
    const a = await run(11);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
  });

  it('follows the step schedule and a new base rate', async () => {
    // 1000 images in batches of 250: 4 steps per epoch, 4 epochs.
    const trainer = new Trainer({
      plan: planDenseNet(TINY),
      settings: { ...PAPER_RECIPE, batchSize: 250, epochs: 4 },
      train,
      test,
    });
    const rates: number[] = [];
    for (let epoch = 0; epoch < 4; epoch++) {
      trainer.step = epoch * 4;
      rates.push(trainer.learningRate());
    }
    expect(rates).toEqual([0.1, 0.1, 0.01, 0.001]);
    trainer.step = 0;
    trainer.setBaseLearningRate(0.5);
    expect(trainer.learningRate()).toBe(0.5);
    trainer.step = 8;
    expect(trainer.learningRate()).toBeCloseTo(0.05, 12);
    trainer.dispose();
  });

  it('evaluates with a confusion matrix over the whole test split', async () => {
    const trainer = new Trainer({ plan: planDenseNet(TINY), settings: SETTINGS, train, test });
    const evaluation = (await trainer.evaluate())!;
    trainer.dispose();
    const total = evaluation.confusion.flat().reduce((sum, count) => sum + count, 0);
    expect(total).toBe(64);
    const rowTotals = evaluation.confusion.map((row) => row.reduce((sum, count) => sum + count, 0));
    const labelCounts = new Array<number>(10).fill(0);
    for (const label of test.hostLabels) labelCounts[label]! += 1;
    expect(rowTotals).toEqual(labelCounts);
    const diagonal = evaluation.confusion.reduce((sum, row, c) => sum + row[c]!, 0);
    expect(evaluation.accuracy).toBeCloseTo(diagonal / 64, 10);
    expect(Number.isFinite(evaluation.loss)).toBe(true);
    expect(evaluation.confidence.every((p) => p >= 0.1 - 1e-6 && p <= 1)).toBe(true);
  });

  it('computes the feature-reuse matrix for every block', async () => {
    const plan = planDenseNet({ ...TINY, depth: 16 });
    const trainer = new Trainer({ plan, settings: SETTINGS, train, test });
    const matrix = await trainer.featureReuse();
    trainer.dispose();
    expect(matrix.blocks).toHaveLength(3);
    for (const block of matrix.blocks) {
      // Two layers per block: rows 1 and 2 read 1 and 2 sources; the exit reads 3.
      expect(block.weights.map((row) => row.length)).toEqual([0, 1, 2]);
      expect(block.transition).toHaveLength(3);
      expect(block.weights.flat().every((w) => w > 0 && Number.isFinite(w))).toBe(true);
    }
  });
});
