// Connects the WebAssembly backend to backend selection (backend.ts): the
// hook registers our training kernels and tells tfjs-backend-wasm where its
// binaries are and how many threads to use before the first
// `tf.setBackend('wasm')`.
//
// Threads: tfjs-backend-wasm 4.22 loads its threaded SIMD binary when
// SharedArrayBuffer and WebAssembly threads are available, which in a browser
// requires a cross-origin isolated page (COOP `same-origin` and COEP
// `require-corp` headers); otherwise it runs on one thread. Its C++ start-up
// (`init_with_threads_count` in tfjs-backend-wasm/src/cc/backend.cc) caps the
// requested count at `emscripten_num_logical_cores() / 2`, that is
// `navigator.hardwareConcurrency / 2`, assuming two hyper-threads per core,
// and at the 8 workers its pthread pool holds. On a 2-core machine that cap
// is one thread whatever `setThreadsCount` requests. The cap is computed once,
// while the module instantiates, so the hook starts the backend with
// `navigator.hardwareConcurrency` reading twice the requested count and
// restores it as soon as the backend exists.

import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { engine, findBackendFactory, registerBackend, removeBackend } from '@tensorflow/tfjs-core';
import type { WasmTrainingHook } from '../backend';
import type { WasmBackendInternals } from './backend-internals';
import {
  configureKernelPool,
  type HelperFactory,
  readyKernelHelpers,
  startKernelPool,
} from './kernel-pool';
import { kernelsFor, multiplyAddFuses } from './module';
import { registerWasmTrainingKernels } from './register';

export interface WasmBinaryPaths {
  'tfjs-backend-wasm.wasm': string;
  'tfjs-backend-wasm-simd.wasm': string;
  'tfjs-backend-wasm-threaded-simd.wasm': string;
}

/** True when this context may use SharedArrayBuffer, and so WebAssembly threads. */
export function isCrossOriginIsolated(): boolean {
  const scope = globalThis as { crossOriginIsolated?: boolean };
  // Node has no such flag but shares memory between worker threads freely.
  if (scope.crossOriginIsolated === undefined) return typeof SharedArrayBuffer !== 'undefined';
  return scope.crossOriginIsolated;
}

/** Largest thread count asked for: the size of tfjs-backend-wasm 4.22's pthread pool. */
export const MAX_WASM_THREADS = 8;

/** tfjs-backend-wasm 4.22's registration priority for 'wasm' (WASM_PRIORITY in its base.ts). */
const WASM_BACKEND_PRIORITY = 2;

function logicalCores(): number {
  const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)
    ?.hardwareConcurrency;
  return typeof cores === 'number' && cores > 0 ? cores : 1;
}

/**
 * Runs `start` while `navigator.hardwareConcurrency` reads `cores`, then
 * removes the shadowing property again, also when `start` rejects. Without a
 * `navigator` object (older Node), or where the property cannot be shadowed,
 * it only runs `start`.
 */
export async function withLogicalCores<T>(cores: number, start: () => Promise<T>): Promise<T> {
  const navigator = (globalThis as { navigator?: object }).navigator;
  if (navigator === undefined || Object.hasOwn(navigator, 'hardwareConcurrency')) return start();
  try {
    Object.defineProperty(navigator, 'hardwareConcurrency', {
      configurable: true,
      get: () => cores,
    });
  } catch (error) {
    console.warn('wasm threads: cannot override navigator.hardwareConcurrency', error);
    return start();
  }
  try {
    return await start();
  } finally {
    delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/**
 * Re-registers the 'wasm' backend factory so that the backend's start-up reads
 * enough logical cores to honour `threads` (see the file comment). Returns
 * false when 'wasm' is not registered or has already started, since the
 * thread pool exists from then on.
 */
function startWasmWithThreads(threads: number): boolean {
  const factory = findBackendFactory('wasm');
  const started = (engine() as unknown as { registry: Record<string, unknown> }).registry.wasm;
  if (factory === null || started !== undefined) return false;
  removeBackend('wasm');
  registerBackend(
    'wasm',
    () => withLogicalCores(2 * threads, async () => factory()),
    WASM_BACKEND_PRIORITY,
  );
  return true;
}

export interface WasmTrainingHookOptions {
  /**
   * Threads to request. Defaults to every logical core up to MAX_WASM_THREADS:
   * training keeps the cores busy, and the page's main thread has little to
   * do meanwhile. Ignored by the single-threaded builds.
   * With fused multiply-adds, XNNPACK gets one of them and the kernel pool
   * the rest (see setup). On a 2-core machine two threads then trained
   * DenseNet L=10 k=8 1.07x and L=40 k=12 1.38x as fast as one
   * (docs/benchmarks.md).
   * NOTE: machines with more than 2 cores were not measured.
   */
  threads?: number;
  /**
   * Starts a helper worker for the direct convolution kernels; with threads,
   * threads - 1 of them split each convolution with the training worker.
   */
  helperWorker?: HelperFactory;
}

/**
 * Builds the hook. `paths` are the binaries' URLs in a bundled app (see
 * paths.ts); leave it out in Node, where the backend finds them itself.
 */
export function createWasmTrainingHook(
  paths?: WasmBinaryPaths,
  options: WasmTrainingHookOptions = {},
): WasmTrainingHook {
  const requested = options.threads ?? Math.min(MAX_WASM_THREADS, logicalCores());
  if (!Number.isInteger(requested) || requested < 1 || requested > MAX_WASM_THREADS) {
    throw new Error(
      `wasm threads must be a whole number from 1 to ${MAX_WASM_THREADS}, got ${requested}`,
    );
  }
  let configured = false;
  return {
    async setup() {
      if (!configured) {
        registerWasmTrainingKernels();
        if (paths) setWasmPaths(paths);
        // With fused multiply-adds the convolutions run in the kernel pool,
        // and XNNPACK's own threads only add a wait after each of its small
        // operators (DenseNet L=10 k=8 trained 0.85-0.91x as fast on two
        // threads as on one). XNNPACK then keeps one thread and the kernel
        // pool takes the others.
        const split = options.helperWorker !== undefined && requested > 1 && multiplyAddFuses();
        const xnnpackThreads = split ? 1 : requested;
        setThreadsCount(xnnpackThreads);
        configureKernelPool(options.helperWorker ?? null, split ? requested - 1 : 0);
        if (!startWasmWithThreads(xnnpackThreads) && xnnpackThreads > 1) {
          console.warn(
            'wasm threads: the wasm backend already started, so it keeps its own thread count',
          );
        }
        configured = true;
      }
      return true;
    },
    fusedMultiplyAdd() {
      return multiplyAddFuses();
    },
    async started() {
      const backend = engine().findBackend('wasm') as WasmBackendInternals | null;
      if (backend !== null) await startKernelPool(backend, kernelsFor(backend).fusedMultiplyAdd);
    },
    threads() {
      const backend = engine().findBackend('wasm') as WasmBackendInternals | null;
      const helpers = backend === null ? 0 : readyKernelHelpers(backend);
      try {
        return getThreadsCount() + helpers;
      } catch {
        // Before the backend starts there is no thread pool to count.
        return 1;
      }
    },
  };
}
