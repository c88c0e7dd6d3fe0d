// Backend choice beyond "first that works": a browser without a usable GPU
// often still offers WebGPU and WebGL, running on a software rasteriser
// (Chromium's SwiftShader, Mesa's llvmpipe). Those are slower than the CPU,
// so the automatic order moves such a backend behind WebAssembly and says
// why. "Measure" times a few real training steps of the current network on
// every backend that starts and picks the fastest.

import * as tf from '@tensorflow/tfjs';
import { planDenseNet } from '../densenet/plan';
import type { DenseNetConfig } from '../densenet/types';
import { DeviceSplit, PIXELS_PER_IMAGE } from './augment';
import { automaticOrder, tryBackend } from './backend';
import type { BackendName, TrainingSettings, UserFacingError } from './protocol';
import { CLASSROOM_RECIPE } from './recipes';
import { Trainer } from './trainer';

/** Device description that a GPU backend reports. */
export interface RendererReport {
  backend: 'webgpu' | 'webgl';
  /** Adapter info (WebGPU) or UNMASKED_RENDERER_WEBGL (WebGL), as the browser words it. */
  renderer: string;
  software: boolean;
}

// Names of software implementations in adapter and renderer strings:
// SwiftShader (Chromium), llvmpipe and lavapipe (Mesa), WARP ("Microsoft
// Basic Render Driver") and the generic "software" of some drivers.
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|basic render|software/i;

/** True when a renderer or adapter description names a software implementation. */
export function isSoftwareRenderer(description: string): boolean {
  return SOFTWARE_RENDERER.test(description);
}

interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GpuAdapterInfoLike>;
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/** Asks WebGPU for the adapter TF.js would get; null when there is none. */
export async function probeWebGpu(): Promise<RendererReport | null> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return null;
  let adapter: GpuAdapterLike | null;
  try {
    // tfjs-backend-webgpu 4.22 requests 'high-performance' too.
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch {
    return null;
  }
  if (!adapter) return null;
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  const renderer = [info.vendor, info.architecture, info.device, info.description]
    .filter((part) => part)
    .join(' ');
  return {
    backend: 'webgpu',
    renderer: renderer || 'unknown adapter',
    software: adapter.isFallbackAdapter === true || isSoftwareRenderer(renderer),
  };
}

/** Reads WebGL's renderer string from an offscreen context; null without WebGL. */
export function probeWebGl(): RendererReport | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  let gl: WebGLRenderingContext | WebGL2RenderingContext | null = null;
  try {
    const canvas = new OffscreenCanvas(1, 1);
    gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  } catch {
    return null;
  }
  if (!gl) return null;
  const debugInfo = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(
    gl.getParameter(debugInfo ? debugInfo.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '',
  );
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { backend: 'webgl', renderer, software: isSoftwareRenderer(renderer) };
}

export interface AutomaticPlan {
  order: BackendName[];
  /** Set when a software renderer moved a GPU backend behind wasm. */
  softwareRenderer: RendererReport | null;
}

/**
 * Reorders the automatic backend order: a GPU backend on a software renderer
 * goes after wasm (when wasm is in the order at all). `reports` are the
 * probes' results, null for a backend that is absent.
 */
export function planAutomaticOrder(
  order: readonly BackendName[],
  reports: readonly (RendererReport | null)[],
): AutomaticPlan {
  if (!order.includes('wasm')) return { order: [...order], softwareRenderer: null };
  const software = reports.filter((report): report is RendererReport => report?.software === true);
  if (software.length === 0) return { order: [...order], softwareRenderer: null };
  const demoted = new Set<BackendName>(software.map((report) => report.backend));
  const front = order.filter((name) => !demoted.has(name) && name !== 'cpu');
  const wasmIndex = front.indexOf('wasm');
  const reordered = [
    ...front.slice(0, wasmIndex + 1),
    ...order.filter((name) => demoted.has(name)),
    ...front.slice(wasmIndex + 1),
    ...order.filter((name) => name === 'cpu'),
  ];
  return { order: reordered, softwareRenderer: software[0]! };
}

/** Builds the reason shown when a software renderer made 'auto' prefer wasm. */
export function softwareRendererReason(report: RendererReport): UserFacingError {
  return {
    code: 'backend.softwareRenderer',
    params: { backend: report.backend, renderer: report.renderer },
  };
}

/** Probes both GPU APIs and plans the automatic order. */
export async function chooseAutomaticOrder(): Promise<AutomaticPlan> {
  const reports = [await probeWebGpu(), probeWebGl()];
  return planAutomaticOrder(automaticOrder(), reports);
}

// ---- measure -------------------------------------------------------------

/**
 * Training FLOP/s assumed for backends that are known to be slow, to keep
 * one measured step within `slowStepMs`. Estimates from a 2-core AMD EPYC
 * VM (bench/wasm.mjs and Chromium runs): TF.js's `cpu` backend trained
 * DenseNets at about 35 MFLOP/s, WebGPU and WebGL on SwiftShader at 70 to
 * 150 MFLOP/s. One training step costs about 3 times the forward FLOPs.
 */
export const SLOW_BACKEND_FLOPS = { cpu: 50e6, softwareGpu: 150e6 } as const;

