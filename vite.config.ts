import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { wasmThreadsPlugin } from './src/training/wasm/vite-plugin';

// Cross-origin isolation (COOP + COEP) lets the page use SharedArrayBuffer,
// which the WebAssembly backend needs for threads. A static host must send the
// same two headers; without them the app trains single-threaded.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  // The training worker bundles tfjs-backend-wasm, whose threaded build needs a patch to survive minification.
  worker: { format: 'es', plugins: () => [wasmThreadsPlugin()] },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
