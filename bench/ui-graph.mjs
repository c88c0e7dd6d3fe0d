// Browser benchmark of the playground's main thread, in Chromium:
//   1. graph: time to redraw the connectivity graph after an architecture
//      change (preset menu), for DenseNet-BC L=250 k=24 (2,583 connections),
//      DenseNet-264 (3,355) and smaller networks. "draw" times the graph's own
//      drawing code (performance.measure 'graph-draw'). "frame" runs from the
//      change event to the next frame, after React, drawing, style, layout
//      and paint.
//   2. training: the main thread while a small network (L=10, k=8, batch 16)
//      trains in the worker on the CIFAR-10 subset beside the project
//      (../shared/data/cifar10), on wasm and on WebGPU (SwiftShader), each
//      for --seconds (40) after its first loss point. It counts tasks over
//      50 ms (PerformanceObserver 'longtask') and long animation frames
//      ('long-animation-frame'), whose scripts name the app's functions. A
//      Chromium trace of the same window gives each long task's CPU time
//      beside its wall time and splits it into our scripts, other scripts,
//      garbage collection, style and layout, paint and the compositor commit.
//      "Our code" is the app's bundle: our modules with React, zustand and D3.
// It prints figures and never fails on a time. Run alone with
// `node bench/ui-graph.mjs [--url http://localhost:PORT/ --out-dir DIR]
// [--graph-only | --training-only] [--backends wasm,webgpu] [--seconds 40]
// [--no-trace] [--json FILE]`, or import `benchUiGraph` from another bench
// script. Without --url it builds the app (with hidden source maps, to name
// functions) into dist-bench-ui and serves it with `vite preview` on port
// 4323. --out-dir names the build behind --url, for the same purpose.
// UI_BENCH_TRACE_DIR=DIR keeps the traces there.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(root, '../shared/data/cifar10');

const commonArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const webgpuArgs = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-vulkan-surface',
];

const GRAPH_CASES = [
  { preset: 'densenet-bc-250-k24', label: 'DenseNet-BC L=250 k=24' },
  { preset: 'densenet-264', label: 'DenseNet-264' },
  { preset: 'densenet-121', label: 'DenseNet-121' },
  { preset: 'densenet-bc-100-k12', label: 'DenseNet-BC L=100 k=12' },
];

