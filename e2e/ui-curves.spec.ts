// Curves, evaluation views and feature-reuse colours, driven by worker events
// fed into the page's store (the `?testHooks` link exposes it). These check
// what the charts draw for exact inputs, such as non-finite losses, that a
// real training run cannot produce on demand. ui-training.spec.ts covers the
// same views with a real worker.

import { expect, type Page, test } from '@playwright/test';
import type { WorkerEvent } from '../src/training/protocol';
import { attachScreenshot, rawLossLine } from './helpers';

const TINY = 'L=7&k=4&bottleneck=0&theta=1&testHooks=1';

/** What `?testHooks` puts on window: the app store and the run factory. */
interface Hooks {
  store: {
    getState(): {
      nextRunId: number;
      config: unknown;
      settings: unknown;
      runs: { state: string }[];
      handleWorkerEvent(event: unknown): void;
    };
    setState(patch: Record<string, unknown>): void;
  };
  createRun(id: number, config: unknown, settings: unknown, colorIndex: number): { state: string };
}

/** Adds a run with the page's current config and returns its id. */
async function addRun(page: Page): Promise<number> {
  return page.evaluate(() => {
    const hooks = (window as unknown as { __playground: Hooks }).__playground;
    const state = hooks.store.getState();
    const id = state.nextRunId;
    const run = hooks.createRun(id, state.config, state.settings, state.runs.length);
    run.state = 'training';
    hooks.store.setState({ runs: [...state.runs, run], activeRunId: id, nextRunId: id + 1 });
    return id;
  });
}

async function send(page: Page, events: WorkerEvent[]): Promise<void> {
  await page.evaluate((list) => {
    const hooks = (window as unknown as { __playground: Hooks }).__playground;
    for (const event of list) hooks.store.getState().handleWorkerEvent(event);
  }, events);
}

function progress(runId: number, step: number, loss: number, learningRate = 0.002): WorkerEvent {
  return {
    type: 'progress',
    runId,
    step,
    epoch: 0,
    loss,
    accuracy: Math.min(1, step / 100),
    learningRate,
    imagesPerSecond: 80,
    etaSeconds: 120,
  };
}

test.beforeEach(async ({ page }) => {
  await page.goto(`/?${TINY}`);
  await expect(page.getByTestId('graph-edge')).toHaveCount(3);
});

test('non-finite losses are gaps, never drawn as numbers', async ({ page }) => {
  const runId = await addRun(page);
  const losses = Array.from({ length: 40 }, (_, i) => 2.3 - i * 0.02);
  losses[20] = Number.NaN;
  losses[21] = Number.POSITIVE_INFINITY;
  await send(
    page,
    losses.map((loss, i) => progress(runId, i + 1, loss)),
  );
  const line = rawLossLine(page, runId);
  await expect(line).toHaveAttribute('data-total-count', '40');
  await expect(line).toHaveAttribute('data-point-count', '38');
  await expect(page.locator(`[data-testid="loss-point"][data-run="${runId}"]`)).toHaveCount(38);
  const d = (await line.getAttribute('d')) ?? '';
  expect(d.match(/M/g)?.length).toBe(2);
  expect(d).not.toMatch(/NaN|Infinity/);

  // The readout names a non-finite value instead of plotting it.
  const box = (await page.getByTestId('chart-loss').boundingBox())!;
  await page.getByTestId('chart-loss').focus();
  for (let i = 0; i < 21; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('chart-loss-readout')).toContainText('step 21');
  await expect(page.getByTestId('chart-loss-readout')).toContainText('not a number (NaN)');
  expect(box.width).toBeGreaterThan(100);
});

test('ETA shows only while training', async ({ page }) => {
  const runId = await addRun(page);
  await send(page, [progress(runId, 1, 2.3)]);
  await expect(page.getByTestId('eta')).toContainText('2:00');
  await expect(page.getByTestId('images-per-second')).toHaveText('80 images/s');
  await send(page, [{ type: 'run-state', runId, state: 'done' }]);
  await expect(page.getByTestId('run-state')).toHaveText('Done');
  await expect(page.getByTestId('eta')).toHaveCount(0);
  // The rate stays on screen, marked as the last one measured.
  await expect(page.getByTestId('images-per-second')).toHaveText('last rate: 80 images/s');
});

test('new points are appended without redrawing the chart', async ({ page }) => {
  const runId = await addRun(page);
  await send(
    page,
    Array.from({ length: 11 }, (_, i) => progress(runId, i + 1, 2 - i * 0.01)),
  );
  const svg = page.getByTestId('chart-loss');
  const redraws = await svg.getAttribute('data-full-redraws');
  const before = (await rawLossLine(page, runId).getAttribute('d')) ?? '';
  // Steps 12-19 stay inside the x domain [0, 20] and the y domain: no axis or full redraw.
  for (let step = 12; step < 20; step++) await send(page, [progress(runId, step, 1.9)]);
  await expect(rawLossLine(page, runId)).toHaveAttribute('data-total-count', '19');
  expect(await svg.getAttribute('data-full-redraws')).toBe(redraws);
  const after = (await rawLossLine(page, runId).getAttribute('d')) ?? '';
  expect(after.startsWith(before)).toBe(true);
  expect(after.length).toBeGreaterThan(before.length);
});

