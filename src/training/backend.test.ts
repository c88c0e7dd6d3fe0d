import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  automaticOrder,
  missingTrainingKernel,
  registerWasmTraining,
  selectBackend,
} from './backend';

afterEach(async () => {
  registerWasmTraining(null);
  for (const name of ['webgpu', 'wasm']) {
    if (tf.findBackendFactory(name)) tf.removeBackend(name);
  }
  await tf.setBackend('cpu');
});

describe('selectBackend', () => {
  it('falls back to cpu when WebGPU is not registered', async () => {
    // Node has no navigator.gpu, so tfjs-backend-webgpu would not register: setBackend would throw.
    const selection = await selectBackend('auto');
    expect(selection).toEqual({
      backend: 'cpu',
      fallbackFrom: 'webgpu',
      reason: { code: 'backend.webgpuUnsupported', params: { backend: 'webgpu' } },
      attempts: [
        {
          backend: 'webgpu',
          reason: { code: 'backend.webgpuUnsupported', params: { backend: 'webgpu' } },
        },
        {
          backend: 'webgl',
          reason: { code: 'backend.notRegistered', params: { backend: 'webgl' } },
        },
      ],
    });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('reports no adapter when WebGPU is registered but initialisation fails', async () => {
    // The real factory throws inside when requestAdapter() returns null, so setBackend resolves false.
    tf.registerBackend(
      'webgpu',
      async () => {
        throw new TypeError("Cannot read properties of null (reading 'features')");
      },
      3,
    );
    const selection = await selectBackend('auto');
    expect(selection.backend).toBe('cpu');
    expect(selection.fallbackFrom).toBe('webgpu');
    expect(selection.reason?.code).toBe('backend.webgpuNoAdapter');
    // Every step of the chain is kept for the page, not only the first.
    expect(selection.attempts.map((step) => [step.backend, step.reason.code])).toEqual([
      ['webgpu', 'backend.webgpuNoAdapter'],
      ['webgl', 'backend.notRegistered'],
    ]);
  });

  it('says at once that forced wasm cannot train without training kernels', async () => {
    const selection = await selectBackend('wasm');
    expect(selection).toEqual({
      backend: 'cpu',
      fallbackFrom: 'wasm',
      reason: { code: 'backend.wasmCannotTrain', params: { backend: 'wasm' } },
      attempts: [
        {
          backend: 'wasm',
          reason: { code: 'backend.wasmCannotTrain', params: { backend: 'wasm' } },
        },
        {
          backend: 'webgpu',
          reason: { code: 'backend.webgpuUnsupported', params: { backend: 'webgpu' } },
        },
        {
          backend: 'webgl',
          reason: { code: 'backend.notRegistered', params: { backend: 'webgl' } },
        },
      ],
    });
  });

  it('rejects a registered backend that lacks a training kernel', async () => {
    // A wasm backend whose hook registers the backend but none of the gradient kernels.
    registerWasmTraining({
      setup: async () => {
        tf.registerBackend(
          'wasm',
          () => new (tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend)(),
        );
        return true;
      },
      threads: () => 1,
      fusedMultiplyAdd: () => true,
    });
    expect(automaticOrder()).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    const selection = await selectBackend('wasm');
    expect(selection.backend).toBe('cpu');
    expect(selection.reason).toEqual({
      code: 'backend.cannotTrain',
      params: { backend: 'wasm', kernel: 'Conv2D' },
    });
  });

  it('keeps a forced backend that can train', async () => {
    const selection = await selectBackend('cpu');
    expect(selection).toEqual({ backend: 'cpu', fallbackFrom: null, reason: null, attempts: [] });
  });
});

describe('missingTrainingKernel', () => {
  it('finds every training kernel on cpu', () => {
    expect(missingTrainingKernel('cpu')).toBeNull();
  });
});
