// Turns what can go wrong during a run into codes the UI can explain: a loss
// that is not finite, a lost GPU device, memory exhaustion, anything else.
// TF.js 4.22's WebGPU backend pushes no error scopes, so a buffer it cannot
// allocate throws nothing. Instead the device fires 'uncapturederror' with a
// GPUOutOfMemoryError, or with a GPUValidationError for a buffer above its
// size limits, and the step's results are garbage from then on.

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

/** An error a WebGPU device reported through its 'uncapturederror' event. */
export interface UncapturedGpuError {
  /** The error's class: GPUOutOfMemoryError, GPUValidationError or GPUInternalError. */
  name: string;
  message: string;
}

/**
 * Dawn's messages for a buffer above the device's limits, as when a batch's
 * activations do not fit in one buffer: "Buffer size (N) exceeds the max
 * buffer size limit (M)" and "Binding size (N) is larger than the maximum
 * storage buffer binding size (M)".
 */
const BUFFER_LIMIT =
  /exceeds the max(?:imum)? buffer size|larger than the max(?:imum)? (?:storage )?(?:buffer )?binding size|maxBufferSize|maxStorageBufferBindingSize/i;

/**
 * Maps an error the WebGPU device reported during a run to a run error code.
 * Any such error means the device dropped commands, so the run cannot go on.
 * Memory exhaustion and buffers above the device's limits count as out of
 * memory. Other validation and internal errors fail the run with the device's message.
 */
export function classifyGpuError(
  error: UncapturedGpuError,
  context: { batchSize: number },
): UserFacingError {
  // Dawn appends lines naming the failed call ("- While calling ..."), so only
  // the first line describes the error.
  const detail = error.message.split('\n')[0]!.trim();
  if (
    error.name === 'GPUOutOfMemoryError' ||
    (error.name === 'GPUValidationError' && BUFFER_LIMIT.test(error.message))
  ) {
    return {
      code: 'run.outOfMemory',
      params: { backend: 'webgpu', batchSize: context.batchSize, detail },
    };
  }
  return { code: 'run.failed', params: { backend: 'webgpu', detail: `${error.name}: ${detail}` } };
}
