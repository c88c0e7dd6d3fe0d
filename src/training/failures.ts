// Turns what can go wrong during a run into codes the UI can explain: a loss
// that is not finite, a lost GPU device, memory exhaustion, anything else.

import { errorMessage } from './backend';
import type { BackendName, UserFacingError } from './protocol';

/** Thrown when a downloaded loss is NaN, infinite, or far above a uniform guess's (see DIVERGENCE_FACTOR in run.ts). */
export class DivergedError extends Error {
  constructor(
    readonly step: number,
    readonly loss: number,
    readonly learningRate: number,
  ) {
    super(`loss ${loss} at step ${step}`);
    this.name = 'DivergedError';
  }
}

const DEVICE_LOST =
  /device (?:was |is |has been )?(?:lost|destroyed)|destroyed device|context lost|CONTEXT_LOST/i;
const OUT_OF_MEMORY =
  /out of memory|\bOOM\b|allocation failed|failed to allocate|Array buffer allocation|Invalid typed array length|exceeds the max|createBuffer|texture size|larger than max/i;

/** Maps an error thrown by TF.js during a step to a run error code. */
export function classifyError(
  error: unknown,
  context: { backend: BackendName; batchSize: number },
): UserFacingError {
  const detail = errorMessage(error);
  if (DEVICE_LOST.test(detail)) {
    return { code: 'run.deviceLost', params: { backend: context.backend, detail } };
  }
  if (error instanceof RangeError || OUT_OF_MEMORY.test(detail)) {
    return {
      code: 'run.outOfMemory',
      params: { backend: context.backend, batchSize: context.batchSize, detail },
    };
  }
  return { code: 'run.failed', params: { backend: context.backend, detail } };
}
