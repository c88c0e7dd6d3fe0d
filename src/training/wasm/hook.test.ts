// The hook's thread set-up. tfjs-backend-wasm 4.22 caps its thread pool at
// `navigator.hardwareConcurrency / 2` when its module instantiates, so the
// hook starts the backend while that property reads twice the requested
// count. Node runs the single-threaded build, so these tests check only that
// the backend factory runs under the raised count and that the real value
// comes back afterwards. e2e/wasm.spec.ts checks the thread count in Chromium.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWasmTrainingHook, MAX_WASM_THREADS, withLogicalCores } from './hook';

/** A navigator like a browser's: hardwareConcurrency is a getter on the prototype. */
class FakeNavigator {
  get hardwareConcurrency(): number {
    return 2;
  }
}

function installNavigator(): FakeNavigator {
  const navigator = new FakeNavigator();
  vi.stubGlobal('navigator', navigator);
  return navigator;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('withLogicalCores', () => {
  it('shadows hardwareConcurrency while start runs', async () => {
    const navigator = installNavigator();
    const seen = await withLogicalCores(6, async () => navigator.hardwareConcurrency);
    expect(seen).toBe(6);
    expect(navigator.hardwareConcurrency).toBe(2);
    expect(Object.hasOwn(navigator, 'hardwareConcurrency')).toBe(false);
  });

  it('restores hardwareConcurrency when start rejects', async () => {
    const navigator = installNavigator();
    await expect(
      withLogicalCores(6, async () => {
        throw new Error('start failed');
      }),
    ).rejects.toThrow('start failed');
    expect(navigator.hardwareConcurrency).toBe(2);
  });

  it('runs start on a frozen navigator', async () => {
    const navigator = Object.freeze(new FakeNavigator());
    vi.stubGlobal('navigator', navigator);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const seen = await withLogicalCores(6, async () => navigator.hardwareConcurrency);
    expect(seen).toBe(2);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('runs start without a navigator', async () => {
    vi.stubGlobal('navigator', undefined);
    expect(await withLogicalCores(6, async () => 'started')).toBe('started');
  });
});

describe('createWasmTrainingHook', () => {
  it('rejects a thread count outside 1..8', () => {
    for (const threads of [0, MAX_WASM_THREADS + 1, 1.5]) {
      expect(() => createWasmTrainingHook(undefined, { threads })).toThrow(
        `wasm threads must be a whole number from 1 to ${MAX_WASM_THREADS}, got ${threads}`,
      );
    }
  });

  it('starts wasm seeing twice the requested cores', async () => {
    const navigator = installNavigator();
    // Wrap the stock factory to record what the backend's start-up reads.
    const stockFactory = tf.findBackendFactory('wasm');
    expect(stockFactory).not.toBeNull();
    const coresSeen: number[] = [];
    tf.removeBackend('wasm');
    tf.registerBackend(
      'wasm',
      async () => {
        coresSeen.push(navigator.hardwareConcurrency);
        return stockFactory!();
      },
      2,
    );

    const hook = createWasmTrainingHook(undefined, { threads: 3 });
    expect(await hook.setup()).toBe(true);
    expect(await tf.setBackend('wasm')).toBe(true);

    expect(coresSeen).toEqual([6]);
    expect(navigator.hardwareConcurrency).toBe(2);
    // Node loads the single-threaded build, whose pool has one thread.
    expect(hook.threads()).toBe(1);
    const sum = tf.tensor1d([1, 2, 3]).sum();
    expect(await sum.data()).toEqual(new Float32Array([6]));
  });
});
