// The benchmark itself, shared by the page (main.ts) and its worker
// (worker.ts): `runBenchmark(spec)` times training steps of one network, or
// one convolution, on one backend with one implementation and returns plain
// numbers.
//
// Implementations:
// - 'trainer': the app's Trainer, read back as the app's run loop does (at
//   most two steps in flight, loss and accuracy read asynchronously), with
//   on-device sampling and augmentation.
// - 'layers-fit': the same network from the same builder, compiled with
//   tf.train.momentum (Nesterov) and trained with model.fit on a
//   pre-standardised tensor, without augmentation, as a plain tf.layers app would.
// - 'conv2d-forward': one 3x3 same-padded convolution of a batch of 32x32
//   maps with `convChannels` channels in and out (on wasm, XNNPACK's Conv2D).
// - 'conv2d-grads': the same convolution with the gradients for its input
//   and filter, as in a training step.
// - 'add-chain': 100 element-wise additions of [batchSize, 32, 32,
//   convChannels] tensors, one after the other. A training step runs many
//   such small kernels.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { planDenseNet } from '../../src/densenet/plan';
import type { DenseNetConfig } from '../../src/densenet/types';
import { BYTES_PER_IMAGE, DeviceSplit } from '../../src/training/augment';
import { backendThreads, registerWasmTraining, tryBackend } from '../../src/training/backend';
import { buildModel } from '../../src/training/model';
import type { BackendName } from '../../src/training/protocol';
import { PAPER_RECIPE } from '../../src/training/recipes';
import { Trainer } from '../../src/training/trainer';
import { createWasmTrainingHook } from '../../src/training/wasm/hook';
import { bundledWasmPaths, startKernelHelper } from '../../src/training/wasm/paths';

export type Implementation =
  | 'trainer'
  | 'layers-fit'
  | 'conv2d-forward'
  | 'conv2d-grads'
  | 'add-chain';

export interface BenchSpec {
  backend: BackendName;
  implementation: Implementation;
  config: DenseNetConfig;
  batchSize: number;
  /** Timed steps after the first, separately timed one. */
  steps: number;
  /** Profiles one more step for peak tensor bytes (the same on every backend, so one row per network suffices). */
  measurePeak: boolean;
  /** Threads requested from the wasm backend; by default one per logical core, up to 8. */
  wasmThreads?: number;
  /** Channels in and out of the convolution workloads (default 64). */
  convChannels?: number;
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
  /** Threads the backend computes on (the wasm backend's own count), null when it did not start. */
  threads: number | null;
  crossOriginIsolated: boolean;
  error: string | null;
}

type Timing = Pick<BenchResult, 'firstStepMs' | 'stepMs' | 'imagesPerSecond' | 'peakBytes'>;

/** The timing of a benchmark that did not run. */
const NO_TIMING: Timing = {
  firstStepMs: null,
  stepMs: null,
  imagesPerSecond: null,
  peakBytes: null,
};

/** Builds a Timing, with images per second derived from the mean step time. */
function timingOf(
  batchSize: number,
  firstStepMs: number,
  stepMs: number | null,
  peakBytes: number | null,
): Timing {
  return {
    firstStepMs,
    stepMs,
    imagesPerSecond: stepMs ? (1000 * batchSize) / stepMs : null,
    peakBytes,
  };
}

/** The start and end of the timed steps, for a driver that samples CPU time over them. */
export type BenchPhase = 'timed-start' | 'timed-end';

/** Receives each BenchPhase; the benchmark waits for the returned promise before it goes on. */
export type PhaseListener = (phase: BenchPhase) => Promise<void>;

let phaseListener: PhaseListener | null = null;

async function markPhase(phase: BenchPhase): Promise<void> {
  if (phaseListener) await phaseListener(phase);
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

async function benchTrainer(spec: BenchSpec): Promise<Timing> {
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
    await markPhase('timed-start');
    start = performance.now();
    const pending: Promise<void>[] = [];
    for (let step = 0; step < spec.steps; step++) {
      const metrics = trainer.trainStep();
      pending.push(metrics.data().then(() => metrics.dispose()));
      if (pending.length > 1) await pending.shift();
    }
    await Promise.all(pending);
    const stepMs = spec.steps > 0 ? (performance.now() - start) / spec.steps : null;
    await markPhase('timed-end');
    const peakBytes = spec.measurePeak ? await peakBytesOf(readStep) : null;
    return timingOf(spec.batchSize, firstStepMs, stepMs, peakBytes);
  } finally {
    trainer.dispose();
    train.dispose();
  }
}

