// The training worker in Chromium with WebGPU on SwiftShader: a real run on
// the real CIFAR-10 subset, pause / step / resume, a lost GPU device, the
// device running out of memory, and a diverging run. Networks are tiny
// (DenseNet-BC L=10, k=4) and batches small because SwiftShader takes a good
// fraction of a second per step.

import { expect, type Page, test } from '@playwright/test';
import { loadSubset, rawLossLine } from './helpers';

/** DenseNet-BC L=10 k=4, batch 8, forced onto WebGPU (auto would prefer wasm over a software GPU). */
const TINY_WEBGPU =
  '/?L=10&k=4&bottleneck=1&theta=0.5&batch=8&epochs=2&recipe=classroom&backend=webgpu&testHooks=1';

/** Loss points the chart has received for the active run, and how many of them are finite. */
async function lossCounts(page: Page, runId?: number): Promise<{ total: number; finite: number }> {
  const line = rawLossLine(page, runId ?? (await activeRunId(page)));
  if ((await line.count()) === 0) return { total: 0, finite: 0 };
  return {
    total: Number(await line.getAttribute('data-total-count')),
    finite: Number(await line.getAttribute('data-finite-count')),
  };
}

async function runState(page: Page): Promise<string | null> {
  return page.getByTestId('run-progress').first().getAttribute('data-run-state');
}

/** Posts a request straight into the worker, as the page's channel would. */
async function postToWorker(page: Page, request: Record<string, unknown>): Promise<void> {
  const worker = page.workers().find((candidate) => candidate.url().includes('worker'));
  if (!worker) throw new Error(`no training worker among ${page.workers().map((w) => w.url())}`);
  await worker.evaluate((data) => {
    self.dispatchEvent(new MessageEvent('message', { data }));
  }, request);
}

/**
 * Collects what would show an unhandled failure: errors thrown or rejections
 * left unhandled in the page, and errors logged by the page or the training
 * worker (whose 'unhandledrejection' handler logs "unexpected error").
 */
function watchForUnhandledErrors(page: Page): { errors: string[]; gpuErrors: string[] } {
  const errors: string[] = [];
  const gpuErrors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`page console: ${message.text()}`);
  });
  page.on('worker', (worker) => {
    worker.on('console', (message) => {
      if (message.type() === 'error') errors.push(`worker console: ${message.text()}`);
      if (/^WebGPU GPU\w+Error/.test(message.text())) gpuErrors.push(message.text());
    });
  });
  return { errors, gpuErrors };
}

async function activeRunId(page: Page): Promise<number> {
  return page.evaluate(() => {
    const hooks = (
      window as unknown as { __playground: { store: { getState(): { activeRunId: number } } } }
    ).__playground;
    return hooks.store.getState().activeRunId;
  });
}

/** Waits until the active run has drawn at least `points` loss points. */
async function waitForPoints(page: Page, points: number): Promise<void> {
  await expect
    .poll(async () => (await lossCounts(page)).total, { timeout: 240_000 })
    .toBeGreaterThanOrEqual(points);
}

/**
 * Selects `backend`, waits until the worker uses it, starts a new run and
 * waits for its first `points` loss points. Returns the new run's id.
 */
async function trainAgainOn(page: Page, backend: string, points: number): Promise<number> {
  await page.getByTestId('input-backend').selectOption(backend);
  await expect(page.getByTestId('backend-label')).toHaveText(backend, { timeout: 60_000 });
  const previousRun = await activeRunId(page);
  await page.getByTestId('button-train').click();
  await expect.poll(() => activeRunId(page)).not.toBe(previousRun);
  await waitForPoints(page, points);
  return activeRunId(page);
}

