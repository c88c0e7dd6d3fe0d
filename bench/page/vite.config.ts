import path from 'node:path';
import { defineConfig } from 'vite';
import { wasmThreadsPlugin } from '../../src/training/wasm/vite-plugin';

// The benchmark page, built apart from the app: `vite build --config
// bench/page/vite.config.ts`. Cross-origin isolation headers let the wasm
// backend run threaded, as in the app.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: path.dirname(new URL(import.meta.url).pathname),
  // The page and its worker bundle tfjs-backend-wasm, whose threaded build needs a patch to
  // survive minification.
  plugins: [wasmThreadsPlugin()],
  worker: { format: 'es', plugins: () => [wasmThreadsPlugin()] },
  preview: { headers: isolationHeaders },
  server: { headers: isolationHeaders },
  build: {
    target: 'es2022',
    outDir: path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../dist-bench'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 8192,
  },
});
