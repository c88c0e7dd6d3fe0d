// Training settings the UI starts from, the two recipes, and the ranges the
// form and the URL accept for each field.

import {
  type BackendChoice,
  CLASSROOM_RECIPE,
  type LearningRateSchedule,
  type OptimizerName,
  PAPER_RECIPE,
  type RecipeName,
  type TrainingSettings,
} from '../training/protocol';

export const RECIPES: readonly RecipeName[] = ['classroom', 'paper'];
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'adam'];
export const SCHEDULES: readonly LearningRateSchedule[] = ['step', 'constant'];
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** Hyperparameters each recipe sets: the worker's own recipes, less the fields a recipe leaves alone. */
export const RECIPE_SETTINGS: Record<
  RecipeName,
  Omit<TrainingSettings, 'augment' | 'seed' | 'backend'>
> = {
  paper: withoutRunFields(PAPER_RECIPE),
  classroom: withoutRunFields(CLASSROOM_RECIPE),
};

function withoutRunFields(
  recipe: TrainingSettings,
): Omit<TrainingSettings, 'augment' | 'seed' | 'backend'> {
  const { augment: _augment, seed: _seed, backend: _backend, ...fields } = recipe;
  return fields;
}

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
