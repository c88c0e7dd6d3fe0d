// Training throughput per backend in Chromium: the app's Trainer against a
// plain tf.layers model.fit build of the same network, for a tiny DenseNet
// and DenseNet-BC L=40 k=12.
//
//   npm run bench
//
// Builds bench/page into dist-bench (or BENCH_OUT_DIR) and serves it on
// localhost, because WebGPU needs a secure context. Opens Chromium with the
// WebGPU flags of playwright.config.ts and runs one row per backend x
// network x implementation, the two implementations alternating in ABBA
// order over BENCH_ROUNDS rounds. Each row gets a fresh page, so a slow row
// can be cut off.
// Prints first-step time, images/s of the following steps, peak tensor
// bytes, and the Trainer's figures as a ratio of the plain build's.
// Nothing passes or fails; figures vary with the machine and its load.
// The default run took about 10 minutes on a 2-core machine with
// SwiftShader; BENCH_NETWORKS=tiny takes about 4.
//
// A second part times wasm with one thread against one thread per logical
// core (up to tfjs-backend-wasm's 8), in a dedicated worker as the app
// trains: a 3x3 convolution alone and with its gradients, chains of small
// and large element-wise additions (a training step runs many small
// kernels), and training steps of DenseNet L=10 k=8 and L=40 k=12. The
// thread counts alternate in ABBA order so that load from other jobs hits
// both alike. Each row prints the load average and the CPU cores Chromium
// kept busy during the timed steps (CPU time over wall time, from /proc).
// It also prints the CPU seconds of each busy thread, which shows whether
// the work really ran on a second thread. This part took about 2 minutes
// on 2 cores.
//
// Environment:
//   BENCH_BACKENDS    comma list, default webgpu,webgl,wasm,cpu
//   BENCH_NETWORKS    comma list of network keys, default tiny,bc40; 'none'
//                     runs only the threads part
//   BENCH_STEPS       timed steps after the first (default per network)
//   BENCH_BATCH       batch size (default per network)
//   BENCH_ROUNDS      rounds of Trainer and fit rows, in ABBA order, default 2
//   BENCH_ROW_TIMEOUT_S  seconds before a row is cut off, default 150
//   BENCH_ALL=1       also run rows skipped by default (L=40 on cpu)
//   BENCH_THREAD_WORKLOADS  comma list for the threads part, default
//                     conv,conv-grads,add-small,add-large,l10k8,l40k12;
//                     'none' skips the part
//   BENCH_THREAD_ROUNDS  rounds of (1 thread, N threads), default 2
//   BENCH_SKIP_BUILD=1  reuse the build
//   BENCH_OUT_DIR     build folder, default dist-bench
//   BENCH_PORT        preview port, default 4310
//   BENCH_JSON=path   also write the results as JSON

import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---- what to measure: one line per backend, network or implementation ----

const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'];

const BASE_CONFIG = {
  layout: 'cifar',
  blockLayers: null,
  bottleneckWidth: 4,
  initialChannels: null,
  numClasses: 10,
  inputSize: 32,
  dropRate: 0,
};

const NETWORKS = {
  tiny: {
    label: 'DenseNet-BC L=10 k=4',
    config: { ...BASE_CONFIG, depth: 10, growthRate: 4, bottleneck: true, compression: 0.5 },
    batchSize: 16,
    steps: 4,
    skip: {},
  },
  bc40: {
    label: 'DenseNet-BC L=40 k=12',
    config: { ...BASE_CONFIG, depth: 40, growthRate: 12, bottleneck: true, compression: 0.5 },
    batchSize: 8,
    steps: 1,
    // The JavaScript CPU backend takes minutes per step here.
    skip: { cpu: 'minutes per step; BENCH_ALL=1 runs it' },
  },
};

/** Workloads of the threads part; a Trainer workload's `network` is a key of THREAD_NETWORKS. */
const THREAD_NETWORKS = {
  l10k8: {
    ...BASE_CONFIG,
    depth: 10,
    growthRate: 8,
    bottleneck: false,
    compression: 1,
  },
  l40k12: {
    ...BASE_CONFIG,
    depth: 40,
    growthRate: 12,
    bottleneck: false,
    compression: 1,
  },
};