/**
 * Returns the batch to time `backend` with: `batchSize`, or fewer images
 * when one step of a slow backend would take longer than `slowStepMs` at
 * the estimated speed. A CPU-bound backend's images/s barely depends on the
 * batch size, so the smaller batch still measures its throughput.
 */
export function measurementBatch(
  flopsPerImage: number,
  batchSize: number,
  estimatedFlops: number | null,
  slowStepMs: number,
): number {
  if (estimatedFlops === null) return batchSize;
  const stepMs = (3 * flopsPerImage * batchSize * 1000) / estimatedFlops;
  if (stepMs <= slowStepMs) return batchSize;
  return Math.max(1, Math.floor((batchSize * slowStepMs) / stepMs));
}

/** Maximum time of one training step that "measure" waits for on one backend, in milliseconds. */
export const DEFAULT_SLOW_STEP_MS = 15_000;

export interface MeasureOptions {
  /** Timed steps per backend after one warm-up step (which compiles shaders and sets up kernels). */
  steps?: number;
  /**
   * When the warm-up step alone takes longer than this (in milliseconds),
   * the backend is timed on that step only, so a slow backend cannot hold
   * the measurement for minutes. Its figure then includes start-up costs and
   * is a lower bound.
   */
  slowStepMs?: number;
  /** Backends to try; defaults to the automatic order. */
  candidates?: BackendName[];
}

export interface BackendMeasurement {
  imagesPerSecond: Partial<Record<BackendName, number>>;
  /** The fastest backend, now active; null when none could train. */
  chosen: BackendName | null;
  /** Reason each left-out candidate was skipped, by backend. */
  skipped: Partial<Record<BackendName, UserFacingError>>;
}

function measurementSettings(batchSize: number): TrainingSettings {
  return { ...CLASSROOM_RECIPE, batchSize, epochs: 1, augment: true, seed: 1 };
}

/** Times `steps` training steps of `config` at `batchSize` on the active backend and returns images/s. */
export async function measureActiveBackend(
  config: DenseNetConfig,
  batchSize: number,
  options: Pick<MeasureOptions, 'steps' | 'slowStepMs'> = {},
): Promise<number> {
  const steps = options.steps ?? 3;
  const slowStepMs = options.slowStepMs ?? DEFAULT_SLOW_STEP_MS;
  // Random images: the step's cost does not depend on the pixel values.
  const count = batchSize * 2;
  const pixels = new Uint8Array(count * PIXELS_PER_IMAGE * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  const labels = Array.from({ length: count }, (_, i) => i % config.numClasses);
  const train = DeviceSplit.upload(pixels, labels);
  let trainer: Trainer | null = null;
  try {
    trainer = new Trainer({
      plan: planDenseNet(config),
      settings: measurementSettings(batchSize),
      train,
      test: null,
    });
    const runStep = async (): Promise<void> => {
      const metrics = trainer!.trainStep();
      await metrics.data();
      metrics.dispose();
    };
    const warmUpStart = performance.now();
    await runStep();
    const warmUpMs = performance.now() - warmUpStart;
    if (warmUpMs > slowStepMs) return (batchSize * 1000) / warmUpMs;

    const start = performance.now();
    for (let step = 0; step < steps; step++) await runStep();
    return (steps * batchSize * 1000) / (performance.now() - start);
  } finally {
    trainer?.dispose();
    train.dispose();
  }
}

/**
 * Measures every candidate that starts, then switches to the fastest. The
 * caller must not train meanwhile: each candidate becomes the active backend
 * in turn.
 */
export async function measureBackends(
  config: DenseNetConfig,
  batchSize: number,
  options: MeasureOptions = {},
): Promise<BackendMeasurement> {
  const candidates = options.candidates ?? automaticOrder();
  const imagesPerSecond: Partial<Record<BackendName, number>> = {};
  const skipped: Partial<Record<BackendName, UserFacingError>> = {};
  const flopsPerImage = planDenseNet(config).flopsPerImage;
  const slowStepMs = options.slowStepMs ?? DEFAULT_SLOW_STEP_MS;
  const renderers = [await probeWebGpu(), probeWebGl()];
  const estimatedFlops = (backend: BackendName): number | null => {
    if (backend === 'cpu') return SLOW_BACKEND_FLOPS.cpu;
    const report = renderers.find((candidate) => candidate?.backend === backend);
    return report?.software ? SLOW_BACKEND_FLOPS.softwareGpu : null;
  };
  for (const backend of candidates) {
    const attempt = await tryBackend(backend);
    if (!attempt.ok) {
      skipped[backend] = attempt.reason;
      continue;
    }
    const batch = measurementBatch(flopsPerImage, batchSize, estimatedFlops(backend), slowStepMs);
    try {
      imagesPerSecond[backend] = await measureActiveBackend(config, batch, options);
    } catch (error) {
      skipped[backend] = {
        code: 'backend.measureFailed',
        params: { backend, detail: error instanceof Error ? error.message : String(error) },
      };
    }
  }

  let chosen: BackendName | null = null;
  for (const backend of candidates) {
    const rate = imagesPerSecond[backend];
    if (rate !== undefined && (chosen === null || rate > imagesPerSecond[chosen]!))
      chosen = backend;
  }
  if (chosen !== null && tf.getBackend() !== chosen) {
    const attempt = await tryBackend(chosen);
    if (!attempt.ok) chosen = null;
  }
  return { imagesPerSecond, chosen, skipped };
}