test.describe('training worker', () => {
  test('trains on WebGPU and draws finite loss points', async ({ page }) => {
    await loadSubset(page, TINY_WEBGPU);
    await page.getByTestId('button-train').click();
    await expect(page.getByTestId('backend-label')).toHaveText('webgpu');
    await expect
      .poll(async () => (await lossCounts(page)).total, { timeout: 240_000 })
      .toBeGreaterThanOrEqual(10);
    const counts = await lossCounts(page);
    expect(counts.finite).toBe(counts.total);
    await expect(page.getByTestId('images-per-second')).toBeVisible();
    await page.getByTestId('button-stop').click();
    await expect.poll(() => runState(page)).toBe('stopped');
  });

  test('pauses, steps one batch and resumes', async ({ page }) => {
    await loadSubset(page, TINY_WEBGPU);
    await page.getByTestId('button-train').click();
    await expect
      .poll(async () => (await lossCounts(page)).total, { timeout: 240_000 })
      .toBeGreaterThanOrEqual(3);

    await page.getByTestId('button-pause').click();
    await expect.poll(() => runState(page)).toBe('paused');
    const paused = (await lossCounts(page)).total;
    await page.waitForTimeout(3000);
    expect((await lossCounts(page)).total).toBe(paused);
    const stepText = await page.getByTestId('run-step').textContent();

    await page.getByTestId('button-step').click();
    await expect
      .poll(async () => (await lossCounts(page)).total, { timeout: 60_000 })
      .toBe(paused + 1);
    await expect(page.getByTestId('run-step')).not.toHaveText(stepText ?? '');
    await page.waitForTimeout(2000);
    expect((await lossCounts(page)).total).toBe(paused + 1);
    expect(await runState(page)).toBe('paused');

    await page.getByTestId('button-resume').click();
    await expect.poll(() => runState(page)).toBe('training');
    await expect
      .poll(async () => (await lossCounts(page)).total, { timeout: 120_000 })
      .toBeGreaterThan(paused + 2);
    await page.getByTestId('button-stop').click();
    await expect.poll(() => runState(page)).toBe('stopped');
  });

  test('reports a lost GPU device and trains again on another backend', async ({ page }) => {
    await loadSubset(page, TINY_WEBGPU);
    await page.getByTestId('button-train').click();
    await expect(page.getByTestId('backend-label')).toHaveText('webgpu');
    await waitForPoints(page, 2);

    await postToWorker(page, { type: 'debug-lose-device', runId: await activeRunId(page) });
    await expect.poll(() => runState(page), { timeout: 60_000 }).toBe('failed');
    await expect(page.getByTestId('run-error')).toContainText('GPU device was lost');
    const kept = (await lossCounts(page)).total;
    expect(kept).toBeGreaterThanOrEqual(2);

    // Restart on the CPU backend: the first run's curve stays, a new one grows.
    const firstRun = await activeRunId(page);
    await trainAgainOn(page, 'cpu', 1);
    expect((await lossCounts(page, firstRun)).total).toBe(kept);
    await page.getByTestId('button-stop').click();
    await expect.poll(() => runState(page)).toBe('stopped');

    // WebGPU itself works again: the worker requests a new device from the browser.
    await trainAgainOn(page, 'webgpu', 2);
    await page.getByTestId('button-stop').click();
  });

  test('stops when the GPU runs out of memory', async ({ page }) => {
    const seen = watchForUnhandledErrors(page);
    await loadSubset(page, TINY_WEBGPU);
    await page.getByTestId('button-train').click();
    await expect(page.getByTestId('backend-label')).toHaveText('webgpu');
    await waitForPoints(page, 2);
    // Training itself makes the device report nothing.
    expect(seen.gpuErrors).toEqual([]);

    // The device reports a GPUOutOfMemoryError, as Dawn does when a buffer cannot be allocated.
    const oomRun = await activeRunId(page);
    const beforeOom = (await lossCounts(page)).total;
    await postToWorker(page, { type: 'debug-device-error', runId: oomRun, kind: 'out-of-memory' });
    await expect.poll(() => runState(page), { timeout: 60_000 }).toBe('failed');
    await expect(page.getByTestId('run-error')).toContainText(
      'The webgpu backend ran out of memory at batch size 8, so training stopped. The curves so far are kept. Try a smaller batch',
    );
    expect(seen.gpuErrors).toEqual(['WebGPU GPUOutOfMemoryError: test hook: allocation failed']);
    // A failed run left no model in the worker to save.
    await expect(page.getByTestId('button-save-model')).toBeDisabled();
    // At most the step being read back when the report came is drawn, and nothing after it.
    const oomCounts = await lossCounts(page, oomRun);
    expect(oomCounts.total).toBeGreaterThanOrEqual(beforeOom);
    expect(oomCounts.total).toBeLessThanOrEqual(beforeOom + 1);
    expect(oomCounts.finite).toBe(oomCounts.total);
    await page.waitForTimeout(2000);
    expect((await lossCounts(page, oomRun)).total).toBe(oomCounts.total);

    // Restart on the CPU backend: the first curve stays, a new one grows.
    await trainAgainOn(page, 'cpu', 2);
    const cpuCounts = await lossCounts(page);
    expect(cpuCounts.finite).toBe(cpuCounts.total);
    expect(await lossCounts(page, oomRun)).toEqual(oomCounts);
    await page.getByTestId('button-stop').click();
    await expect.poll(() => runState(page)).toBe('stopped');

    // Back on WebGPU, with a new backend instance, the device itself rejects a
    // tensor larger than its maxBufferSize. The run stops the same way.
    const oversizeRun = await trainAgainOn(page, 'webgpu', 2);
    const beforeOversize = (await lossCounts(page)).total;
    await postToWorker(page, {
      type: 'debug-device-error',
      runId: oversizeRun,
      kind: 'oversize-tensor',
    });
    await expect.poll(() => runState(page), { timeout: 60_000 }).toBe('failed');
    await expect(page.getByTestId('run-error')).toContainText(
      'The webgpu backend ran out of memory at batch size 8',
    );
    expect(seen.gpuErrors[1]).toMatch(/^WebGPU GPUValidationError: Buffer size \(\d+\) exceeds/);
    const oversizeCounts = await lossCounts(page, oversizeRun);
    expect(oversizeCounts.total).toBeGreaterThanOrEqual(beforeOversize);
    expect(oversizeCounts.total).toBeLessThanOrEqual(beforeOversize + 1);
    expect(oversizeCounts.finite).toBe(oversizeCounts.total);
    expect(await lossCounts(page, oomRun)).toEqual(oomCounts);

    expect(seen.errors).toEqual([]);
  });

  test('ends a diverging run in the diverged state without a non-finite point', async ({
    page,
  }) => {
    await loadSubset(page, `${TINY_WEBGPU}&lr=10`);
    await page.getByTestId('button-train').click();
    await expect.poll(() => runState(page), { timeout: 240_000 }).toBe('diverged');
    await expect(page.getByTestId('run-error')).toContainText('diverged');
    const counts = await lossCounts(page);
    expect(counts.finite).toBe(counts.total);
    const markers = page.locator(
      `[data-testid="loss-point"][data-run="${await activeRunId(page)}"]`,
    );
    for (const cy of await markers.evaluateAll((circles) =>
      circles.map((c) => c.getAttribute('cy')),
    )) {
      expect(Number.isFinite(Number(cy))).toBe(true);
    }
  });
});