function executablePath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // No bundled browser for this Playwright version.
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function startServer(port) {
  const outDir = 'dist-bench-ui';
  const build = spawnSync('npx', ['vite', 'build', '--outDir', outDir, '--sourcemap', 'hidden'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error(`vite build failed with status ${build.status}`);
  const server = spawn(
    'npx',
    [
      'vite',
      'preview',
      '--bypass-lock',
      '--outDir',
      outDir,
      '--port',
      String(port),
      '--strictPort',
    ],
    {
      cwd: root,
      stdio: 'ignore',
      detached: true,
    },
  );
  const url = `http://localhost:${port}/`;
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      const response = await fetch(url);
      if (response.ok) return { url, stop: () => process.kill(-server.pid) };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  process.kill(-server.pid);
  throw new Error(
    `vite preview did not respond on ${url} within 30 s; check that port ${port} is free`,
  );
}

async function benchGraph(page, repeats) {
  const results = [];
  for (const entry of GRAPH_CASES) {
    const draws = [];
    const frames = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      // Alternate with the default network so every sample is a real change.
      for (const preset of ['densenet-40-k12', entry.preset]) {
        const sample = await page.evaluate(async (id) => {
          const select = document.querySelector('[data-testid="input-preset"]');
          performance.clearMeasures('graph-draw');
          const started = performance.now();
          select.value = id;
          select.dispatchEvent(new Event('change', { bubbles: true }));
          await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
          const frame = performance.now() - started;
          const measure = performance.getEntriesByName('graph-draw').at(-1);
          const svg = document.querySelector('[data-testid="graph"]');
          return {
            frame,
            draw: measure ? measure.duration : Number.NaN,
            edges: Number(svg.getAttribute('data-edge-count')),
            drawn: document.querySelectorAll('[data-testid="graph-edge"]').length,
          };
        }, preset);
        if (preset === entry.preset) {
          draws.push(sample.draw);
          frames.push(sample.frame);
          entry.edges = sample.edges;
          entry.drawn = sample.drawn;
        }
      }
    }
    results.push({
      network: entry.label,
      connections: entry.edges,
      drawnPaths: entry.drawn,
      drawMedianMs: median(draws),
      drawMaxMs: Math.max(...draws),
      frameMedianMs: median(frames),
      frameMaxMs: Math.max(...frames),
    });
  }
  return results;
}

/** The network and run the training part uses, with `{backend}` filled in per backend. */
const TRAINING_LINK =
  'L=10&k=8&bottleneck=0&theta=1&batch=16&epochs=20&train=500&test=100&backend={backend}';

/** Backends the training part trains on, each in its own browser. */
const TRAINING_BACKENDS = ['wasm', 'webgpu'];

/** A long task or frame is one over this many milliseconds (the Long Tasks API's threshold). */
const LONG_MS = 50;

/**
 * Observers installed before the app's own scripts run: 'longtask' for every
 * main-thread task over 50 ms, and 'long-animation-frame' (Chromium 123+) for
 * frames over 50 ms with the scripts that ran in them.
 */
function observeMainThread() {
  window.__longTasks = [];
  window.__frames = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
  if (!PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) return;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.__frames.push({
        start: entry.startTime,
        duration: entry.duration,
        blockingDuration: entry.blockingDuration,
        renderStart: entry.renderStart,
        styleAndLayoutStart: entry.styleAndLayoutStart,
        scripts: entry.scripts.map((script) => ({
          start: script.startTime,
          duration: script.duration,
          forcedStyleAndLayout: script.forcedStyleAndLayoutDuration,
          invoker: script.invoker,
          invokerType: script.invokerType,
          sourceURL: script.sourceURL,
          sourceFunctionName: script.sourceFunctionName,
          sourceCharPosition: script.sourceCharPosition,
        })),
      });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
}

/**
 * Returns a function that maps a position in a built script (a 1-based line
 * and a 0-based column, or a character offset) to its source file and line,
 * using the build's hidden source maps. Returns null when the maps or the
 * source-map-js reader (a dependency of Vite) are missing, and the figures
 * then name the minified bundle.
 */
async function sourceLocator(outDir) {
  if (!outDir) return null;
  let SourceMapConsumer;
  try {
    ({ SourceMapConsumer } = await import('source-map-js'));
  } catch {
    return null;
  }
  const cache = new Map();
  const load = (file) => {
    if (cache.has(file)) return cache.get(file);
    let entry = null;
    const scriptPath = path.join(root, outDir, file);
    if (existsSync(scriptPath) && existsSync(`${scriptPath}.map`)) {
      const text = readFileSync(scriptPath, 'utf8');
      const lineStarts = [0];
      for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
      entry = {
        lineStarts,
        consumer: new SourceMapConsumer(JSON.parse(readFileSync(`${scriptPath}.map`, 'utf8'))),
      };
    }
    cache.set(file, entry);
    return entry;
  };
  return (url, position) => {
    if (!url) return null;
    const entry = load(new URL(url).pathname.replace(/^\//, ''));
    if (!entry) return null;
    let { line, column } = position;
    if (position.offset !== undefined) {
      if (!(position.offset >= 0)) return null;
      line = 0;
      while (line + 1 < entry.lineStarts.length && entry.lineStarts[line + 1] <= position.offset) {
        line++;
      }
      column = position.offset - entry.lineStarts[line];
      line += 1;
    }
    const original = entry.consumer.originalPositionFor({ line, column });
    if (!original.source) return null;
    const source = original.source.replace(/^(\.\.\/)+/, '').replace(/^.*node_modules\//, '');
    return `${source}:${original.line}`;
  };
}

/** True for a script of the app's own bundle (React, zustand and D3 are bundled into it). */
function isOurScript(script, baseUrl) {
  return typeof script.sourceURL === 'string' && script.sourceURL.startsWith(baseUrl);
}

function scriptName(script, locate) {
  const where = locate?.(script.sourceURL, { offset: script.sourceCharPosition });
  const file = script.sourceURL ? new URL(script.sourceURL).pathname.split('/').pop() : '';
  const name = script.sourceFunctionName || '(anonymous)';
  return `${script.invoker} -> ${name} @ ${where ?? `${file}:${script.sourceCharPosition}`}`;
}

/**
 * Splits each long task into our scripts, other scripts, rendering and the
 * rest (garbage collection, message deserialisation, browser work), using the
 * long animation frames that overlap it. Also picks out the frames with over
 * 50 ms of scripts in our bundle.
 */
export function attributeLongTasks({ longTasks, frames }, baseUrl, locate) {
  const scripts = frames.flatMap((frame) => frame.scripts);
  const tasks = longTasks.map((task) => {
    const end = task.start + task.duration;
    const overlap = (start, stop) => Math.max(0, Math.min(stop, end) - Math.max(start, task.start));
    let ours = 0;
    let otherScripts = 0;
    for (const script of scripts) {
      const time = overlap(script.start, script.start + script.duration);
      if (isOurScript(script, baseUrl)) ours += time;
      else otherScripts += time;
    }
    // The rendering phase, less the animation-frame callbacks in it, which count as scripts.
    let rendering = 0;
    for (const frame of frames) {
      if (!(frame.renderStart > 0)) continue;
      const frameEnd = frame.start + frame.duration;
      rendering += overlap(frame.renderStart, frameEnd);
      for (const script of frame.scripts) {
        const from = Math.max(script.start, frame.renderStart);
        const to = Math.min(script.start + script.duration, frameEnd);
        if (to > from) rendering -= overlap(from, to);
      }
    }
    const rest = Math.max(0, task.duration - ours - otherScripts - rendering);
    return { ...task, ours, otherScripts, rendering, rest };
  });

  const ourFrames = [];
  const byFunction = new Map();
  for (const frame of frames) {
    const own = frame.scripts.filter((script) => isOurScript(script, baseUrl));
    const ourTime = own.reduce((sum, script) => sum + script.duration, 0);
    for (const script of own) {
      const name = scriptName(script, locate);
      const total = byFunction.get(name) ?? { name, calls: 0, totalMs: 0, longestMs: 0 };
      total.calls += 1;
      total.totalMs += script.duration;
      total.longestMs = Math.max(total.longestMs, script.duration);
      byFunction.set(name, total);
    }
    if (ourTime > LONG_MS) ourFrames.push({ ...frame, ourTime });
  }
  const longestOwnScript = Math.max(
    0,
    ...scripts.filter((script) => isOurScript(script, baseUrl)).map((script) => script.duration),
  );
  return {
    tasks,
    ourFrames,
    longestOwnScript,
    topFunctions: [...byFunction.values()].sort((a, b) => b.totalMs - a.totalMs).slice(0, 5),
  };
}

/** Trace categories for the main thread's tasks (with CPU time), scripts, GC, style, layout, paint and commit. */
const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'];

const STYLE_LAYOUT = new Set(['UpdateLayoutTree', 'Layout', 'HitTest']);
const PAINT = new Set(['Paint', 'PrePaint', 'Layerize', 'PaintImage']);
const SCRIPT = new Set(['FunctionCall', 'EvaluateScript', 'v8.compile', 'v8.compileModule']);

/**
 * Splits every main-thread task over 50 ms in a Chromium trace into wall and
 * CPU time (the trace's thread clock). The wall time is split further by the
 * outermost events inside the task: our scripts, other scripts, garbage
 * collection outside scripts, style and layout, paint, and the commit to the
 * compositor. A task whose CPU time is far below its wall time spent most of
 * it waiting for a core.
 */
export function traceLongTasks(traceEvents, baseUrl, locate) {
  const names = new Map();
  for (const event of traceEvents) {
    if (event.ph === 'M' && event.name === 'thread_name') {
      names.set(`${event.pid}:${event.tid}`, event.args.name);
    }
  }
  // The page's main thread: the renderer main thread that ran the most of our scripts.
  const ours = (event) => String(event.args?.data?.url ?? '').startsWith(baseUrl);
  const counts = new Map();
  for (const event of traceEvents) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.name === 'FunctionCall' && names.get(thread) === 'CrRendererMain' && ours(event)) {
      counts.set(thread, (counts.get(thread) ?? 0) + 1);
    }
  }
  const main = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!main) return null;

  const events = traceEvents
    .filter((event) => event.ph === 'X' && `${event.pid}:${event.tid}` === main)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const tasks = events.filter((event) => event.name === 'ThreadControllerImpl::RunTask');
  // CPU time of the whole window: every task, and the outermost calls into our bundle, also
  // per task to find the task in which our scripts used the most CPU.
  let mainCpu = 0;
  for (const task of tasks) mainCpu += (task.tdur ?? 0) / 1000;
  let ourCpu = 0;
  let callsUntil = 0;
  let current = null;
  const heaviest = { cpu: 0, wall: 0, taskWall: 0 };
  const perTask = { cpu: 0, wall: 0 };
  const closeTask = () => {
    if (current && perTask.cpu > heaviest.cpu) {
      Object.assign(heaviest, { ...perTask, taskWall: current.dur / 1000 });
    }
    perTask.cpu = 0;
    perTask.wall = 0;
  };
  for (const event of events) {
    if (event.name === 'ThreadControllerImpl::RunTask' && event.ts >= callsUntil) {
      closeTask();
      current = event;
      continue;
    }
    if (event.name !== 'FunctionCall' || event.ts < callsUntil || !ours(event)) continue;
    ourCpu += (event.tdur ?? 0) / 1000;
    perTask.cpu += (event.tdur ?? 0) / 1000;
    perTask.wall += event.dur / 1000;
    callsUntil = event.ts + event.dur;
  }
  closeTask();
  const span = tasks.length > 0 ? (tasks.at(-1).ts + tasks.at(-1).dur - tasks[0].ts) / 1000 : 0;

  const result = [];
  let index = 0;
  for (const task of tasks) {
    if (task.dur <= LONG_MS * 1000) continue;
    const end = task.ts + task.dur;
    while (index < events.length && events[index].ts < task.ts) index++;
    const parts = {
      ours: 0,
      oursCpu: 0,
      otherScripts: 0,
      gc: 0,
      styleLayout: 0,
      paint: 0,
      commit: 0,
    };
    const functions = new Map();
    let coveredUntil = task.ts;
    for (let i = index; i < events.length && events[i].ts < end; i++) {
      const event = events[i];
      if (event === task || event.ts < coveredUntil) continue;
      let part = null;
      if (SCRIPT.has(event.name)) part = ours(event) ? 'ours' : 'otherScripts';
      else if (event.name === 'MinorGC' || event.name === 'MajorGC') part = 'gc';
      else if (STYLE_LAYOUT.has(event.name)) part = 'styleLayout';
      else if (PAINT.has(event.name)) part = 'paint';
      else if (event.name === 'Commit') part = 'commit';
      if (!part) continue;
      parts[part] += event.dur / 1000;
      coveredUntil = event.ts + event.dur;
      if (part === 'ours') {
        parts.oursCpu += (event.tdur ?? 0) / 1000;
        const data = event.args.data;
        const where =
          locate?.(data.url, { line: data.lineNumber, column: data.columnNumber }) ??
          `${data.url.split('/').pop()}:${data.lineNumber}:${data.columnNumber}`;
        const name = `${data.functionName || '(anonymous)'} @ ${where}`;
        functions.set(name, (functions.get(name) ?? 0) + event.dur / 1000);
      }
    }
    const wall = task.dur / 1000;
    const named = Object.values(parts).reduce((sum, value) => sum + value, 0) - parts.oursCpu;
    result.push({
      start: task.ts,
      wall,
      cpu: (task.tdur ?? 0) / 1000,
      ...parts,
      rest: Math.max(0, wall - named),
      functions: [...functions.entries()].sort((a, b) => b[1] - a[1]),
    });
  }
  return { longTasks: result, mainCpu, ourCpu, span, heaviest };
}

/** Maximum wait for the first loss point, because WebGPU on SwiftShader compiles its shaders first. */
const FIRST_POINT_TIMEOUT_MS = 150_000;

const lossPointCount = () =>
  Number(
    document
      .querySelector('[data-testid="chart-loss-line"][data-series$="loss-raw"]')
      ?.getAttribute('data-total-count') ?? 0,
  );

async function benchTraining(browser, baseUrl, backend, trainSeconds, locate, trace) {
  const train = path.join(dataDir, 'train.bin');
  const test = path.join(dataDir, 'test.bin');
  if (!existsSync(train) || !existsSync(test)) {
    return { backend, skipped: `CIFAR-10 files not found in ${dataDir}` };
  }
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.addInitScript(observeMainThread);
  try {
    await page.goto(`${baseUrl}?${TRAINING_LINK.replace('{backend}', backend)}`);
    await page.locator('[data-testid="dataset-files"]').setInputFiles([train, test]);
    await page.waitForFunction(
      () => !document.querySelector('[data-testid="button-train"]')?.hasAttribute('disabled'),
      null,
      { timeout: 120_000 },
    );

    // Count only what starts after Train is pressed.
    await page.evaluate(() => {
      window.__longTasks = [];
      window.__frames = [];
    });
    const load = os.loadavg()[0];
    if (trace) await browser.startTracing(undefined, { categories: TRACE_CATEGORIES });
    await page.locator('[data-testid="button-train"]').click();
    const clicked = Date.now();
    // The measured window runs from the click to trainSeconds after the first loss point.
    await page
      .waitForFunction(lossPointCount, null, { timeout: FIRST_POINT_TIMEOUT_MS, polling: 250 })
      .catch(() => {});
    const firstPoint = (Date.now() - clicked) / 1000;
    await page.waitForTimeout(trainSeconds * 1000);
    const points = await page.evaluate(lossPointCount);
    const result = await page.evaluate(() => ({
      longTasks: window.__longTasks,
      frames: window.__frames,
      epochs: document.querySelectorAll('[data-testid="test-loss-point"]').length,
      backend: document.querySelector('[data-testid="backend-label"]')?.textContent ?? '',
      error: document.querySelector('[data-testid="run-error"]')?.textContent ?? '',
    }));
    const seconds = (Date.now() - clicked) / 1000;
    const traceText = trace ? (await browser.stopTracing()).toString('utf8') : null;
    if (traceText && process.env.UI_BENCH_TRACE_DIR) {
      writeFileSync(
        path.join(process.env.UI_BENCH_TRACE_DIR, `ui-${backend}.trace.json`),
        traceText,
      );
    }
    const traced = traceText ? JSON.parse(traceText) : null;
    await page
      .locator('[data-testid="button-stop"]')
      .click({ timeout: 5000 })
      .catch(() => {});

    const attribution = attributeLongTasks(result, baseUrl, locate);
    const durations = result.longTasks.map((task) => task.duration);
    const tracedTasks = traced
      ? traceLongTasks(Array.isArray(traced) ? traced : traced.traceEvents, baseUrl, locate)
      : null;
    return {
      backend,
      backendLabel: result.backend,
      seconds: Math.round(seconds),
      firstPointSeconds: Math.round(firstPoint),
      tracedTasks,
      loadBefore: load,
      loadAfter: os.loadavg()[0],
      lossPoints: points,
      epochs: result.epochs,
      longTasks: durations.length,
      longestTaskMs: durations.length ? Math.max(...durations) : 0,
      frames: result.frames.length,
      ourFrames: attribution.ourFrames.length,
      longestOurFrameMs: Math.max(0, ...attribution.ourFrames.map((frame) => frame.ourTime)),
      longestOwnScriptMs: attribution.longestOwnScript,
      tasks: attribution.tasks,
      topFunctions: attribution.topFunctions,
      runError: result.error,
      raw: result,
    };
  } finally {
    await page.close();
  }
}

/**
 * Runs both parts and returns their figures. Options: `url` of a served build
 * (else one is built and served) and `outDir` of that build, for naming
 * source lines. `repeats` per graph case. `trainSeconds` per backend after
 * its first loss point, where 0 skips the training part. `backends` to train
 * on. `graph` false skips the graph part, and `trace` false trains without a
 * Chromium trace (and so without CPU times).
 */
export async function benchUiGraph({
  url,
  outDir,
  repeats = 5,
  trainSeconds = 40,
  backends = TRAINING_BACKENDS,
  graph: runGraph = true,
  trace = true,
  port = 4323,
} = {}) {
  const server = url ? { url, stop: () => {} } : await startServer(port);
  const builtDir = url ? outDir : 'dist-bench-ui';
  try {
    let graph = [];
    if (runGraph) {
      // The graph part runs without the WebGPU flags: they switch Chromium's compositor to
      // SwiftShader Vulkan, which slows painting far below what a machine with a GPU shows.
      const browser = await chromium.launch({ executablePath: executablePath(), args: commonArgs });
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
        await page.goto(server.url);
        await page.locator('[data-testid="graph-edge"]').first().waitFor();
        graph = await benchGraph(page, repeats);
      } finally {
        await browser.close();
      }
    }
    const training = [];
    if (trainSeconds > 0) {
      const locate = await sourceLocator(builtDir);
      for (const backend of backends) {
        // wasm trains in a browser without the WebGPU flags, like the graph part.
        const args = backend === 'webgpu' ? [...commonArgs, ...webgpuArgs] : commonArgs;
        const browser = await chromium.launch({ executablePath: executablePath(), args });
        try {
          training.push(
            await benchTraining(browser, server.url, backend, trainSeconds, locate, trace),
          );
        } finally {
          await browser.close();
        }
      }
    }
    return { graph, training };
  } finally {
    server.stop();
  }
}

