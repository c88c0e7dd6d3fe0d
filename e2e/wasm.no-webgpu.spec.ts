// WebAssembly training in Chromium without WebGPU (the `no-webgpu` project):
// forcing wasm trains on one thread per logical core, and a page served
// without the COOP and COEP headers (as a plain static host would) trains
// single-threaded and shows why.

import { expect, type Page, test } from '@playwright/test';
import { loadSubset } from './helpers';

const TINY = 'L=10&k=4&bottleneck=1&theta=0.5&batch=16&epochs=1&recipe=classroom&testHooks=1';

async function trainToEnd(page: Page): Promise<void> {
  await page.getByTestId('button-train').click();
  await expect(page.getByTestId('backend-label')).toHaveText('wasm', { timeout: 60_000 });
  await expect
    .poll(() => page.getByTestId('run-progress').first().getAttribute('data-run-state'), {
      timeout: 180_000,
    })
    .toBe('done');
  const losses = await page.evaluate(() => {
    type Store = { getState(): { runs: { steps: { loss: number }[] }[] } };
    const { store } = (window as unknown as { __playground: { store: Store } }).__playground;
    return store.getState().runs.flatMap((run) => run.steps.map((point) => point.loss));
  });
  expect(losses.length).toBeGreaterThan(0);
  expect(losses.every((loss) => Number.isFinite(loss))).toBe(true);
}

test.describe('wasm backend without WebGPU', () => {
  test('forced wasm trains on threads', async ({ page }) => {
    await loadSubset(page, `/?${TINY}&backend=wasm`);
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    await trainToEnd(page);
    await expect(page.getByTestId('backend-single-thread')).toHaveCount(0);
    // One thread per logical core, up to tfjs-backend-wasm's pool of 8.
    const threads = Math.min(8, await page.evaluate(() => navigator.hardwareConcurrency));
    if (threads > 1) {
      await expect(page.getByTestId('backend-threads')).toHaveText(`(${threads} threads)`);
    }
  });

  test('without cross-origin isolation wasm says it runs on one thread', async ({ page }) => {
    // Serve every response without COOP and COEP, as a static host that does not set them.
    await page.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
    const wasmBinaries: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('.wasm')) wasmBinaries.push(request.url());
    });
    await loadSubset(page, `/?${TINY}&backend=wasm`);
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);
    await trainToEnd(page);
    expect(wasmBinaries.some((url) => /tfjs-backend-wasm-simd[^/]*\.wasm$/.test(url))).toBe(true);
    expect(wasmBinaries.some((url) => url.includes('threaded'))).toBe(false);
    await expect(page.getByTestId('backend-single-thread')).toContainText(
      'Cross-Origin-Embedder-Policy: require-corp',
    );
    await expect(page.getByTestId('backend-threads')).toHaveCount(0);
    // The single-threaded build gets the fused multiply-add kernels too.
    await expect(page.getByTestId('backend-fma')).toHaveText('(SIMD with fused multiply-add)');
  });
});