async function benchLayersFit(spec: BenchSpec): Promise<Timing> {
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
      await markPhase('timed-start');
      start = performance.now();
      await model.fit(xs, ys, { batchSize, epochs: 1, shuffle: false, verbose: 0 });
      stepMs = (performance.now() - start) / steps;
      await markPhase('timed-end');
    }
    const peakBytes = spec.measurePeak ? await peakBytesOf(fitOne) : null;
    return timingOf(batchSize, firstStepMs, stepMs, peakBytes);
  } finally {
    tf.dispose([xs, ys, firstX, firstY]);
    model.optimizer.dispose();
    model.dispose();
  }
}

/**
 * Times a 3x3 same-padded convolution of `batchSize` 32x32 maps, alone or
 * with the gradients for its input and filter. Each step reads its result
 * back, so steps do not overlap.
 */
async function benchConv2d(spec: BenchSpec, withGradients: boolean): Promise<Timing> {
  const channels = spec.convChannels ?? 64;
  const x = tf.randomNormal([spec.batchSize, 32, 32, channels]) as tf.Tensor4D;
  const filter = tf.randomNormal([3, 3, channels, channels], 0, 0.1) as tf.Tensor4D;
  const convolve = (input: tf.Tensor4D, weights: tf.Tensor4D) =>
    tf.conv2d(input, weights, 1, 'same').sum();
  const gradients = tf.grads(convolve as (...inputs: tf.Tensor[]) => tf.Tensor);
  const step = async () => {
    const outputs = withGradients ? gradients([x, filter]) : [tf.conv2d(x, filter, 1, 'same')];
    await Promise.all(outputs.map((output) => output.data()));
    tf.dispose(outputs);
  };
  try {
    return await timeSteps(spec, step, spec.measurePeak);
  } finally {
    tf.dispose([x, filter]);
  }
}

/**
 * Times one first step, then spec.steps steps between the timed-start and
 * timed-end phase marks, and the peak tensor bytes of one more step when
 * `measurePeak` is set.
 */
async function timeSteps(
  spec: BenchSpec,
  step: () => Promise<void>,
  measurePeak: boolean,
): Promise<Timing> {
  let start = performance.now();
  await step();
  const firstStepMs = performance.now() - start;

  await markPhase('timed-start');
  start = performance.now();
  for (let i = 0; i < spec.steps; i++) await step();
  const stepMs = spec.steps > 0 ? (performance.now() - start) / spec.steps : null;
  await markPhase('timed-end');
  const peakBytes = measurePeak ? await peakBytesOf(step) : null;
  return timingOf(spec.batchSize, firstStepMs, stepMs, peakBytes);
}

/** Number of additions in one 'add-chain' step. */
const ADD_CHAIN_LENGTH = 100;

/** Times chains of element-wise additions; each step reads its result back. */
async function benchAddChain(spec: BenchSpec): Promise<Timing> {
  const channels = spec.convChannels ?? 64;
  const a = tf.randomNormal([spec.batchSize, 32, 32, channels]);
  const b = tf.randomNormal([spec.batchSize, 32, 32, channels]);
  const step = async () => {
    const sum = tf.tidy(() => {
      let total = a;
      for (let i = 0; i < ADD_CHAIN_LENGTH; i++) total = tf.add(total, b);
      return total;
    });
    await sum.data();
    sum.dispose();
  };
  try {
    return await timeSteps(spec, step, false);
  } finally {
    tf.dispose([a, b]);
  }
}

function runImplementation(spec: BenchSpec): Promise<Timing> {
  switch (spec.implementation) {
    case 'trainer':
      return benchTrainer(spec);
    case 'layers-fit':
      return benchLayersFit(spec);
    case 'conv2d-forward':
      return benchConv2d(spec, false);
    case 'conv2d-grads':
      return benchConv2d(spec, true);
    case 'add-chain':
      return benchAddChain(spec);
  }
}

/**
 * Starts the backend, with `spec.wasmThreads` threads on wasm, and times the
 * implementation. `onPhase` is called when the timed steps start and end.
 */
export async function runBenchmark(
  spec: BenchSpec,
  onPhase: PhaseListener | null = null,
): Promise<BenchResult> {
  phaseListener = onPhase;
  registerWasmTraining(
    createWasmTrainingHook(
      bundledWasmPaths,
      spec.wasmThreads === undefined
        ? { helperWorker: startKernelHelper }
        : { threads: spec.wasmThreads, helperWorker: startKernelHelper },
    ),
  );
  const result = (timing: Timing, threads: number | null, error: string | null): BenchResult => ({
    backend: spec.backend,
    implementation: spec.implementation,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    ...timing,
    threads,
    error,
  });
  const attempt = await tryBackend(spec.backend);
  if (!attempt.ok) return result(NO_TIMING, null, attempt.reason.code);
  const threads = backendThreads(spec.backend);
  try {
    return result(await runImplementation(spec), threads, null);
  } catch (error) {
    return result(NO_TIMING, threads, error instanceof Error ? error.message : String(error));
  }
}
