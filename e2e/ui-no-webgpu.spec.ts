// The playground in a Chromium without WebGPU (launched without the WebGPU
// flags): the backend label shows the fallback, the page explains why, and a tiny
// network still trains on the CIFAR-10 subset beside the project.

import { expect, test } from '@playwright/test';
import { attachScreenshot, loadTrainingData, lossPoints } from './helpers';

const TINY = 'L=7&k=4&bottleneck=0&theta=1&batch=8&epochs=1&backend=auto&train=80&test=40';

test('falls back from WebGPU and still trains', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  await page.goto(`/?${TINY}`);
  await loadTrainingData(page);
  await page.getByTestId('button-train').click();

  await expect(page.getByTestId('backend-label')).toHaveText(/^(webgl|wasm|cpu)$/, {
    timeout: 120_000,
  });
  // The page names the backend it fell back from (webgpu, or webgl when that runs on a software
  // renderer and WebAssembly is preferred) and explains why.
  await expect(page.getByTestId('backend-fallback')).toContainText(/Fell back from (webgpu|webgl)/);
  await expect(page.getByTestId('backend-fallback-reason')).not.toBeEmpty();
  // Every step of the chain is shown, including why WebGPU itself was passed over.
  await expect(page.getByTestId('backend-status')).toContainText(
    /This browser has no WebGPU|WebGPU is present but no GPU adapter/,
  );
  await expect.poll(() => lossPoints(page, 1), { timeout: 300_000 }).toBeGreaterThanOrEqual(3);
  await attachScreenshot(page, testInfo, 'fallback backend');
  // One epoch of 10 steps: the run finishes on its own.
  await expect(page.getByTestId('run-state')).toHaveText('Done', { timeout: 300_000 });
});
