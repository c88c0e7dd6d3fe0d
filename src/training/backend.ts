// Picks the TF.js backend to train on: WebGPU, then WebGL, then the plain
// JavaScript CPU backend, and reports why a preferred one was skipped. The
// WebAssembly backend trains only once its training kernels are registered
// through `registerWasmTraining`: TF.js 4.22's tfjs-backend-wasm has no
// Conv2DBackpropFilter, so plain wasm can run a model but cannot train one.

import * as tf from '@tensorflow/tfjs';
import { chooseAutomaticOrder, softwareRendererReason } from './chooser';
import type { BackendChoice, BackendFallbackStep, BackendName, UserFacingError } from './protocol';

/**
 * Kernels a training step of the DenseNet needs beyond the forward pass. A
 * backend that lacks any of them throws mid-step, so it is rejected up front.
 */
export const TRAINING_KERNELS = [
  'Conv2D',
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'AvgPool',
  'AvgPoolGrad',
  'FusedBatchNorm',
  'GatherV2',
  'Softmax',
] as const;

/** Set up by the WebAssembly kernels: registers 'wasm' and its training kernels. */
export interface WasmTrainingHook {
  /** Registers and initialises the wasm backend with training kernels; resolves false when that is impossible here. */
  setup(): Promise<boolean>;
  /** Threads the wasm backend runs on once set up (1 without cross-origin isolation). */
  threads(): number;
  /** Tells whether the training kernels use fused multiply-adds (WebAssembly relaxed SIMD). */
  fusedMultiplyAdd(): boolean;
  /** Finishes the start once the wasm backend runs (starts the kernels' helper threads). */
  started?(): Promise<void>;
}

let wasmHook: WasmTrainingHook | null = null;

/** Lets 'wasm' take part in backend selection, between WebGL and CPU in the automatic order. */
export function registerWasmTraining(hook: WasmTrainingHook | null): void {
  wasmHook = hook;
}

/** Returns the automatic order, fastest first. */
export function automaticOrder(): BackendName[] {
  return wasmHook ? ['webgpu', 'webgl', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'cpu'];
}

/**
 * Maximum time a backend may take to start. A start that never settles (a
 * wasm thread pool whose workers die, a GPU process that hangs) would block
 * every later request. After this time the backend counts as failed and the
 * next one in the order is tried.
 */
export const BACKEND_START_TIMEOUT_MS = 30_000;

function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export type BackendAttempt = { ok: true } | { ok: false; reason: UserFacingError };

/** Returns the first training kernel `backend` lacks, or null when it has them all. */
export function missingTrainingKernel(backend: string): string | null {
  for (const kernel of TRAINING_KERNELS) {
    if (tf.getKernel(kernel, backend) === undefined) return kernel;
  }
  return null;
}

function failure(code: string, backend: BackendName, detail?: string): BackendAttempt {
  const params: Record<string, string> = { backend };
  if (detail) params.detail = detail;
  return { ok: false, reason: { code, params } };
}

/**
 * Switches TF.js to `backend` if it can train there. WebGPU fails in two
 * ways: not registered at all (no `navigator.gpu`, so `setBackend` throws)
 * or registered with no usable adapter or device (`setBackend` resolves false).
 */
export async function tryBackend(backend: BackendName): Promise<BackendAttempt> {
  if (backend === 'wasm') {
    if (!wasmHook) return failure('backend.wasmCannotTrain', backend);
    try {
      const ready = await withTimeout(wasmHook.setup(), BACKEND_START_TIMEOUT_MS);
      if (ready === 'timeout') {
        return {
          ok: false,
          reason: {
            code: 'backend.startTimedOut',
            params: { backend, seconds: BACKEND_START_TIMEOUT_MS / 1000 },
          },
        };
      }
      if (!ready) return failure('backend.initFailed', backend);
    } catch (error) {
      return failure('backend.initFailed', backend, errorMessage(error));
    }
  }

  if (tf.findBackendFactory(backend) === null) {
    return failure(
      backend === 'webgpu' ? 'backend.webgpuUnsupported' : 'backend.notRegistered',
      backend,
    );
  }
  let ready: boolean | 'timeout';
  try {
    ready = await withTimeout(tf.setBackend(backend), BACKEND_START_TIMEOUT_MS);
  } catch (error) {
    return failure('backend.initFailed', backend, errorMessage(error));
  }
  if (ready === 'timeout') {
    return {
      ok: false,
      reason: {
        code: 'backend.startTimedOut',
        params: { backend, seconds: BACKEND_START_TIMEOUT_MS / 1000 },
      },
    };
  }
  if (!ready) {
    return failure(
      backend === 'webgpu' ? 'backend.webgpuNoAdapter' : 'backend.initFailed',
      backend,
    );
  }
  const missing = missingTrainingKernel(backend);
  if (missing) {
    return {
      ok: false,
      reason: { code: 'backend.cannotTrain', params: { backend, kernel: missing } },
    };
  }
  await tf.ready();
  if (backend === 'wasm') await wasmHook?.started?.();
  return { ok: true };
}

