// Training throughput on TF.js's `wasm` backend with our training kernels,
// beside `cpu`, for three DenseNets at batch 16, in Node:
//
//   node bench/wasm.mjs [--cpu-all] [--seconds N]
//
// Two builds per network: the app's own training step (Trainer: on-device
// augmentation, SGD with Nesterov momentum, weight decay) and a
// straightforward `tf.layers` DenseNet trained with model.fit, timed in
// alternating rounds so that load changes fall on both. When
// `python3` can import `torch`, the same networks are timed in PyTorch on
// the same cores and our figure is printed as a fraction of theirs.
//
// Node runs tfjs-backend-wasm single-threaded (its threaded build needs a
// browser with cross-origin isolation), so the wasm figures here are one
// thread; WebGL and WebGPU need a browser and are timed by the Chromium
// part of `npm run bench`. Node 20 runs WebAssembly relaxed SIMD only
// behind a flag, so the script restarts itself with it, as Chromium runs
// the kernels' fused multiply-add build by default. The Trainer is timed on
// both convolution routes: the direct kernels ('auto' with relaxed SIMD)
// and XNNPACK. Figures are images per second, higher is better;
// they vary with machine load, and nothing here passes or fails.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { tsImport } from 'tsx/esm/api';

// f32x4.relaxed_madd in one function: valid only where the engine runs relaxed SIMD.
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0,
  32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
]);
const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';
if (!WebAssembly.validate(RELAXED_SIMD_PROBE) && !process.execArgv.includes(RELAXED_FLAG)) {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, RELAXED_FLAG, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  process.exit(child.status ?? 1);
}

const args = process.argv.slice(2);
const cpuAll = args.includes('--cpu-all');
const secondsIndex = args.indexOf('--seconds');
const timedSeconds = secondsIndex >= 0 ? Number(args[secondsIndex + 1]) : 6;
if (!(timedSeconds > 0)) {
  console.error(`--seconds must be a positive number, got ${args[secondsIndex + 1]}`);
  process.exit(2);
}

const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-wasm');
const { defaultConfig } = await tsImport('../src/densenet/config.ts', import.meta.url);
const { planDenseNet } = await tsImport('../src/densenet/plan.ts', import.meta.url);
const { DeviceSplit, PIXELS_PER_IMAGE } = await tsImport(
  '../src/training/augment.ts',
  import.meta.url,
);
const { Trainer } = await tsImport('../src/training/trainer.ts', import.meta.url);
const { PAPER_RECIPE } = await tsImport('../src/training/recipes.ts', import.meta.url);
const { registerWasmTrainingKernels, setConvolutionRoute } = await tsImport(
  '../src/training/wasm/register.ts',
  import.meta.url,
);

const BATCH = 16;
/**
 * Alternating rounds per network and backend (odd, so the median is one
 * round's ratio). cpu gets one round: each round runs at least one step,
 * and a cpu step takes about 40 s.
 */
const ROUNDS = { wasm: 5, cpu: 1 };

/** The benchmarked networks, as in the DenseNet paper's CIFAR tables. */
const NETWORKS = [
  {
    name: 'DenseNet L=10 k=8',
    config: { growthRate: 8, depth: 10, bottleneck: false, compression: 1 },
  },
  {
    name: 'DenseNet-BC L=22 k=12',
    config: { growthRate: 12, depth: 22, bottleneck: true, compression: 0.5 },
  },
  {
    name: 'DenseNet L=40 k=12',
    config: { growthRate: 12, depth: 40, bottleneck: false, compression: 1 },
  },
];

function syntheticImages(count) {
  const pixels = new Uint8Array(count * PIXELS_PER_IMAGE * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  const labels = Array.from({ length: count }, (_, i) => i % 10);
  return { pixels, labels };
}

/**
 * Times training loops in alternating rounds (the order reversed every
 * other round), so that a change in the machine's load during the run falls
 * on all of them alike. Each loop runs one warm-up step first. Returns
 * images per second of each loop over all its rounds, and per loop the
 * median of the per-round ratios loops[0] / loop.
 */
async function timeInterleaved(loops, imagesPerStep, rounds) {
  for (const loop of loops) await loop.step();
  const totals = loops.map(() => ({ steps: 0, ms: 0 }));
  const ratios = loops.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = loops.map((_, index) => index);
    if (round % 2 === 1) order.reverse();
    const rates = [];
    for (const index of order) {
      const loop = loops[index];
      let steps = 0;
      const start = performance.now();
      do {
        await loop.step();
        steps += 1;
      } while (performance.now() - start < (timedSeconds * 1000) / rounds);
      const ms = performance.now() - start;
      totals[index].steps += steps;
      totals[index].ms += ms;
      rates[index] = steps / ms;
    }
    for (const [index, rate] of rates.entries()) ratios[index].push(rates[0] / rate);
  }
  const median = (values) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)];
  return {
    rates: totals.map(({ steps, ms }) => (steps * imagesPerStep * 1000) / ms),
    medianRatios: ratios.map(median),
  };
}

