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

export function configIssues(config: DenseNetConfig): ValidationIssue[] {
  const result = validateConfig(config);
  return result.ok ? [] : result.issues;
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