const round = (value) => Math.round(value);

function printResults({ graph, training }) {
  if (graph.length > 0) {
    console.log('UI graph redraw after an architecture change (ms)');
    console.table(
      graph.map((row) => ({
        network: row.network,
        connections: row.connections,
        'paths drawn': row.drawnPaths,
        'draw median': row.drawMedianMs.toFixed(1),
        'draw max': row.drawMaxMs.toFixed(1),
        'frame median': row.frameMedianMs.toFixed(1),
        'frame max': row.frameMaxMs.toFixed(1),
      })),
    );
  }
  if (training.length === 0) return;
  console.log(
    `Main thread while the worker trains (tasks and frames over ${LONG_MS} ms; times in ms)`,
  );
  console.table(
    training.map((row) =>
      row.skipped
        ? { backend: row.backend, skipped: row.skipped }
        : {
            backend: row.backendLabel || row.backend,
            'first point s': row.firstPointSeconds,
            'window s': row.seconds,
            'load avg': `${row.loadBefore.toFixed(1)} -> ${row.loadAfter.toFixed(1)}`,
            'loss points': row.lossPoints,
            epochs: row.epochs,
            'long tasks': row.longTasks,
            longest: round(row.longestTaskMs),
            'long frames': row.frames,
            'frames, our scripts > 50': row.ourFrames,
            'longest script of ours': round(row.longestOwnScriptMs),
            error: row.runError,
          },
    ),
  );
  for (const row of training) {
    if (row.skipped) continue;
    const label = row.backendLabel || row.backend;
    const frames = `${row.ourFrames} long animation frames with over ${LONG_MS} ms of our scripts`;
    if (row.tracedTasks) {
      const { longTasks, mainCpu, ourCpu, span, heaviest } = row.tracedTasks;
      const byWall = longTasks.filter((task) => task.ours > LONG_MS);
      const byCpu = longTasks.filter((task) => task.oursCpu > LONG_MS);
      const longest = longTasks.reduce((best, task) => (task.ours > best.ours ? task : best), {
        ours: 0,
        oursCpu: 0,
      });
      console.log(
        `${label}: our code: ${byCpu.length} tasks with over ${LONG_MS} ms of CPU time in our scripts; ` +
          `${byWall.length} with over ${LONG_MS} ms of wall time in them (longest ${round(longest.ours)} ms, ` +
          `${round(longest.oursCpu)} ms of it on the CPU); ${frames}`,
      );
      console.log(
        `${label}: the task with the most CPU time in our scripts: ${heaviest.cpu.toFixed(1)} ms ` +
          `(${round(heaviest.wall)} ms wall; the whole task ${round(heaviest.taskWall)} ms wall)`,
      );
      const perSecond = (value) => (span > 0 ? ((value / span) * 1000).toFixed(0) : '?');
      console.log(
        `${label}: main-thread CPU ${perSecond(mainCpu)} ms per second, ${perSecond(ourCpu)} ms of it in our scripts ` +
          `(${round(span / 1000)} s traced)`,
      );
      if (longTasks.length > 0) {
        console.log(
          `${label}: traced long tasks: wall and CPU time, and the wall time of what ran in them`,
        );
        console.table(
          longTasks.map((task) => ({
            wall: round(task.wall),
            cpu: round(task.cpu),
            'our scripts': round(task.ours),
            'their cpu': round(task.oursCpu),
            'other scripts': round(task.otherScripts),
            gc: round(task.gc),
            'style/layout': round(task.styleLayout),
            paint: round(task.paint),
            commit: round(task.commit),
            rest: round(task.rest),
            'top script of ours': task.functions[0]?.[0] ?? '',
          })),
        );
      }
    } else {
      console.log(`${label}: our code: ${frames}`);
    }
    if (row.tasks.length > 0) {
      console.log(`${label}: long tasks split by long animation frames (ms)`);
      console.table(
        row.tasks.map((task) => ({
          duration: round(task.duration),
          'our scripts': round(task.ours),
          'other scripts': round(task.otherScripts),
          rendering: round(task.rendering),
          rest: round(task.rest),
        })),
      );
    }
    if (row.topFunctions.length > 0) {
      console.log(`${label}: our scripts in long animation frames, by total time (ms)`);
      console.table(
        row.topFunctions.map((entry) => ({
          script: entry.name,
          calls: entry.calls,
          total: round(entry.totalMs),
          longest: round(entry.longestMs),
        })),
      );
    }
  }
}

function argument(name) {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const graphOnly = process.argv.includes('--graph-only');
  const seconds = Number(argument('--seconds') ?? 40);
  const results = await benchUiGraph({
    url: argument('--url'),
    outDir: argument('--out-dir'),
    trainSeconds: graphOnly ? 0 : seconds,
    backends: argument('--backends')?.split(',') ?? TRAINING_BACKENDS,
    graph: !process.argv.includes('--training-only'),
    trace: !process.argv.includes('--no-trace'),
  });
  printResults(results);
  const json = argument('--json');
  if (json) writeFileSync(json, JSON.stringify(results, null, 1));
}

export { printResults as printUiGraphResults };
