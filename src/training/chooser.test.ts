import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../densenet/config';
import type { DenseNetConfig } from '../densenet/types';
import { registerWasmTraining, selectBackend } from './backend';
import {
  isSoftwareRenderer,
  measureBackends,
  measurementBatch,
  planAutomaticOrder,
  probeWebGpu,
  type RendererReport,
  SLOW_BACKEND_FLOPS,
} from './chooser';
import { createWasmTrainingHook } from './wasm/hook';

afterEach(async () => {
  vi.unstubAllGlobals();
  registerWasmTraining(null);
  await tf.setBackend('cpu');
});

describe('isSoftwareRenderer', () => {
  it.each([
    // Chromium's WebGL on SwiftShader (UNMASKED_RENDERER_WEBGL).
    'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
    // Chromium's WebGPU adapter info on SwiftShader: vendor, architecture, description.
    'google swiftshader SwiftShader Device (Subzero)',
    'llvmpipe (LLVM 15.0.6, 256 bits)',
    'ANGLE (Mesa, llvmpipe (LLVM 12.0.0, 256 bits), OpenGL 4.5)',
    'Microsoft Basic Render Driver',
  ])('flags %s', (renderer) => {
    expect(isSoftwareRenderer(renderer)).toBe(true);
  });

  it.each([
    'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002503) Direct3D11 vs_5_0 ps_5_0, D3D11)',
    'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)',
    'Apple M1',
    'nvidia ampere',
  ])('accepts %s', (renderer) => {
    expect(isSoftwareRenderer(renderer)).toBe(false);
  });
});

describe('planAutomaticOrder', () => {
  const order = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
  const software = (backend: 'webgpu' | 'webgl'): RendererReport => ({
    backend,
    renderer: 'SwiftShader',
    software: true,
  });
  const hardware = (backend: 'webgpu' | 'webgl'): RendererReport => ({
    backend,
    renderer: 'NVIDIA',
    software: false,
  });

  it('keeps the order on real GPUs', () => {
    const plan = planAutomaticOrder(order, [hardware('webgpu'), hardware('webgl')]);
    expect(plan).toEqual({ order: [...order], softwareRenderer: null });
  });

  it('puts wasm before two software renderers', () => {
    const plan = planAutomaticOrder(order, [software('webgpu'), software('webgl')]);
    expect(plan.order).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
    expect(plan.softwareRenderer?.backend).toBe('webgpu');
  });

  it('keeps a hardware WebGL ahead of wasm', () => {
    const plan = planAutomaticOrder(order, [software('webgpu'), hardware('webgl')]);
    expect(plan.order).toEqual(['webgl', 'wasm', 'webgpu', 'cpu']);
  });

  it('demotes a software WebGL when WebGPU is absent', () => {
    const plan = planAutomaticOrder(order, [null, software('webgl')]);
    expect(plan.order).toEqual(['webgpu', 'wasm', 'webgl', 'cpu']);
    expect(plan.softwareRenderer?.backend).toBe('webgl');
  });

  it('changes nothing without wasm', () => {
    const plan = planAutomaticOrder(['webgpu', 'webgl', 'cpu'], [software('webgpu'), null]);
    expect(plan.order).toEqual(['webgpu', 'webgl', 'cpu']);
    expect(plan.softwareRenderer).toBeNull();
  });
});

function swiftShaderGpu(isFallbackAdapter = false) {
  return {
    requestAdapter: async () => ({
      isFallbackAdapter,
      info: {
        vendor: 'google',
        architecture: 'swiftshader',
        device: '',
        description: 'SwiftShader Device (Subzero)',
      },
    }),
  };
}

describe('probeWebGpu', () => {
  it('returns null without navigator.gpu', async () => {
    vi.stubGlobal('navigator', {});
    expect(await probeWebGpu()).toBeNull();
  });

  it('reports a SwiftShader adapter as software', async () => {
    vi.stubGlobal('navigator', { gpu: swiftShaderGpu() });
    expect(await probeWebGpu()).toEqual({
      backend: 'webgpu',
      renderer: 'google swiftshader SwiftShader Device (Subzero)',
      software: true,
    });
  });

  it('reports a fallback adapter as software whatever its name', async () => {
    vi.stubGlobal('navigator', {
      gpu: { requestAdapter: async () => ({ isFallbackAdapter: true, info: { vendor: 'acme' } }) },
    });
    expect((await probeWebGpu())?.software).toBe(true);
  });
});

