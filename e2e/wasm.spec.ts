// Training on WebAssembly in Chromium, where WebGPU runs on SwiftShader (a
// software renderer): 'auto' must prefer wasm and show the reason, wasm must load
// its threaded build because the preview server sends COOP and COEP, "measure" must
// show figures for every backend, and a longer wasm run on the real CIFAR-10
// subset must reach a test accuracy clearly above chance (10%).

import { expect, type Page, test } from '@playwright/test';
import { loadSubset } from './helpers';

/** DenseNet-BC L=10 k=4: a few milliseconds per image on wasm. */
const TINY = 'L=10&k=4&bottleneck=1&theta=0.5&batch=16&recipe=classroom&testHooks=1';

/** Training-loss points the page's store holds for its runs (needs `testHooks=1`), and how many are finite. */
async function lossCounts(page: Page): Promise<{ total: number; finite: number }> {
  return page.evaluate(() => {
    type Store = { getState(): { runs: { steps: { loss: number }[] }[] } };
    const { store } = (window as unknown as { __playground: { store: Store } }).__playground;
    const losses = store.getState().runs.flatMap((run) => run.steps.map((point) => point.loss));
    return { total: losses.length, finite: losses.filter((loss) => Number.isFinite(loss)).length };
  });
}

/** Returns the last test accuracy the run list shows, in percent, or NaN before the first epoch ends. */
async function testAccuracy(page: Page): Promise<number> {
  const label = page.getByTestId('run-test-accuracy').first();
  if ((await label.count()) === 0) return Number.NaN;
  const match = /([\d.]+)%/.exec((await label.textContent()) ?? '');
  return match ? Number(match[1]) : Number.NaN;
}

test.describe('wasm backend', () => {
  test('auto prefers wasm over SwiftShader, on threads, and trains', async ({ page }) => {
    // The worker may start the backend as soon as the page loads, so listen from the start.
    const wasmBinaries: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('.wasm')) wasmBinaries.push(request.url());
    });
    // 400 images, 2 epochs: 50 steps of 16.
    await loadSubset(page, `/?${TINY}&epochs=2&backend=auto`, 400, 40);
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);

    await page.getByTestId('button-train').click();
    await expect(page.getByTestId('backend-label')).toHaveText('wasm', { timeout: 60_000 });
    // Cross-origin isolated, so tfjs-backend-wasm loads its threaded build.
    expect(
      wasmBinaries.some((url) => /tfjs-backend-wasm-threaded-simd[^/]*\.wasm$/.test(url)),
    ).toBe(true);
    await expect(page.getByTestId('backend-fallback')).toContainText(
      'Fell back from webgpu to wasm',
    );
    await expect(page.getByTestId('backend-fallback-reason')).toContainText('software renderer');
    await expect(page.getByTestId('backend-fallback-reason')).toContainText(/swiftshader/i);
    await expect(page.getByTestId('backend-single-thread')).toHaveCount(0);
    // The worker requests one thread per logical core, up to 8: with fused multiply-adds,
    // XNNPACK keeps one and the convolution kernels' helpers take the rest. The count shown
    // is XNNPACK's threads plus the helpers that started.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const threads = Math.min(8, cores);
    if (threads > 1) {
      await expect(page.getByTestId('backend-threads')).toHaveText(`(${threads} threads)`);
    } else {
      await expect(page.getByTestId('backend-threads')).toHaveCount(0);
    }
    // Chromium runs WebAssembly relaxed SIMD, so the kernels' fused multiply-add build loads.
    await expect(page.getByTestId('backend-fma')).toHaveText('(SIMD with fused multiply-add)');
    await expect(page.getByTestId('backend-no-relaxed-simd')).toHaveCount(0);

    await expect
      .poll(() => page.getByTestId('run-progress').first().getAttribute('data-run-state'), {
        timeout: 180_000,
      })
      .toBe('done');
    // Progress points average the steps of each 100 ms, so fast steps give fewer points.
    const counts = await lossCounts(page);
    expect(counts.total).toBeGreaterThanOrEqual(5);
    expect(counts.finite).toBe(counts.total);
  });

  test('measure shows figures for each backend and picks the fastest', async ({ page }) => {
    await loadSubset(page, `/?${TINY}&epochs=1&backend=auto`, 100, 20);
    await page.getByTestId('button-measure-backends').click();
    // Until the figures arrive the button is disabled, so clicks do not queue measurements.
    await expect(page.getByTestId('button-measure-backends')).toBeDisabled();
    await expect(page.getByTestId('backend-measuring')).toHaveText(
      'Measuring each backend on this network…',
    );
    const list = page.getByTestId('backend-measurements');
    // WebGPU on SwiftShader compiles its shaders in the first step: allow minutes.
    await expect(list).toBeVisible({ timeout: 280_000 });
    await expect(page.getByTestId('backend-measuring')).toHaveCount(0);
    await expect(page.getByTestId('button-measure-backends')).toBeEnabled();
    const items = list.getByRole('listitem');
    const texts = await items.allTextContents();
    const names = texts.map((text) => text.split(':')[0]);
    // Every backend is listed; one that cannot run here says so instead of a figure.
    expect(names).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    for (const name of ['webgpu', 'wasm', 'cpu']) {
      expect(texts.find((text) => text.startsWith(`${name}:`))).toMatch(/\d/);
    }
    for (const text of texts) expect(text).toMatch(/\d|unavailable/);
    const chosen = texts.find((text) => text.includes('(fastest)'));
    expect(chosen).toBeDefined();
    const chosenName = chosen!.split(':')[0]!;
    await expect(page.getByTestId('backend-label')).toHaveText(chosenName);
  });

  test('a longer wasm run learns the real subset', async ({ page }) => {
    test.setTimeout(420_000);
    // DenseNet L=10 k=8 with Adam, 2,000 training images, 3 epochs of 125 steps.
    await loadSubset(
      page,
      '/?L=10&k=8&bottleneck=0&theta=1&batch=16&epochs=3&recipe=classroom&backend=wasm&testHooks=1',
      2000,
      500,
    );
    await page.getByTestId('button-train').click();
    await expect(page.getByTestId('backend-label')).toHaveText('wasm', { timeout: 60_000 });
    await expect
      .poll(() => testAccuracy(page), { timeout: 360_000, intervals: [5_000] })
      .toBeGreaterThan(25);
    const counts = await lossCounts(page);
    expect(counts.finite).toBe(counts.total);
  });
});
