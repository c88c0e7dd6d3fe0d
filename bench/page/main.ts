// The benchmark page's one entry point, `window.runBenchmark(spec)`: times
// training steps of one network on one backend with one implementation and
// returns plain numbers. bench/run.mjs drives it from Chromium.
//
// Implementations:
// - 'trainer': the app's Trainer, read back as the app's run loop does (at
//   most two steps in flight, loss and accuracy read asynchronously), with
//   on-device sampling and augmentation.
// - 'layers-fit': the same network from the same builder, compiled with
//   tf.train.momentum (Nesterov) and trained with model.fit on a
//   pre-standardised tensor, without augmentation, as a plain tf.layers app would.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { planDenseNet } from '../../src/densenet/plan';
import type { DenseNetConfig } from '../../src/densenet/types';
import { BYTES_PER_IMAGE, DeviceSplit } from '../../src/training/augment';
import { registerWasmTraining, tryBackend } from '../../src/training/backend';
import { buildModel } from '../../src/training/model';
import type { BackendName } from '../../src/training/protocol';
import { PAPER_RECIPE } from '../../src/training/recipes';
import { Trainer } from '../../src/training/trainer';
import { createWasmTrainingHook } from '../../src/training/wasm/hook';
import { bundledWasmPaths } from '../../src/training/wasm/paths';

registerWasmTraining(createWasmTrainingHook(bundledWasmPaths));

export type Implementation = 'trainer' | 'layers-fit';

export interface BenchSpec {
  backend: BackendName;
  implementation: Implementation;
  config: DenseNetConfig;
  batchSize: number;
  /** Timed steps after the first, separately timed one. */
  steps: number;
  /** Profiles one more step for peak tensor bytes (the same on every backend, so one row per network suffices). */
  measurePeak: boolean;
}

export interface BenchResult {
  backend: BackendName;
  implementation: Implementation;
  /** The first step, with shader compilation and kernel set-up. */
  firstStepMs: number | null;
  /** Mean of the timed steps after the first. */
  stepMs: number | null;
  imagesPerSecond: number | null;
  /** Peak bytes of live tensors during one step (tf.profile). */
  peakBytes: number | null;
  error: string | null;
}

/** Deterministic stand-in pixels: a step's cost does not depend on the values. */
function syntheticSplit(count: number, classes: number): DeviceSplit {
  const pixels = new Uint8Array(count * BYTES_PER_IMAGE);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  const labels = Array.from({ length: count }, (_, i) => i % classes);
  return DeviceSplit.upload(pixels, labels);
}

/**
 * Peak live-tensor bytes while `step` runs. tf.profile reads every kernel's
 * output back synchronously unless the backend has a timer, which would
 * distort WebGPU, so a no-op timer replaces it while profiling. Tensor byte
 * counts are the same on every backend.
 */
async function peakBytesOf(step: () => Promise<void>): Promise<number> {
  const engine = tf.engine() as unknown as { profiler: { backendTimer: unknown } };
  const original = engine.profiler.backendTimer;
  const checks = tf.env().getBool('CHECK_COMPUTATION_FOR_ERRORS');
  engine.profiler.backendTimer = {
    timerAvailable: () => true,
    time: (f: () => void) => {
      f();
      return Promise.resolve({ kernelMs: 0 });
    },
  };
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  try {
    const info = await tf.profile(step);
    return info.peakBytes;
  } finally {
    engine.profiler.backendTimer = original;
    tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', checks);
  }
}