describe('selectBackend with the chooser', () => {
  it('prefers wasm over WebGPU on SwiftShader and says why', async () => {
    vi.stubGlobal('navigator', { gpu: swiftShaderGpu() });
    registerWasmTraining(createWasmTrainingHook());
    const selection = await selectBackend('auto');
    expect(selection).toEqual({
      backend: 'wasm',
      fallbackFrom: 'webgpu',
      reason: {
        code: 'backend.softwareRenderer',
        params: { backend: 'webgpu', renderer: 'google swiftshader SwiftShader Device (Subzero)' },
      },
      // Node has no WebGL; the software WebGPU is listed last, where it was demoted to.
      attempts: [
        {
          backend: 'webgl',
          reason: { code: 'backend.notRegistered', params: { backend: 'webgl' } },
        },
        {
          backend: 'webgpu',
          reason: {
            code: 'backend.softwareRenderer',
            params: {
              backend: 'webgpu',
              renderer: 'google swiftshader SwiftShader Device (Subzero)',
            },
          },
        },
      ],
    });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('still honours a forced backend', async () => {
    vi.stubGlobal('navigator', { gpu: swiftShaderGpu() });
    registerWasmTraining(createWasmTrainingHook());
    const selection = await selectBackend('cpu');
    expect(selection).toEqual({ backend: 'cpu', fallbackFrom: null, reason: null, attempts: [] });
  });
});

describe('measureBackends', () => {
  const config: DenseNetConfig = {
    ...defaultConfig(),
    growthRate: 4,
    depth: 7,
    bottleneck: false,
    compression: 1,
  };

  it('times each backend and switches to the fastest', async () => {
    registerWasmTraining(createWasmTrainingHook());
    const before = tf.memory().numTensors;
    const result = await measureBackends(config, 4, { steps: 1, candidates: ['cpu', 'wasm'] });
    expect(Object.keys(result.imagesPerSecond).sort()).toEqual(['cpu', 'wasm']);
    expect(result.imagesPerSecond.cpu).toBeGreaterThan(0);
    expect(result.imagesPerSecond.wasm).toBeGreaterThan(0);
    const fastest = result.imagesPerSecond.wasm! > result.imagesPerSecond.cpu! ? 'wasm' : 'cpu';
    expect(result.chosen).toBe(fastest);
    expect(tf.getBackend()).toBe(fastest);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lists a backend that cannot start as skipped', async () => {
    // Without the hook, wasm has no training kernels and is rejected up front.
    const result = await measureBackends(config, 4, { steps: 1, candidates: ['wasm', 'cpu'] });
    expect(result.skipped.wasm?.code).toBe('backend.wasmCannotTrain');
    expect(result.chosen).toBe('cpu');
  });
});

describe('measurementBatch', () => {
  it('keeps the batch when no estimate applies', () => {
    expect(measurementBatch(145e6, 32, null, 15_000)).toBe(32);
  });

  it('keeps the batch when the estimated step is short', () => {
    // 3 * 2.5 MFLOP * 16 images at 50 MFLOP/s: 2.4 s.
    expect(measurementBatch(2.5e6, 16, 50e6, 15_000)).toBe(16);
  });

  it('shrinks the batch of a slow backend to fit the step budget', () => {
    // DenseNet-BC L=40 k=12 (144.7 MFLOP per image) on cpu: 3 * 144.7e6 * 32 / 50e6 = 278 s per step.
    const batch = measurementBatch(144.7e6, 32, SLOW_BACKEND_FLOPS.cpu, 15_000);
    expect(batch).toBe(1);
    expect(measurementBatch(13.7e6, 64, SLOW_BACKEND_FLOPS.cpu, 15_000)).toBe(18);
  });
});