const THREAD_WORKLOADS = {
  conv: {
    label: 'Conv2D 3x3, 64 -> 64 channels, 32x32, forward',
    implementation: 'conv2d-forward',
    batchSize: 16,
    convChannels: 64,
    steps: 20,
  },
  'conv-grads': {
    label: 'Conv2D 3x3, 64 -> 64 channels, 32x32, forward + input and filter gradients',
    implementation: 'conv2d-grads',
    batchSize: 16,
    convChannels: 64,
    steps: 10,
  },
  'add-small': {
    label: '100 chained additions of [16, 32, 32, 8] tensors (the size of an L=10 k=8 layer)',
    implementation: 'add-chain',
    batchSize: 16,
    convChannels: 8,
    steps: 10,
  },
  'add-large': {
    label: '100 chained additions of [16, 32, 32, 64] tensors',
    implementation: 'add-chain',
    batchSize: 16,
    convChannels: 64,
    steps: 5,
  },
  l10k8: {
    label: 'DenseNet L=10 k=8 Trainer step',
    implementation: 'trainer',
    network: 'l10k8',
    batchSize: 16,
    steps: 20,
  },
  l40k12: {
    label: 'DenseNet L=40 k=12 Trainer step',
    implementation: 'trainer',
    network: 'l40k12',
    batchSize: 16,
    steps: 3,
  },
};

const IMPLEMENTATIONS = [
  { key: 'trainer', label: 'Trainer' },
  { key: 'layers-fit', label: 'tf.layers fit' },
];

// ---- options ----

function listOption(name, fallback) {
  const value = process.env[name];
  return value
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : fallback;
}

function numberOption(name) {
  const value = process.env[name];
  if (value === undefined || value === '') return null;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    console.error(`${name} must be a whole number >= 0, got ${value}`);
    process.exit(2);
  }
  return number;
}

const backends = listOption('BENCH_BACKENDS', BACKENDS);
const networkKeys = listOption('BENCH_NETWORKS', Object.keys(NETWORKS)).filter(
  (key) => key !== 'none',
);
for (const key of networkKeys) {
  if (!NETWORKS[key]) {
    console.error(
      `unknown network '${key}' in BENCH_NETWORKS; known: ${Object.keys(NETWORKS).join(', ')}, none`,
    );
    process.exit(2);
  }
}
const threadWorkloadKeys = listOption(
  'BENCH_THREAD_WORKLOADS',
  Object.keys(THREAD_WORKLOADS),
).filter((key) => key !== 'none');
for (const key of threadWorkloadKeys) {
  if (!THREAD_WORKLOADS[key]) {
    console.error(
      `unknown workload '${key}' in BENCH_THREAD_WORKLOADS; known: ${Object.keys(THREAD_WORKLOADS).join(', ')}, none`,
    );
    process.exit(2);
  }
}
const threadRounds = numberOption('BENCH_THREAD_ROUNDS') ?? 2;
const rounds = Math.max(1, numberOption('BENCH_ROUNDS') ?? 2);
const outDir = path.resolve(root, process.env.BENCH_OUT_DIR || 'dist-bench');
const stepsOverride = numberOption('BENCH_STEPS');
const batchOverride = numberOption('BENCH_BATCH');
const rowTimeoutMs = (numberOption('BENCH_ROW_TIMEOUT_S') ?? 150) * 1000;
const runAll = process.env.BENCH_ALL === '1';
const port = numberOption('BENCH_PORT') ?? 4310;

const WEBGPU_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-vulkan-surface',
];

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    execFileSync('test', ['-x', chromium.executablePath()]);
    return undefined;
  } catch {
    return '/usr/bin/chromium';
  }
}

// ---- server ----

