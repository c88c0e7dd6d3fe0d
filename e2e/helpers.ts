// Helpers shared by the end-to-end specs: the real CIFAR-10 subset beside the
// project loaded through the file picker, full-page screenshots, and the loss
// chart's raw training-loss line.

import path from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';

/** The shared test data folder, resolved from the repository root where Playwright runs. */
export const SHARED_DATA = path.resolve(process.cwd(), '../shared/data');

const CIFAR10_FILES = ['train.bin', 'test.bin', 'batches.meta.txt'] as const;

/**
 * Picks the CIFAR-10 train and test batches in the dataset panel's file input,
 * with the class-name file unless `withMeta` is false.
 */
export async function pickCifar10Files(page: Page, { withMeta = true } = {}): Promise<void> {
  const names = withMeta ? CIFAR10_FILES : CIFAR10_FILES.slice(0, 2);
  await page
    .getByTestId('dataset-files')
    .setInputFiles(names.map((name) => path.join(SHARED_DATA, 'cifar10', name)));
}

/**
 * Opens `url`, sets the subset sizes, picks the CIFAR-10 files and waits until
 * the panel reports the 10 classes loaded.
 */
export async function loadSubset(page: Page, url: string, train = 200, test = 40): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('dataset-panel')).toBeVisible();
  await page.getByTestId('dataset-train-size').fill(String(train));
  await page.getByTestId('dataset-test-size').fill(String(test));
  await pickCifar10Files(page);
  await expect(page.getByTestId('dataset-status')).toHaveText('Loaded: 10 classes.');
}

/**
 * Picks train.bin and test.bin, without the class-name file, at the sizes the
 * page's link set, and waits until the Train button is enabled.
 */
export async function loadTrainingData(page: Page): Promise<void> {
  await pickCifar10Files(page, { withMeta: false });
  await expect(page.getByTestId('button-train')).toBeEnabled({ timeout: 120_000 });
}

export async function attachScreenshot(
  page: Page,
  testInfo: TestInfo,
  name: string,
): Promise<void> {
  await testInfo.attach(name, {
    body: await page.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });
}

/** Returns the raw training-loss line of run `runId` in the loss chart. */
export function rawLossLine(page: Page, runId: number) {
  return page.locator(`[data-testid="chart-loss-line"][data-series="${runId}-loss-raw"]`);
}

/** Returns the raw loss line's point count for run `runId`, waiting until the line is attached. */
export async function lossPoints(page: Page, runId: number): Promise<number> {
  const value = await rawLossLine(page, runId).getAttribute('data-point-count');
  return Number(value ?? 0);
}
