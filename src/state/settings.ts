// Training settings the UI starts from, the two recipes, and the ranges the
// form and the URL accept for each field.

import type {
  BackendChoice,
  LearningRateSchedule,
  OptimizerName,
  RecipeName,
  TrainingSettings,
} from '../training/protocol';

export const RECIPES: readonly RecipeName[] = ['classroom', 'paper'];
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'adam'];
export const SCHEDULES: readonly LearningRateSchedule[] = ['step', 'constant'];
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/**
 * Hyperparameters each recipe sets. `paper` is the CIFAR recipe of Huang et
 * al. (2017): SGD with Nesterov momentum 0.9, weight decay 1e-4, batch 64,
 * learning rate 0.1 divided by 10 at 50% and 75% of the epochs. `classroom`
 * uses Adam at a constant 0.002 without weight decay, so a few epochs on a
 * small subset already learn. The values match the worker's recipes
 * (training/recipes.ts), which the UI cannot import.
 */
export const RECIPE_SETTINGS: Record<
  RecipeName,
  Omit<TrainingSettings, 'augment' | 'seed' | 'backend'>
> = {
  paper: {
    recipe: 'paper',
    optimizer: 'sgd',
    epochs: 300,
    batchSize: 64,
    learningRate: 0.1,
    schedule: 'step',
    momentum: 0.9,
    nesterov: true,
    weightDecay: 1e-4,
  },
  classroom: {
    recipe: 'classroom',
    optimizer: 'adam',
    epochs: 10,
    batchSize: 32,
    learningRate: 0.002,
    schedule: 'constant',
    momentum: 0.9,
    nesterov: false,
    weightDecay: 0,
  },
};

export const DEFAULT_SETTINGS: TrainingSettings = {
  ...RECIPE_SETTINGS.classroom,
  augment: true,
  seed: 1,
  backend: 'auto',
};

/** Inclusive ranges for the numeric settings, shared by the form and the URL parser. */
export const SETTING_RANGES = {
  epochs: { min: 1, max: 1000, integer: true },
  batchSize: { min: 1, max: 1024, integer: true },
  learningRate: { min: 1e-6, max: 10, integer: false },
  momentum: { min: 0, max: 0.999, integer: false },
  weightDecay: { min: 0, max: 0.1, integer: false },
  seed: { min: 0, max: 2 ** 31 - 1, integer: true },
} as const;

export type NumericSetting = keyof typeof SETTING_RANGES;

/** Returns null when `value` is allowed for `field`, else the range it must be in. */
export function checkSetting(
  field: NumericSetting,
  value: number,
): { min: number; max: number; integer: boolean } | null {
  const range = SETTING_RANGES[field];
  const valid =
    Number.isFinite(value) &&
    value >= range.min &&
    value <= range.max &&
    (!range.integer || Number.isInteger(value));
  return valid ? null : range;
}

/** Applies a recipe's hyperparameters, keeping augmentation, seed and backend. */
export function applyRecipe(settings: TrainingSettings, recipe: RecipeName): TrainingSettings {
  return { ...settings, ...RECIPE_SETTINGS[recipe] };
}