/** Wraps a training loop so that each of its steps runs on one convolution route. */
function onRoute(loop, route) {
  return {
    async step() {
      setConvolutionRoute(route);
      try {
        await loop.step();
      } finally {
        setConvolutionRoute('auto');
      }
    },
  };
}

/** Prepares the app's training step: Trainer with PAPER_RECIPE (SGD, Nesterov momentum, weight decay, augmentation). */
function prepareTrainer(config) {
  const { pixels, labels } = syntheticImages(BATCH * 4);
  const train = DeviceSplit.upload(pixels, labels);
  const settings = { ...PAPER_RECIPE, batchSize: BATCH, epochs: 1, augment: true, seed: 1 };
  const trainer = new Trainer({ plan: planDenseNet(config), settings, train, test: null });
  return {
    async step() {
      const metrics = trainer.trainStep();
      await metrics.data();
      metrics.dispose();
    },
    dispose() {
      trainer.dispose();
      train.dispose();
    },
  };
}

/** Builds a DenseNet as a tf.layers user would write it: Keras defaults and a softmax output, for model.fit. */
function straightforwardDenseNet({ growthRate: k, depth, bottleneck, compression }) {
  const layersPerBlock = (depth - 4) / (bottleneck ? 6 : 3);
  const bnRelu = (x) =>
    tf.layers.activation({ activation: 'relu' }).apply(tf.layers.batchNormalization().apply(x));
  const conv = (x, filters, size) =>
    tf.layers
      .conv2d({
        filters,
        kernelSize: size,
        padding: 'same',
        useBias: false,
        kernelInitializer: 'heNormal',
      })
      .apply(x);

  const input = tf.input({ shape: [32, 32, 3] });
  let x = conv(input, bottleneck && compression < 1 ? 2 * k : 16, 3);
  let channels = bottleneck && compression < 1 ? 2 * k : 16;
  for (let block = 0; block < 3; block++) {
    for (let layer = 0; layer < layersPerBlock; layer++) {
      let y = bnRelu(x);
      if (bottleneck) y = bnRelu(conv(y, 4 * k, 1));
      y = conv(y, k, 3);
      x = tf.layers.concatenate().apply([x, y]);
      channels += k;
    }
    if (block < 2) {
      channels = Math.floor(compression * channels);
      x = tf.layers
        .averagePooling2d({ poolSize: 2, strides: 2 })
        .apply(conv(bnRelu(x), channels, 1));
    }
  }

  x = tf.layers.globalAveragePooling2d({}).apply(bnRelu(x));
  const output = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(x);

  const model = tf.model({ inputs: input, outputs: output });
  model.compile({ optimizer: tf.train.momentum(0.1, 0.9, true), loss: 'categoricalCrossentropy' });
  return model;
}

/** Prepares model.fit on a straightforward tf.layers build, one batch per call. */
function prepareLayersFit(config) {
  const model = straightforwardDenseNet(config);
  const xs = tf.randomNormal([BATCH, 32, 32, 3]);
  const ys = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: BATCH }, (_, i) => i % 10),
      'int32',
    ),
    10,
  );
  return {
    async step() {
      await model.fit(xs, ys, { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0 });
    },
    dispose() {
      tf.dispose([xs, ys]);
      model.dispose();
    },
  };
}

/**
 * Python interpreters to try for torch, in order: the one on PATH, then
 * Debian's (`apt-get install python3-torch` puts torch there, for
 * /usr/bin/python3, which may differ from the python3 on PATH).
 */
const PYTHONS = ['python3', '/usr/bin/python3'];