async function benchTrainer(
  spec: BenchSpec,
): Promise<Omit<BenchResult, 'backend' | 'implementation' | 'error'>> {
  const train = syntheticSplit(spec.batchSize * 4, spec.config.numClasses);
  const settings = { ...PAPER_RECIPE, batchSize: spec.batchSize, epochs: 1000, seed: 1 };
  const trainer = new Trainer({ plan: planDenseNet(spec.config), settings, train, test: null });
  try {
    const readStep = async () => {
      const metrics = trainer.trainStep();
      await metrics.data();
      metrics.dispose();
    };
    let start = performance.now();
    await readStep();
    const firstStepMs = performance.now() - start;

    // As in the run loop: the next step is enqueued before the previous one's loss arrives.
    start = performance.now();
    const pending: Promise<void>[] = [];
    for (let step = 0; step < spec.steps; step++) {
      const metrics = trainer.trainStep();
      pending.push(metrics.data().then(() => metrics.dispose()));
      if (pending.length > 1) await pending.shift();
    }
    await Promise.all(pending);
    const stepMs = spec.steps > 0 ? (performance.now() - start) / spec.steps : null;
    const peakBytes = spec.measurePeak ? await peakBytesOf(readStep) : null;
    return {
      firstStepMs,
      stepMs,
      imagesPerSecond: stepMs ? (1000 * spec.batchSize) / stepMs : null,
      peakBytes,
    };
  } finally {
    trainer.dispose();
    train.dispose();
  }
}

async function benchLayersFit(
  spec: BenchSpec,
): Promise<Omit<BenchResult, 'backend' | 'implementation' | 'error'>> {
  const { batchSize, steps } = spec;
  const classes = spec.config.numClasses;
  const model = buildModel(planDenseNet(spec.config), { seed: 1, output: 'softmax' });
  model.compile({
    optimizer: tf.train.momentum(PAPER_RECIPE.learningRate, PAPER_RECIPE.momentum, true),
    loss: 'categoricalCrossentropy',
  });
  const count = batchSize * Math.max(1, steps);
  const xs = tf.randomNormal([count, 32, 32, 3]);
  const ys = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: count }, (_, i) => i % classes),
      'int32',
    ),
    classes,
  );
  const firstX = xs.slice(0, batchSize);
  const firstY = ys.slice(0, batchSize);
  try {
    const fitOne = async () => {
      await model.fit(firstX, firstY, { batchSize, epochs: 1, shuffle: false, verbose: 0 });
    };
    let start = performance.now();
    await fitOne();
    const firstStepMs = performance.now() - start;

    let stepMs: number | null = null;
    if (steps > 0) {
      start = performance.now();
      await model.fit(xs, ys, { batchSize, epochs: 1, shuffle: false, verbose: 0 });
      stepMs = (performance.now() - start) / steps;
    }
    const peakBytes = spec.measurePeak ? await peakBytesOf(fitOne) : null;
    return {
      firstStepMs,
      stepMs,
      imagesPerSecond: stepMs ? (1000 * batchSize) / stepMs : null,
      peakBytes,
    };
  } finally {
    tf.dispose([xs, ys, firstX, firstY]);
    model.optimizer.dispose();
    model.dispose();
  }
}

async function runBenchmark(spec: BenchSpec): Promise<BenchResult> {
  const base = { backend: spec.backend, implementation: spec.implementation };
  const attempt = await tryBackend(spec.backend);
  if (!attempt.ok) {
    return {
      ...base,
      firstStepMs: null,
      stepMs: null,
      imagesPerSecond: null,
      peakBytes: null,
      error: attempt.reason.code,
    };
  }
  try {
    const timing =
      spec.implementation === 'trainer' ? await benchTrainer(spec) : await benchLayersFit(spec);
    return { ...base, ...timing, error: null };
  } catch (error) {
    return {
      ...base,
      firstStepMs: null,
      stepMs: null,
      imagesPerSecond: null,
      peakBytes: null,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Describes the browser and its WebGPU adapter for the benchmark record. */
async function describeDevice(): Promise<{
  userAgent: string;
  webgpuAdapter: string | null;
  cores: number;
}> {
  type AdapterInfo = { vendor?: string; architecture?: string; description?: string };
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfo } | null> } })
    .gpu;
  const info = (await gpu?.requestAdapter())?.info;
  const webgpuAdapter = info
    ? [info.vendor, info.architecture, info.description].filter(Boolean).join(' ')
    : null;
  return { userAgent: navigator.userAgent, webgpuAdapter, cores: navigator.hardwareConcurrency };
}

Object.assign(window, { runBenchmark, describeDevice, benchReady: true });