async function answers(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

async function startServer() {
  if (await answers(`http://localhost:${port}/`)) {
    throw new Error(`port ${port} is already in use; set BENCH_PORT to a free port`);
  }
  const server = spawn(
    'npx',
    [
      'vite',
      'preview',
      '--config',
      'bench/page/vite.config.ts',
      '--port',
      String(port),
      '--strictPort',
      '--bypass-lock',
      '--outDir',
      outDir,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  server.stdout.on('data', (chunk) => {
    output += chunk;
  });
  server.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && server.exitCode === null) {
    if (await answers(`http://localhost:${port}/`)) return server;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  process.kill(-server.pid);
  throw new Error(`the bench preview server did not start on port ${port}:\n${output}`);
}

// ---- CPU time ----

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Returns user + system clock ticks from the text of a /proc stat file. */
function statTicks(stat) {
  // Fields after the parenthesised command name: state, ppid, ... utime (14th), stime (15th).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { parent: fields[1], ticks: Number(fields[11]) + Number(fields[12]) };
}

/** Returns the pids of this process's live descendants: Chromium's processes and the preview server. */
function descendantPids() {
  const parentOf = new Map();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      parentOf.set(pid, statTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')).parent);
    } catch {
      // The process ended while the list was read.
    }
  }
  const self = String(process.pid);
  return [...parentOf.keys()].filter((pid) => {
    for (let ancestor = parentOf.get(pid); ancestor && ancestor !== '0'; ) {
      if (ancestor === self) return true;
      ancestor = parentOf.get(ancestor);
    }
    return false;
  });
}

/**
 * Samples the CPU seconds (user + system) that each thread of this
 * process's descendants has used so far, keyed by thread id. Returns null
 * where /proc is missing (not Linux).
 */
function sampleThreadCpu() {
  let pids;
  try {
    pids = descendantPids();
  } catch {
    return null;
  }
  const seconds = new Map();
  for (const pid of pids) {
    let tids;
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const { ticks } = statTicks(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
        seconds.set(tid, ticks / CLOCK_TICKS);
      } catch {
        // The thread ended while the list was read.
      }
    }
  }
  return seconds;
}

/**
 * Summarises CPU use between two samples over `wallSeconds`: `cpuCores` is
 * all threads' CPU time over wall time (2.0 = two cores busy throughout),
 * and `busyThreads` lists the CPU seconds of each thread that used at least
 * a quarter of what the busiest one used, busiest first.
 */
function summariseCpu(before, after, wallSeconds) {
  if (!before || !after || wallSeconds <= 0) return { cpuCores: null, busyThreads: null };
  const used = [...after].map(([tid, seconds]) => seconds - (before.get(tid) ?? 0));
  const total = used.reduce((sum, seconds) => sum + seconds, 0);
  const busiest = Math.max(0, ...used);
  const busyThreads = used
    .filter((seconds) => busiest > 0 && seconds >= busiest / 4)
    .sort((a, b) => b - a);
  return { cpuCores: total / wallSeconds, busyThreads };
}

// ---- rows ----

/**
 * Runs one spec in a fresh page and adds the CPU use of Chromium's threads
 * during the timed steps (see summariseCpu; null without /proc).
 */
async function runRow(browser, spec) {
  const page = await browser.newPage();
  const samples = {};
  await page.exposeFunction('benchPhase', (phase) => {
    samples[phase] = { threads: sampleThreadCpu(), wall: performance.now() / 1000 };
  });
  try {
    const result = await runSpec(page, spec);
    const start = samples['timed-start'];
    const end = samples['timed-end'];
    const cpu =
      start && end
        ? summariseCpu(start.threads, end.threads, end.wall - start.wall)
        : { cpuCores: null, busyThreads: null };
    return { ...result, ...cpu };
  } finally {
    await page.close().catch(() => undefined);
  }
}

/** Loads the page and runs `spec` there, cut off after rowTimeoutMs. */
async function runSpec(page, spec) {
  await page.goto(`http://localhost:${port}/`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
  const result = page.evaluate((request) => window.runBenchmark(request), spec);
  // Closing the page after a timeout rejects the evaluation; that outcome is already recorded.
  result.catch(() => undefined);
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(
      () => resolve({ ...spec, error: `timed out after ${rowTimeoutMs / 1000} s` }),
      rowTimeoutMs,
    );
  });
  try {
    return await Promise.race([result, timeout]);
  } finally {
    // A pending timer would keep Node running after the last row.
    clearTimeout(timer);
  }
}

function format(value, digits = 1) {
  if (value === null || value === undefined) return '-';
  return value >= 100 ? value.toFixed(0) : value.toFixed(digits);
}

