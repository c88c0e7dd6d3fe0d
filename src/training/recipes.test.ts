import { describe, expect, it } from 'vitest';
import {
  CLASSROOM_RECIPE,
  checkLearningRate,
  checkSettings,
  learningRateAt,
  PAPER_RECIPE,
} from './recipes';

describe('learningRateAt', () => {
  it('divides by 10 at 50% and 75% of 300 epochs', () => {
    expect(learningRateAt(0.1, 'step', 300, 0)).toBe(0.1);
    expect(learningRateAt(0.1, 'step', 300, 149)).toBe(0.1);
    expect(learningRateAt(0.1, 'step', 300, 150)).toBe(0.01);
    expect(learningRateAt(0.1, 'step', 300, 224)).toBe(0.01);
    expect(learningRateAt(0.1, 'step', 300, 225)).toBe(0.001);
    expect(learningRateAt(0.1, 'step', 300, 299)).toBe(0.001);
  });

  it('places the boundaries at fractional epochs for small runs', () => {
    // 50% of 10 is epoch 5 and 75% is 7.5, so epochs 5-7 run at a tenth.
    const rates = Array.from({ length: 10 }, (_, epoch) => learningRateAt(1, 'step', 10, epoch));
    expect(rates).toEqual([1, 1, 1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01]);
  });

  it('keeps the base rate with the constant schedule', () => {
    expect(learningRateAt(0.002, 'constant', 10, 9)).toBe(0.002);
  });
});

describe('recipes', () => {
  it('match the paper for the paper recipe', () => {
    expect(PAPER_RECIPE).toMatchObject({
      optimizer: 'sgd',
      nesterov: true,
      momentum: 0.9,
      weightDecay: 1e-4,
      learningRate: 0.1,
      batchSize: 64,
      epochs: 300,
      schedule: 'step',
      augment: true,
    });
  });

  it('pass their own checks', () => {
    expect(checkSettings(PAPER_RECIPE)).toBeNull();
    expect(checkSettings(CLASSROOM_RECIPE)).toBeNull();
  });
});

describe('checkSettings', () => {
  it('names the field and range of a bad number', () => {
    expect(checkSettings({ ...PAPER_RECIPE, batchSize: 0 })).toEqual({
      code: 'training.settings.outOfRange',
      params: { field: 'batchSize', value: '0', min: 1, max: 1024 },
    });
    expect(checkSettings({ ...PAPER_RECIPE, batchSize: 2.5 })?.params.field).toBe('batchSize');
    expect(checkSettings({ ...PAPER_RECIPE, learningRate: Number.NaN })?.params.field).toBe(
      'learningRate',
    );
  });

  it('lists the allowed values of a bad choice', () => {
    const bad = { ...PAPER_RECIPE, optimizer: 'rmsprop' } as unknown as typeof PAPER_RECIPE;
    expect(checkSettings(bad)).toEqual({
      code: 'training.settings.invalidChoice',
      params: { field: 'optimizer', value: 'rmsprop', allowed: 'sgd, adam' },
    });
  });

  it('checks a new learning rate', () => {
    expect(checkLearningRate(0.05)).toBeNull();
    expect(checkLearningRate(-1)?.code).toBe('training.settings.outOfRange');
    expect(checkLearningRate(Number.POSITIVE_INFINITY)?.params.field).toBe('learningRate');
  });
});
