// The grid layout of the direct convolution kernels, and that 'auto' takes
// them with fused multiply-adds where the engine has relaxed SIMD. Their
// results against the cpu backend are checked in kernels.test.ts.

import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmBackendInternals } from './backend-internals';
import { gridOf, setConvolutionRoute, splitRange, takesDirectRoute } from './direct-conv';
import { kernelsFor, multiplyAddFuses, relaxedSimdSupported } from './module';
import { registerWasmTrainingKernels } from './register';

const same3x3 = { top: 1, bottom: 1, left: 1, right: 1 };

describe('gridOf', () => {
  it('shares padding between 32x32 images', () => {
    const grid = gridOf({
      batch: 16,
      inHeight: 32,
      inWidth: 32,
      outHeight: 32,
      outWidth: 32,
      filterHeight: 3,
      filterWidth: 3,
      pad: same3x3,
    });
    // 16 · 33 · 33 positions, against 16 · 34 · 34 = 18,496 with each image padded on its own.
    expect(grid).toEqual({
      gapRows: 1,
      gapCols: 1,
      pitchHeight: 33,
      pitchWidth: 33,
      positions: 17_424,
      base: 0,
      maxShift: 2 * 33 + 2,
    });
  });

  it('needs no gaps for a 1x1 convolution', () => {
    const grid = gridOf({
      batch: 4,
      inHeight: 8,
      inWidth: 8,
      outHeight: 8,
      outWidth: 8,
      filterHeight: 1,
      filterWidth: 1,
      pad: { top: 0, bottom: 0, left: 0, right: 0 },
    });
    expect(grid.positions).toBe(4 * 8 * 8);
    expect(grid.maxShift).toBe(0);
  });

  it('keeps the larger uneven pad', () => {
    // Two rows of padding above and none below; none left and one right.
    const grid = gridOf({
      batch: 3,
      inHeight: 7,
      inWidth: 8,
      outHeight: 7,
      outWidth: 7,
      filterHeight: 3,
      filterWidth: 3,
      pad: { top: 2, bottom: 0, left: 0, right: 1 },
    });
    expect(grid.gapRows).toBe(2);
    expect(grid.gapCols).toBe(1);
    expect(grid.pitchHeight).toBe(9);
    expect(grid.pitchWidth).toBe(9);
    // Tap (0, 0) of output (0, 0) reads grid row 0, column 1: input row -2, column 0.
    expect(grid.base).toBe(1);
  });
});

describe('the direct route with relaxed SIMD', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
  });
  afterAll(() => setConvolutionRoute('auto'));

  it('fuses on this processor, and not with FMA3 turned off', () => {
    expect(multiplyAddFuses()).toBe(true);
    // V8 lowers relaxed_madd to a multiply then an add without FMA3.
    const probe = execFileSync(
      process.execPath,
      [
        '--experimental-wasm-relaxed-simd',
        '--no-enable-fma3',
        '--import',
        'tsx',
        '-e',
        "import('./src/training/wasm/module.ts').then((m) => console.log(JSON.stringify([m.relaxedSimdSupported(), m.multiplyAddFuses()])))",
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(probe)).toEqual([true, false]);
  });

  it('is what auto takes in this engine', () => {
    // vitest.config.ts starts Node with relaxed SIMD, as Chromium runs by default.
    expect(relaxedSimdSupported()).toBe(true);
    const kernels = kernelsFor(tf.backend() as WasmBackendInternals);
    expect(kernels.fusedMultiplyAdd).toBe(true);
    setConvolutionRoute('auto');
    expect(takesDirectRoute(kernels)).toBe(true);
    setConvolutionRoute('xnnpack');
    expect(takesDirectRoute(kernels)).toBe(false);
  });

  it('rounds once per multiply-add, as the cpu backend does', async () => {
    // A 1x1 convolution of one pixel with two channels:
    //   -(1 + 2^-11) · 1 + (1 + 2^-12) · (1 + 2^-12) = 2^-24 exactly.
    // A float32 multiply then add rounds the product to 1 + 2^-11 and gives 0.
    const x = [1, 1 + 2 ** -12];
    const filter = [-(1 + 2 ** -11), 1 + 2 ** -12];
    const convolve = () =>
      tf.conv2d(tf.tensor4d(x, [1, 1, 1, 2]), tf.tensor4d(filter, [1, 1, 2, 1]), 1, 'same');
    setConvolutionRoute('direct');
    expect(await convolve().data()).toEqual(new Float32Array([2 ** -24]));
    await tf.setBackend('cpu');
    expect(await convolve().data()).toEqual(new Float32Array([2 ** -24]));
    await tf.setBackend('wasm');
  });
});

describe('splitRange', () => {
  it('splits positions into parts on multiples of three', () => {
    expect(splitRange(17_424, 2, 3)).toEqual([
      [0, 8712],
      [8712, 17_424],
    ]);
    expect(splitRange(100, 3, 3)).toEqual([
      [0, 33],
      [33, 66],
      [66, 100],
    ]);
  });

  it('drops empty parts', () => {
    expect(splitRange(2, 4, 1)).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(splitRange(0, 2, 3)).toEqual([]);
  });

  it('keeps one part whole', () => {
    expect(splitRange(7, 1, 3)).toEqual([[0, 7]]);
  });
});