function megabytes(bytes) {
  return bytes === null || bytes === undefined ? '-' : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * Pools the rows of one implementation: images/s over all their timed
 * steps together, and the median first-step time. Rows that failed count
 * for nothing.
 */
function pooled(rows, batchSize, steps) {
  const good = rows.filter(
    (row) => typeof row.imagesPerSecond === 'number' && row.imagesPerSecond > 0,
  );
  if (good.length === 0) return { imagesPerSecond: null, firstStepMs: null };
  const images = good.length * batchSize * steps;
  const seconds = good.reduce((sum, row) => sum + (batchSize * steps) / row.imagesPerSecond, 0);
  const firsts = good.map((row) => row.firstStepMs).sort((a, b) => a - b);
  return { imagesPerSecond: images / seconds, firstStepMs: firsts[Math.floor(firsts.length / 2)] };
}

function ratio(ours, theirs) {
  return ours && theirs ? `${(ours / theirs).toFixed(2)}x` : '-';
}

// ---- wasm threads: 1 thread against N ----

/** The size of tfjs-backend-wasm 4.22's pthread pool, and so the most threads it can use. */
const MAX_WASM_THREADS = 8;

function best(values) {
  const numbers = values.filter((value) => typeof value === 'number');
  return numbers.length > 0 ? Math.max(...numbers) : null;
}

/**
 * Times each thread workload on wasm in a dedicated worker, alternating one
 * thread and `maxThreads` in ABBA order, and prints each row with the load
 * average at its end and then the best figure of each thread count.
 */
async function runThreadComparison(browser, device, results) {
  const maxThreads = Math.min(MAX_WASM_THREADS, device.cores);
  console.log(
    `\nwasm threads, in a dedicated worker: 1 thread against ${maxThreads}, ${threadRounds} round(s) ` +
      `in ABBA order; page cross-origin isolated: ${device.crossOriginIsolated}`,
  );
  if (maxThreads < 2) {
    console.log('one logical core: no thread count to compare');
    return;
  }
  for (const key of threadWorkloadKeys) {
    const workload = THREAD_WORKLOADS[key];
    console.log(
      `\n${workload.label}, batch ${workload.batchSize}, first step + ${workload.steps} timed steps`,
    );
    console.log(
      `${'threads'.padEnd(8)}${'reported'.padStart(9)}${'first step'.padStart(12)}${'images/s'.padStart(10)}` +
        `${'CPU cores'.padStart(11)}${'load 1 min'.padStart(12)}   busy threads (CPU s), notes`,
    );
    const rates = { 1: [], [maxThreads]: [] };
    for (let round = 0; round < threadRounds; round++) {
      const order = round % 2 === 0 ? [1, maxThreads] : [maxThreads, 1];
      for (const threads of order) {
        const spec = {
          backend: 'wasm',
          implementation: workload.implementation,
          // The convolution and addition workloads ignore the network.
          config: THREAD_NETWORKS[workload.network ?? 'l10k8'],
          batchSize: workload.batchSize,
          steps: workload.steps,
          measurePeak: false,
          wasmThreads: threads,
          convChannels: workload.convChannels,
          host: 'worker',
        };
        const result = await runRow(browser, spec);
        const load = os.loadavg()[0];
        rates[threads].push(result.imagesPerSecond);
        results.push({
          part: 'wasm-threads',
          workload: key,
          label: workload.label,
          round,
          requestedThreads: threads,
          loadAverage: load,
          batchSize: workload.batchSize,
          steps: workload.steps,
          ...result,
        });
        const busy = result.busyThreads
          ? result.busyThreads.map((seconds) => seconds.toFixed(2)).join(' ')
          : '-';
        const notes = result.error
          ? `error: ${result.error}`
          : result.threads !== threads
            ? `requested ${threads}, backend reports ${result.threads}`
            : '';
        console.log(
          `${String(threads).padEnd(8)}${String(result.threads ?? '-').padStart(9)}` +
            `${`${format(result.firstStepMs, 0)} ms`.padStart(12)}${format(result.imagesPerSecond, 2).padStart(10)}` +
            `${(result.cpuCores === null ? '-' : result.cpuCores.toFixed(2)).padStart(11)}` +
            `${load.toFixed(2).padStart(12)}   ${busy}${notes ? `; ${notes}` : ''}`,
        );
      }
    }
    const single = best(rates[1]);
    const multi = best(rates[maxThreads]);
    console.log(
      `best: ${format(single, 2)} images/s on 1 thread, ${format(multi, 2)} on ${maxThreads}; ` +
        `${ratio(multi, single)} with ${maxThreads} threads`,
    );
  }
}

// ---- main ----

if (process.env.BENCH_SKIP_BUILD !== '1') {
  console.log(`building bench/page into ${path.relative(root, outDir)} ...`);
  execFileSync(
    'npx',
    [
      'vite',
      'build',
      '--config',
      'bench/page/vite.config.ts',
      '--outDir',
      outDir,
      '--logLevel',
      'warn',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}

const server = await startServer();
const browser = await chromium.launch({ executablePath: chromiumPath(), args: WEBGPU_ARGS });
const results = [];
try {
  const probe = await browser.newPage();
  await probe.goto(`http://localhost:${port}/`);
  await probe.waitForFunction(() => window.benchReady === true);
  const device = await probe.evaluate(() => window.describeDevice());
  await probe.close();
  console.log(
    `training bench ${new Date().toISOString()}: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ` +
      `${device.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? device.userAgent}, WebGPU adapter: ${device.webgpuAdapter ?? 'none'}`,
  );

  for (const key of networkKeys) {
    const network = NETWORKS[key];
    const batchSize = batchOverride ?? network.batchSize;
    const steps = stepsOverride ?? network.steps;
    console.log(`\n${network.label}, batch ${batchSize}, first step + ${steps} timed steps`);
    console.log(
      `${'backend'.padEnd(8)}${'implementation'.padEnd(16)}${'first step'.padStart(12)}${'images/s'.padStart(10)}` +
        `${'peak tensors'.padStart(14)}   notes`,
    );
    // Tensor bytes do not depend on the backend, so one backend's rows profile them (wasm when
    // selected: the fastest here without a GPU) and run first; the other rows reuse the figure.
    const peakBackend = ['wasm', 'cpu', 'webgl', 'webgpu'].find(
      (name) => backends.includes(name) && !network.skip[name],
    );
    const peaks = {};
    const ordered = peakBackend
      ? [peakBackend, ...backends.filter((name) => name !== peakBackend)]
      : backends;
    for (const backend of ordered) {
      const skipped = network.skip[backend];
      if (skipped && !runAll) {
        console.log(`${backend.padEnd(8)}${'(skipped)'.padEnd(16)}${''.padStart(36)}   ${skipped}`);
        continue;
      }
      // Rows alternate in ABBA order (Trainer, fit, fit, Trainer, ...) so that load from other
      // jobs falls on both implementations alike. Each implementation's figure pools its rows.
      const byImplementation = { trainer: [], 'layers-fit': [] };
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? IMPLEMENTATIONS : [...IMPLEMENTATIONS].reverse();
        for (const implementation of order) {
          const spec = {
            backend,
            implementation: implementation.key,
            config: network.config,
            batchSize,
            steps,
            measurePeak: round === 0 && (backend === peakBackend || peakBackend === undefined),
          };
          const result = await runRow(browser, spec);
          if (typeof result.peakBytes === 'number') peaks[implementation.key] = result.peakBytes;
          result.peakBytes ??= peaks[implementation.key] ?? null;
          byImplementation[implementation.key].push(result);
          results.push({ network: key, label: network.label, batchSize, steps, round, ...result });
          const notes = [
            rounds > 1 ? `round ${round + 1}` : '',
            result.error ? `error: ${result.error}` : '',
            backend === 'wasm' && !result.error ? `${result.threads} thread(s)` : '',
            `load ${os.loadavg()[0].toFixed(1)}`,
          ]
            .filter(Boolean)
            .join(', ');
          console.log(
            `${backend.padEnd(8)}${implementation.label.padEnd(16)}${`${format(result.firstStepMs, 0)} ms`.padStart(12)}` +
              `${format(result.imagesPerSecond, 2).padStart(10)}${megabytes(result.peakBytes).padStart(14)}   ${notes}`,
          );
        }
      }
      const ours = pooled(byImplementation.trainer, batchSize, steps);
      const theirs = pooled(byImplementation['layers-fit'], batchSize, steps);
      console.log(
        `${''.padEnd(8)}${'ratio'.padEnd(16)}${ratio(theirs.firstStepMs, ours.firstStepMs).padStart(12)}` +
          `${ratio(ours.imagesPerSecond, theirs.imagesPerSecond).padStart(10)}` +
          `${ratio(peaks['layers-fit'], peaks.trainer).padStart(14)}   Trainer vs tf.layers over ${rounds} round(s) (>1 = Trainer better)`,
      );
    }
  }

  if (backends.includes('wasm') && threadWorkloadKeys.length > 0) {
    await runThreadComparison(browser, device, results);
  }
} finally {
  await browser.close();
  try {
    process.kill(-server.pid);
  } catch {
    // Already gone.
  }
}

if (process.env.BENCH_JSON) {
  writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults written to ${process.env.BENCH_JSON}`);
}
