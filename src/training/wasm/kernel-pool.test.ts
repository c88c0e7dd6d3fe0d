// The kernel pool with real helpers: Node worker threads that run the
// browser helper's serveHelper on a shared WebAssembly memory.

import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL, type Helper, KernelPool } from './kernel-pool';
import {
  type BoundKernels,
  instantiateKernels,
  kernelModule,
  relaxedSimdSupported,
} from './module';

const memory = new WebAssembly.Memory({ initial: 16, maximum: 64, shared: true });
const floats = new Float32Array(memory.buffer);

// A direct convolution problem for conv_span: 300 grid positions, 5 input
// channels, 12 outputs, taps at offsets 0, 1 and 7.
const POSITIONS = 300;
const CHANNELS = 5;
const OUTPUTS = 12;
const SHIFTS = [0, 1, 7];
const X = 1024;
const W = X + (POSITIONS + 8) * CHANNELS * 4;
const SHIFT_TABLE = W + SHIFTS.length * CHANNELS * OUTPUTS * 4;
const OUT_ALONE = SHIFT_TABLE + 64;
const OUT_SPLIT = OUT_ALONE + POSITIONS * OUTPUTS * 4;

let own: BoundKernels;
const workers: Worker[] = [];
let pool: KernelPool;

function part(out: number, first: number, last: number): number[] {
  return [X, W, out, first, last, 192, CHANNELS, OUTPUTS, SHIFT_TABLE, SHIFTS.length];
}

beforeAll(async () => {
  let state = 7;
  for (let i = X / 4; i < SHIFT_TABLE / 4; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    floats[i] = state / 2 ** 31 - 1;
  }
  new Int32Array(memory.buffer, SHIFT_TABLE, SHIFTS.length).set(SHIFTS);
  own = instantiateKernels(memory);
  const module = kernelModule({ memory: 'shared', relaxed: relaxedSimdSupported() });
  const helpers: Helper[] = [];
  for (let i = 0; i < 2; i++) {
    const control = new SharedArrayBuffer(CONTROL.length * 4);
    const worker = new Worker(new URL('./kernel-pool.test-helper.mjs', import.meta.url), {
      workerData: { memory, module, control },
    });
    workers.push(worker);
    helpers.push({ worker, control: new Int32Array(control) });
  }
  pool = new KernelPool(helpers);
  const deadline = Date.now() + 20_000;
  while (!pool.settled() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.terminate()));
});

describe('KernelPool', () => {
  it('starts its helpers', () => {
    expect(pool.readyHelpers()).toBe(2);
  });

  it('splits a convolution with the same result as one thread', () => {
    own.conv_span(...(part(OUT_ALONE, 0, POSITIONS) as Parameters<BoundKernels['conv_span']>));
    pool.run('conv_span', own, [
      part(OUT_SPLIT, 0, 99),
      part(OUT_SPLIT, 99, 198),
      part(OUT_SPLIT, 198, POSITIONS),
    ]);
    const alone = floats.slice(OUT_ALONE / 4, OUT_ALONE / 4 + POSITIONS * OUTPUTS);
    const split = floats.slice(OUT_SPLIT / 4, OUT_SPLIT / 4 + POSITIONS * OUTPUTS);
    expect(split).toEqual(alone);

    // Spot check against the definition: out[p][j] = Σ_t Σ_k x[p + shift_t][k] · w[t][k][j].
    for (const [p, j] of [
      [0, 0],
      [149, 11],
      [150, 5],
      [299, 3],
    ] as const) {
      let sum = 0;
      for (const [t, shift] of SHIFTS.entries()) {
        for (let k = 0; k < CHANNELS; k++) {
          const x = floats[X / 4 + (p + shift) * CHANNELS + k]!;
          const w = floats[W / 4 + (t * CHANNELS + k) * OUTPUTS + j]!;
          sum += x * w;
        }
      }
      expect(Math.abs(split[p * OUTPUTS + j]! - sum)).toBeLessThan(1e-5);
    }
  });

  it("reports a helper's failed part after every part is done", () => {
    floats.fill(0, OUT_SPLIT / 4, OUT_SPLIT / 4 + POSITIONS * OUTPUTS);
    // An output offset past the end of memory: the first helper's part traps.
    const outOfBounds = memory.buffer.byteLength;
    expect(() =>
      pool.run('conv_span', own, [
        part(OUT_SPLIT, 0, 99),
        part(outOfBounds, 99, 198),
        part(OUT_SPLIT, 198, POSITIONS),
      ]),
    ).toThrow('kernel pool: a helper failed to run its part');
    // The second helper's part is complete by the time run() throws.
    const last = (out: number) =>
      floats.slice(out / 4 + 198 * OUTPUTS, out / 4 + POSITIONS * OUTPUTS);
    expect(last(OUT_SPLIT)).toEqual(last(OUT_ALONE));
  });

  it('takes parts again after a failure', () => {
    floats.fill(0, OUT_SPLIT / 4, OUT_SPLIT / 4 + POSITIONS * OUTPUTS);
    pool.run('conv_span', own, [
      part(OUT_SPLIT, 0, 99),
      part(OUT_SPLIT, 99, 198),
      part(OUT_SPLIT, 198, POSITIONS),
    ]);
    expect(floats.slice(OUT_SPLIT / 4, OUT_SPLIT / 4 + POSITIONS * OUTPUTS)).toEqual(
      floats.slice(OUT_ALONE / 4, OUT_ALONE / 4 + POSITIONS * OUTPUTS),
    );
  });
});
