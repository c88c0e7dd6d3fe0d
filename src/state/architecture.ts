// The store's view of the densenet room: validation as a list of issues, the
// plan of a valid config, and the memory budget the pre-training warning uses.

import { activationMemory, planDenseNet } from '../densenet/plan';
import type {
  ActivationMemory,
  DenseNetConfig,
  DenseNetPlan,
  ValidationIssue,
} from '../densenet/types';
import { validateConfig } from '../densenet/validate';

/**
 * Dropout rates the form and the link accept. The densenet validator allows any
 * rate below 1, but a rate above 0.99 keeps under 1% of the activations, so the
 * page stops there.
 */
export const DROP_RATE_RANGE = { min: 0, max: 0.99, integer: false } as const;

/** Returns the issue for a dropout rate outside DROP_RATE_RANGE, or null when it is allowed. */
export function dropRateIssue(value: unknown): ValidationIssue | null {
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= DROP_RATE_RANGE.min &&
    value <= DROP_RATE_RANGE.max
  ) {
    return null;
  }
  return {
    field: 'dropRate',
    code: 'config.notNumber',
    params: { min: DROP_RATE_RANGE.min, max: DROP_RATE_RANGE.max, received: String(value) },
  };
}

/** Validates `config` with the densenet validator and the page's narrower dropout range. */
export function configIssues(config: DenseNetConfig): ValidationIssue[] {
  const result = validateConfig(config);
  const issues = result.ok ? [] : result.issues;
  // The page's range replaces the validator's, so the form shows one dropout message.
  const dropIssue = dropRateIssue(config.dropRate);
  const others = issues.filter((issue) => issue.field !== 'dropRate');
  return dropIssue ? [...others, dropIssue] : others;
}

/** Validates `config` and plans it when valid. */
export function checkConfig(config: DenseNetConfig): {
  issues: ValidationIssue[];
  plan: DenseNetPlan | null;
} {
  const issues = configIssues(config);
  if (issues.length > 0) return { issues, plan: null };
  return { issues, plan: planDenseNet(config) };
}

export function memoryFor(plan: DenseNetPlan, batchSize: number): ActivationMemory {
  return activationMemory(plan, batchSize);
}

/**
 * Returns the activation memory above which the UI warns before training.
 * Browsers do not expose a GPU's free memory, so this is an estimate. It is a
 * quarter of the RAM the browser reports (`navigator.deviceMemory`, which
 * Chromium caps at 8 GiB), else 1 GiB, and at most 2 GiB.
 * NOTE: the 2 GiB cap is a guess at what one page can allocate on a GPU, not a
 * limit any browser documents.
 */
export function deviceMemoryBudget(deviceMemoryGiB: number | undefined): number {
  const gib = 1024 ** 3;
  if (deviceMemoryGiB === undefined || !Number.isFinite(deviceMemoryGiB) || deviceMemoryGiB <= 0)
    return gib;
  return Math.min(2 * gib, (deviceMemoryGiB * gib) / 4);
}

/** Connections into the layers of a block of ℓ layers: ℓ(ℓ+1)/2. */
export function blockConnections(layers: number): number {
  return (layers * (layers + 1)) / 2;
}