test('long series are downsampled', async ({ page }) => {
  const runId = await addRun(page);
  await send(
    page,
    Array.from({ length: 5000 }, (_, i) => progress(runId, i + 1, 2 + Math.sin(i / 50))),
  );
  const line = rawLossLine(page, runId);
  await expect(line).toHaveAttribute('data-total-count', '5000');
  const drawn = Number(await line.getAttribute('data-point-count'));
  expect(drawn).toBeGreaterThan(300);
  expect(drawn).toBeLessThanOrEqual(602);
  expect(
    await page.locator(`[data-testid="loss-point"][data-run="${runId}"]`).count(),
  ).toBeLessThanOrEqual(302);
});

test('log scale, smoothing and learning rate', async ({ page }, testInfo) => {
  const runId = await addRun(page);
  await send(page, [
    ...Array.from({ length: 30 }, (_, i) =>
      progress(runId, i + 1, 3 * 0.9 ** i, i < 15 ? 0.1 : 0.01),
    ),
    progress(runId, 31, 0),
  ]);
  await expect(rawLossLine(page, runId)).toHaveAttribute('data-point-count', '31');
  await expect(
    page.locator(`[data-testid="chart-loss-line"][data-series="${runId}-loss-smooth"]`),
  ).toHaveCount(1);
  await page.getByTestId('input-log-scale').check();
  // log(0) cannot be drawn: the zero loss becomes a gap on the log scale.
  await expect(rawLossLine(page, runId)).toHaveAttribute('data-point-count', '30');
  const ticks = await page
    .locator('[data-testid="chart-loss"] .chart__axis--y .tick text')
    .allTextContents();
  expect(ticks.some((tick) => /^0\.0?1$|^1$|^10$/.test(tick))).toBe(true);
  await expect(
    page.locator(`[data-testid="chart-learningRate-line"][data-series="${runId}-lr"]`),
  ).toHaveAttribute('data-point-count', '31');
  await page.getByTestId('input-smoothing').fill('0');
  await expect(
    page.locator(`[data-testid="chart-loss-line"][data-series="${runId}-loss-smooth"]`),
  ).toHaveCount(0);
  await attachScreenshot(page, testInfo, 'curves on a log scale');
});

test('runs overlay, toggle and remove', async ({ page }) => {
  const first = await addRun(page);
  await send(
    page,
    Array.from({ length: 12 }, (_, i) => progress(first, i + 1, 2 - i * 0.05)),
  );
  await page.getByTestId('input-growthRate').fill('8');
  const second = await addRun(page);
  await send(
    page,
    Array.from({ length: 12 }, (_, i) => progress(second, i + 1, 2.2 - i * 0.03)),
  );

  await expect(page.getByTestId('run-item')).toHaveCount(2);
  await expect(page.getByTestId('run-item').nth(0)).toContainText('k=4');
  await expect(page.getByTestId('run-item').nth(1)).toContainText('k=8');
  await expect(rawLossLine(page, first)).toHaveCount(1);
  await expect(rawLossLine(page, second)).toHaveCount(1);
  const colours = [
    await rawLossLine(page, first).getAttribute('stroke'),
    await rawLossLine(page, second).getAttribute('stroke'),
  ];
  expect(colours[0]).not.toBe(colours[1]);

  await page.getByTestId('run-visible').nth(0).uncheck();
  await expect(rawLossLine(page, first)).toHaveCount(0);
  await page.getByTestId('run-visible').nth(0).check();
  await expect(rawLossLine(page, first)).toHaveCount(1);

  await page.getByTestId('run-remove').nth(1).click();
  await expect(page.getByTestId('run-item')).toHaveCount(1);
  await expect(rawLossLine(page, second)).toHaveCount(0);
});

