// Training recipes, the learning-rate schedule and the checks a `train`
// request's settings must pass before anything is built.

import type { TrainingSettings, UserFacingError } from './protocol';

// The recipes live in protocol.ts because the UI offers them too.
export { CLASSROOM_RECIPE, PAPER_RECIPE } from './protocol';

/**
 * The learning rate during 0-based epoch `epoch`. With the 'step' schedule
 * it is the base rate before 50% of the epochs, a tenth of it before 75%, and
 * a hundredth after (epochs 0-149, 150-224 and 225-299 of 300).
 */
export function learningRateAt(
  baseRate: number,
  schedule: TrainingSettings['schedule'],
  totalEpochs: number,
  epoch: number,
): number {
  if (schedule === 'constant') return baseRate;
  if (epoch < totalEpochs * 0.5) return baseRate;
  if (epoch < totalEpochs * 0.75) return baseRate / 10;
  return baseRate / 100;
}

/** Inclusive ranges for numeric settings; the UI's form uses the same limits. */
export const SETTING_LIMITS = {
  epochs: { min: 1, max: 1000, integer: true },
  batchSize: { min: 1, max: 1024, integer: true },
  learningRate: { min: 1e-6, max: 10, integer: false },
  momentum: { min: 0, max: 0.999, integer: false },
  weightDecay: { min: 0, max: 0.1, integer: false },
  seed: { min: 0, max: 2 ** 31 - 1, integer: true },
} as const;

const OPTIMIZERS = ['sgd', 'adam'];
const SCHEDULES = ['step', 'constant'];
const BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/**
 * Returns the first problem with `settings` as a user-facing error, or null
 * when every field is allowed. Worker messages can come from anywhere, so
 * the worker checks them even though the form already did.
 */
export function checkSettings(settings: TrainingSettings): UserFacingError | null {
  if (typeof settings !== 'object' || settings === null) {
    return { code: 'training.settings.missing', params: {} };
  }
  for (const [field, limit] of Object.entries(SETTING_LIMITS)) {
    const value = settings[field as keyof typeof SETTING_LIMITS];
    const valid =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value >= limit.min &&
      value <= limit.max &&
      (!limit.integer || Number.isInteger(value));
    if (!valid) {
      return {
        code: 'training.settings.outOfRange',
        params: { field, value: String(value), min: limit.min, max: limit.max },
      };
    }
  }
  if (!OPTIMIZERS.includes(settings.optimizer)) {
    return {
      code: 'training.settings.invalidChoice',
      params: {
        field: 'optimizer',
        value: String(settings.optimizer),
        allowed: OPTIMIZERS.join(', '),
      },
    };
  }
  if (!SCHEDULES.includes(settings.schedule)) {
    return {
      code: 'training.settings.invalidChoice',
      params: {
        field: 'schedule',
        value: String(settings.schedule),
        allowed: SCHEDULES.join(', '),
      },
    };
  }
  if (!BACKENDS.includes(settings.backend)) {
    return {
      code: 'training.settings.invalidChoice',
      params: { field: 'backend', value: String(settings.backend), allowed: BACKENDS.join(', ') },
    };
  }
  return null;
}

/** Checks a learning rate sent with `set-learning-rate`. */
export function checkLearningRate(learningRate: number): UserFacingError | null {
  const limit = SETTING_LIMITS.learningRate;
  if (
    typeof learningRate === 'number' &&
    Number.isFinite(learningRate) &&
    learningRate >= limit.min &&
    learningRate <= limit.max
  ) {
    return null;
  }
  return {
    code: 'training.settings.outOfRange',
    params: { field: 'learningRate', value: String(learningRate), min: limit.min, max: limit.max },
  };
}