export interface BackendSelection {
  backend: BackendName;
  /** The first backend that was tried and failed (the forced one, or the first of the automatic order). */
  fallbackFrom: BackendName | null;
  reason: UserFacingError | null;
  /** Every backend passed over, in the order tried: the ones that failed and one demoted behind wasm. */
  attempts: BackendFallbackStep[];
}

/**
 * Tries `choice` (or the automatic order for 'auto') and falls back along the
 * automatic order. A forced backend that cannot train is reported as the
 * fallback's reason at once, and training continues on the next one that works.
 */
export async function selectBackend(choice: BackendChoice): Promise<BackendSelection> {
  // 'auto' with wasm available moves a GPU backend on a software renderer behind wasm.
  const automatic = choice === 'auto' && wasmHook ? await chooseAutomaticOrder() : null;
  const order = automatic?.order ?? automaticOrder();
  const candidates: BackendName[] =
    choice === 'auto' ? order : [choice, ...order.filter((name) => name !== choice)];
  const attempts: BackendFallbackStep[] = [];
  for (const backend of candidates) {
    const attempt = await tryBackend(backend);
    if (attempt.ok) {
      const demoted = automatic?.softwareRenderer;
      if (demoted && order.indexOf(backend) < order.indexOf(demoted.backend)) {
        const reason = softwareRendererReason(demoted);
        attempts.push({ backend: demoted.backend, reason });
        return { backend, fallbackFrom: demoted.backend, reason, attempts };
      }
      return {
        backend,
        fallbackFrom: attempts[0]?.backend ?? null,
        reason: attempts[0]?.reason ?? null,
        attempts,
      };
    }
    console.warn(`backend ${backend} unavailable: ${attempt.reason.code}`, attempt.reason.params);
    attempts.push({ backend, reason: attempt.reason });
  }
  throw new Error('no TF.js backend could be initialised, not even cpu');
}

/** Returns the active backend's name. */
export function activeBackend(): BackendName {
  return tf.getBackend() as BackendName;
}

/** The part of a WebGPU device the worker watches. */
export interface WatchedDevice {
  lost: Promise<{ reason: string; message: string }>;
  limits: { maxBufferSize: number };
  destroy(): void;
  addEventListener(
    type: 'uncapturederror',
    listener: (event: { error: { message: string; constructor: { name: string } } }) => void,
  ): void;
  /** Delivers an event to the device's listeners (the test hook raises errors this way). */
  dispatchEvent(event: Event): boolean;
}

/** Returns the WebGPU device behind the active backend, or null on other backends. */
export function webgpuDevice(): WatchedDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as { device?: WatchedDevice };
  return backend.device ?? null;
}

/**
 * Drops the WebGPU backend instance (after its device was lost) while keeping
 * its factory registered, so the next `setBackend('webgpu')` requests a fresh
 * adapter and device from the browser.
 */
export function forgetBackend(backend: BackendName): void {
  const factory = tf.findBackendFactory(backend);
  if (factory === null) return;
  try {
    tf.removeBackend(backend);
  } catch (error) {
    // Disposing a backend whose device is gone can throw; its registry entry is removed regardless.
    console.warn(`disposing backend ${backend} failed`, error);
  }
  tf.registerBackend(backend, factory, REGISTRATION_PRIORITY[backend]);
}

/** Priorities the TF.js backend packages register with (webgpu 3, webgl 2, cpu and wasm 1). */
const REGISTRATION_PRIORITY: Record<BackendName, number> = { webgpu: 3, webgl: 2, wasm: 1, cpu: 1 };

/** Threads the backend computes on: the wasm thread pool, else 1. */
export function backendThreads(backend: BackendName): number {
  return backend === 'wasm' && wasmHook ? wasmHook.threads() : 1;
}

/** Tells whether `backend` is wasm with the fused multiply-add kernels (false for the others). */
export function backendFusedMultiplyAdd(backend: BackendName): boolean {
  return backend === 'wasm' && wasmHook !== null && wasmHook.fusedMultiplyAdd();
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