test('epoch results fill the evaluation views and reuse colours', async ({ page }, testInfo) => {
  const runId = await addRun(page);
  const names = [
    'airplane',
    'automobile',
    'bird',
    'cat',
    'deer',
    'dog',
    'frog',
    'horse',
    'ship',
    'truck',
  ];
  const confusion = names.map((_, row) =>
    names.map((__, column) => (row === column ? 6 : row === (column + 1) % 10 ? 4 : 0)),
  );
  const rgba = Array.from({ length: 32 * 32 * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 7) % 256));
  await send(page, [
    {
      type: 'data-ready',
      requestId: 1,
      cacheId: null,
      dataset: 'cifar10',
      classNames: names,
      trainCount: 100,
      testCount: 100,
      trainClassCounts: new Array(10).fill(10),
      testClassCounts: new Array(10).fill(10),
      samples: [],
    },
    ...Array.from({ length: 10 }, (_, i) => progress(runId, i + 1, 2 - i * 0.05)),
  ]);
  await page.evaluate(
    ({ runId, confusion, rgba }) => {
      const hooks = (window as unknown as { __playground: Hooks }).__playground;
      hooks.store.getState().handleWorkerEvent({
        type: 'epoch',
        runId,
        epoch: 1,
        step: 10,
        testLoss: 1.5,
        testAccuracy: 0.6,
        perClassAccuracy: new Array(10).fill(0.6),
        confusion,
        predictions: [
          { index: 0, label: 3, predicted: 3, confidence: 0.9 },
          { index: 1, label: 1, predicted: 0, confidence: 0.4, rgba: new Uint8ClampedArray(rgba) },
          { index: 2, label: 2, predicted: 1, confidence: 0.8 },
        ],
        featureReuse: {
          blocks: [0, 1, 2].map((block) => ({
            block,
            weights: [[], [0.5]],
            transition: [0.2, 0.8],
          })),
        },
      });
    },
    { runId, confusion, rgba },
  );

  await expect(page.getByTestId('confusion-cell')).toHaveCount(100);
  await expect(page.getByTestId('per-class-row')).toHaveCount(10);
  const gallery = page.getByTestId('gallery-item');
  await expect(gallery).toHaveCount(3);
  // Misclassified first, the most confident mistake at the top.
  await expect(gallery.nth(0)).toContainText('true: bird');
  await expect(gallery.nth(1)).toContainText('true: automobile');
  await expect(gallery.nth(1).locator('canvas')).toHaveCount(1);
  await expect(gallery.nth(2)).toHaveAttribute('data-correct', 'true');
  await expect(page.getByTestId('live-region')).toContainText('epoch 1');
  await expect(page.getByTestId('live-region')).toContainText('60.0%');
  await expect(
    page.locator(`[data-testid="chart-loss-line"][data-series="${runId}-loss-test"]`),
  ).toHaveAttribute('data-point-count', '1');

  // Feature reuse: the trained architecture is on screen, so its edges take the matrix colours.
  await expect(page.getByTestId('reuse-heatmap')).toBeVisible();
  await expect(page.getByTestId('reuse-heatmap-block')).toHaveCount(3);
  await expect(page.locator('[data-testid="graph-edge"][data-reuse]')).toHaveCount(3);
  await expect(page.locator('[data-testid="graph-exit-edge"][data-reuse]')).toHaveCount(6);
  await expect(
    page.locator('[data-testid="graph-exit-edge"][data-source="1"]').first(),
  ).toHaveAttribute('data-reuse', '1.000');
  await attachScreenshot(page, testInfo, 'evaluation and feature reuse');

  // Another architecture on screen: the colours belong to the trained one and are removed.
  await page.getByTestId('input-growthRate').fill('6');
  await expect(page.locator('[data-testid="graph-edge"][data-reuse]')).toHaveCount(0);
  await expect(page.getByTestId('reuse-heatmap')).toHaveCount(0);
});

test('worker errors are shown translated and the curves stay', async ({ page }) => {
  const runId = await addRun(page);
  await send(page, [
    ...Array.from({ length: 10 }, (_, i) => progress(runId, i + 1, 2 - i * 0.05)),
    {
      type: 'run-error',
      runId,
      error: { code: 'run.outOfMemory', params: { backend: 'webgpu', batchSize: 512 } },
    },
  ]);
  await expect(page.getByTestId('run-error')).toContainText('512');
  await expect(page.getByTestId('run-state')).toHaveText('Failed');
  await expect(rawLossLine(page, runId)).toHaveAttribute('data-point-count', '10');
  await expect(page.getByTestId('images-per-second')).toHaveText('last rate: 80 images/s');
  await page.getByTestId('language-ko').click();
  await expect(page.getByTestId('run-error')).toContainText('512');
  await expect(page.getByTestId('run-error')).not.toContainText('ran out of memory');
  await expect(page.getByTestId('images-per-second')).toHaveText('마지막 속도: 초당 80장');

  // The browser's English text goes on its own labelled line, outside the Korean sentence.
  await send(page, [
    {
      type: 'run-error',
      runId,
      error: { code: 'run.failed', params: { backend: 'webgl', detail: 'Context lost' } },
    },
  ]);
  await expect(page.getByTestId('run-error')).toContainText(
    '오류로 학습이 멈췄습니다. 다른 백엔드나 더 작은 네트워크로 해 보세요.',
  );
  await expect(page.getByTestId('run-error').getByTestId('technical-detail')).toHaveText(
    '기술 정보: Context lost',
  );
  await expect(page.getByTestId('run-error')).not.toContainText('(Context lost)');
});
