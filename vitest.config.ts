import { defineConfig } from 'vitest/config';

// f32x4.relaxed_madd in one function: valid only where the engine runs relaxed SIMD.
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0,
  32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
]);

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Node 20 runs WebAssembly relaxed SIMD only behind this flag; Chromium
    // runs it by default. With it, the wasm kernel tests cover the build
    // with fused multiply-adds that the app uses.
    execArgv: WebAssembly.validate(RELAXED_SIMD_PROBE) ? [] : ['--experimental-wasm-relaxed-simd'],
  },
});
