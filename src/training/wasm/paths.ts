// URLs of tfjs-backend-wasm's three binaries in the built app, and the
// kernel pool's helper worker, which Vite bundles as a worker of its own. Vite copies
// each imported file into the build output (with a content hash) and returns
// its URL, so a static host serves them beside the scripts. Only the browser
// bundle imports this file; in Node the backend reads the binaries from
// node_modules itself.

import plainWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { WasmBinaryPaths } from './hook';

export const bundledWasmPaths: WasmBinaryPaths = {
  'tfjs-backend-wasm.wasm': plainWasmUrl,
  'tfjs-backend-wasm-simd.wasm': simdWasmUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdWasmUrl,
};

/** Starts one helper thread for the direct convolution kernels (kernel-pool.ts). */
export function startKernelHelper(): Worker {
  return new Worker(new URL('./kernel-helper.ts', import.meta.url), { type: 'module' });
}
