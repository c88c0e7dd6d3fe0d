// Browser benchmark of the playground's main thread, in Chromium:
//   1. graph: time to redraw the connectivity graph after an architecture
//      change (preset menu), for DenseNet-BC L=250 k=24 (2,583 connections),
//      DenseNet-264 (3,355) and smaller networks. "draw" times the graph's own
//      drawing code (performance.measure 'graph-draw'). "frame" runs from the
//      change event to the next frame, after React, drawing, style, layout
//      and paint.
//   2. training: main-thread long tasks (over 50 ms, PerformanceObserver
//      'longtask') while a small network (L=10, k=8, batch 16) trains in the
//      worker on the CIFAR-10 subset beside the project (../shared/data/cifar10),
//      on the backend the worker chooses. A fast backend sends more progress
//      and epoch events, so it loads the main thread more.
// It prints figures and never fails on a time. Run alone with
// `node bench/ui-graph.mjs [--url http://localhost:PORT/] [--graph-only]`, or import
// `benchUiGraph` from another bench script. Without --url it builds the app
// into dist-bench-ui and serves it with `vite preview` on port 4323.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
  const build = spawnSync('npx', ['vite', 'build', '--outDir', outDir], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error(`vite build failed with status ${build.status}`);
  const server = spawn(
    'npx',
    ['vite', 'preview', '--outDir', outDir, '--port', String(port), '--strictPort'],
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

const TRAINING_LINK =
  'L=10&k=8&bottleneck=0&theta=1&batch=16&epochs=20&train=500&test=100&backend=auto';

async function benchTraining(page, baseUrl, trainSeconds) {
  if (trainSeconds <= 0) return { skipped: 'training part turned off (--graph-only)' };
  const train = path.join(dataDir, 'train.bin');
  const test = path.join(dataDir, 'test.bin');
  if (!existsSync(train) || !existsSync(test)) {
    return { skipped: `CIFAR-10 files not found in ${dataDir}` };
  }
  await page.goto(`${baseUrl}?${TRAINING_LINK}`);
  await page.locator('[data-testid="dataset-files"]').setInputFiles([train, test]);
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="button-train"]')?.hasAttribute('disabled'),
    null,
    { timeout: 120_000 },
  );

  // Count only the tasks that start after Train is pressed.
  await page.evaluate(() => {
    window.__longTasks = [];
  });
  await page.locator('[data-testid="button-train"]').click();
  const started = Date.now();
  await page.waitForTimeout(trainSeconds * 1000);
  const result = await page.evaluate(() => ({
    longTasks: window.__longTasks,
    points: Number(
      document
        .querySelector('[data-testid="chart-loss-line"][data-series$="loss-raw"]')
        ?.getAttribute('data-total-count') ?? 0,
    ),
    backend: document.querySelector('[data-testid="backend-label"]')?.textContent ?? '',
    error: document.querySelector('[data-testid="run-error"]')?.textContent ?? '',
  }));
  await page
    .locator('[data-testid="button-stop"]')
    .click({ timeout: 5000 })
    .catch(() => {});

  const durations = result.longTasks.map((task) => task.duration);
  return {
    seconds: Math.round((Date.now() - started) / 1000),
    backend: result.backend,
    lossPoints: result.points,
    longTasks: durations.length,
    longestTaskMs: durations.length ? Math.round(Math.max(...durations)) : 0,
    longTaskMs: durations.map((value) => Math.round(value)).join(' '),
    runError: result.error,
  };
}

async function newObservedPage(browser) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: 'longtask', buffered: true });
  });
  return page;
}

/**
 * Runs both parts and returns their figures. Options: `url` of a served build
 * (else one is built and served), `repeats` per graph case, `trainSeconds`.
 */
export async function benchUiGraph({ url, repeats = 5, trainSeconds = 40, port = 4323 } = {}) {
  const server = url ? { url, stop: () => {} } : await startServer(port);
  // The graph part runs without the WebGPU flags: they switch Chromium's compositor to
  // SwiftShader Vulkan, which slows painting far below what a machine with a GPU shows.
  const graphBrowser = await chromium.launch({
    executablePath: executablePath(),
    args: commonArgs,
  });
  const trainingBrowser = await chromium.launch({
    executablePath: executablePath(),
    args: [...commonArgs, ...webgpuArgs],
  });
  try {
    const graphPage = await newObservedPage(graphBrowser);
    await graphPage.goto(server.url);
    await graphPage.locator('[data-testid="graph-edge"]').first().waitFor();
    const graph = await benchGraph(graphPage, repeats);
    const training = await benchTraining(
      await newObservedPage(trainingBrowser),
      server.url,
      trainSeconds,
    );
    return { graph, training };
  } finally {
    await graphBrowser.close();
    await trainingBrowser.close();
    server.stop();
  }
}

function printResults({ graph, training }) {
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
  console.log('Main-thread long tasks (> 50 ms) while training in the worker');
  console.table([training]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const urlIndex = process.argv.indexOf('--url');
  const url = urlIndex > 0 ? process.argv[urlIndex + 1] : undefined;
  const trainSeconds = process.argv.includes('--graph-only') ? 0 : 40;
  printResults(await benchUiGraph({ url, trainSeconds }));
}

export { printResults as printUiGraphResults };
