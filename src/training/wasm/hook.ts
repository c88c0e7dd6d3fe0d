// Connects the WebAssembly backend to backend selection (backend.ts): the
// hook registers our training kernels and tells tfjs-backend-wasm where its
// binaries are before the first `tf.setBackend('wasm')`.
//
// Threads: tfjs-backend-wasm 4.22 loads its threaded SIMD binary when
// SharedArrayBuffer and WebAssembly threads are available, which in a browser
// requires a cross-origin isolated page (COOP `same-origin` and COEP
// `require-corp` headers); otherwise it runs on one thread. By default it
// then uses half the logical cores, at most 4 (one thread on a 2-core
// machine), so setup asks for every core up to the 8 workers its pthread
// pool holds: training keeps the cores busy, and the page's main thread
// has little to do meanwhile.

import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { WasmTrainingHook } from '../backend';
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

function logicalCores(): number {
  const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)
    ?.hardwareConcurrency;
  return typeof cores === 'number' && cores > 0 ? cores : 1;
}

/**
 * Builds the hook. `paths` are the binaries' URLs in a bundled app (see
 * paths.ts); leave it out in Node, where the backend finds them itself.
 */
export function createWasmTrainingHook(paths?: WasmBinaryPaths): WasmTrainingHook {
  let configured = false;
  return {
    async setup() {
      if (!configured) {
        registerWasmTrainingKernels();
        if (paths) setWasmPaths(paths);
        // Ignored by the single-threaded builds.
        setThreadsCount(Math.min(MAX_WASM_THREADS, logicalCores()));
        configured = true;
      }
      return true;
    },
    threads() {
      try {
        return getThreadsCount();
      } catch {
        // Before the backend starts there is no thread pool to count.
        return 1;
      }
    },
  };
}