/** Returns the first interpreter that imports torch and its torch version, or null. */
function findTorch() {
  for (const python of PYTHONS) {
    try {
      const version = execFileSync(python, ['-c', 'import torch; print(torch.__version__)'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      return { python, version };
    } catch {
      // Not installed there, or no torch: try the next one.
    }
  }
  return null;
}

/**
 * Times the networks in PyTorch on one thread and on every core when a
 * python3 has torch. Returns { version, python, byThreads: { [threads]:
 * images/s by network name } }, or null.
 */
function benchTorch() {
  const script = new URL('./wasm-torch.py', import.meta.url).pathname;
  const torch = findTorch();
  if (torch === null || !existsSync(script)) return null;
  const byThreads = {};
  for (const threads of new Set([1, os.availableParallelism()])) {
    const output = execFileSync(
      torch.python,
      [
        script,
        '--batch',
        String(BATCH),
        '--seconds',
        String(timedSeconds),
        '--threads',
        String(threads),
      ],
      { encoding: 'utf8' },
    );
    byThreads[threads] = JSON.parse(output);
  }
  return { ...torch, byThreads };
}

function format(value) {
  if (value === null || value === undefined) return '-';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

console.log(
  `wasm training bench: Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ` +
    `${os.availableParallelism()} cores, batch ${BATCH}, ~${timedSeconds} s timed per figure`,
);
console.log('Node: tfjs-backend-wasm runs single-threaded here; browsers with cross-origin');
console.log('isolation run it on threads. WebGL and WebGPU figures come from Chromium.');
console.log(
  `Relaxed SIMD: ${WebAssembly.validate(RELAXED_SIMD_PROBE) ? 'yes' : 'no'} ("trainer" runs the ` +
    "'auto' route, \"on XNNPACK\" forces the backend's own convolutions).\n",
);

registerWasmTrainingKernels();
const rows = [];
for (const network of NETWORKS) {
  const config = { ...defaultConfig(), ...network.config };
  const row = { network: network.name };
  for (const backend of ['wasm', 'cpu']) {
    // cpu takes about 40 s per step on L=10 and minutes on the others, so only --cpu-all times them.
    if (backend === 'cpu' && network.config.depth > 10 && !cpuAll) continue;
    await tf.setBackend(backend);
    const trainer = prepareTrainer(config);
    const fit = prepareLayersFit(config);
    try {
      const rounds = ROUNDS[backend];
      // The convolution route exists only on wasm.
      const loops =
        backend === 'wasm' ? [trainer, onRoute(trainer, 'xnnpack'), fit] : [trainer, fit];
      const { rates, medianRatios } = await timeInterleaved(loops, BATCH, rounds);
      const fitIndex = loops.length - 1;
      row[`${backend} trainer`] = rates[0];
      row[`${backend} layers.fit`] = rates[fitIndex];
      const onXnnpack =
        backend === 'wasm'
          ? `on XNNPACK ${format(rates[1]).padStart(7)} img/s (trainer / that ${medianRatios[1].toFixed(2)})   `
          : '';
      console.log(
        `${network.name.padEnd(22)} ${backend.padEnd(5)} trainer ${format(rates[0]).padStart(7)} img/s   ` +
          onXnnpack +
          `tf.layers fit ${format(rates[fitIndex]).padStart(7)} img/s (trainer / fit ${medianRatios[
            fitIndex
          ].toFixed(2)})   median of ${rounds} rounds, load ${os.loadavg()[0].toFixed(1)}`,
      );
    } finally {
      trainer.dispose();
      fit.dispose();
    }
  }
  rows.push(row);
}

const torch = benchTorch();
console.log('');
if (torch === null) {
  console.log(
    `PyTorch: not measured (neither ${PYTHONS.join(' nor ')} can import torch; on Debian, apt-get install python3-torch).`,
  );
} else {
  console.log(
    `PyTorch ${torch.version} (${torch.python}), same batch and networks, load ${os.loadavg()[0].toFixed(1)}:`,
  );
  for (const row of rows) {
    const ours = row['wasm trainer'];
    const parts = Object.entries(torch.byThreads).map(([threads, figures]) => {
      const theirs = figures[row.network];
      const share = theirs ? `${((100 * ours) / theirs).toFixed(0)}%` : '-';
      return `${threads} thread${threads === '1' ? '' : 's'} ${format(theirs)} img/s (wasm trainer on one thread = ${share})`;
    });
    console.log(`${row.network.padEnd(22)} PyTorch ${parts.join(', ')}`);
  }
}
if (!cpuAll) console.log('cpu beyond L=10 skipped (minutes per step); pass --cpu-all to time it.');
