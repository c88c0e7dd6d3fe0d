// Training from the UI with the real worker on the CIFAR-10 subset beside the
// project: a tiny network (L=7, k=4, batch 8) on WebGPU through SwiftShader.
// Checks the run controls, live curves, the evaluation views after an epoch,
// a mid-run learning-rate change, and a second run overlaid on the first.

import { expect, type Page, test } from '@playwright/test';
import { attachScreenshot, loadTrainingData, lossPoints, rawLossLine } from './helpers';

const TINY =
  'L=7&k=4&bottleneck=0&theta=1&batch=8&epochs=4&lr=0.002&recipe=classroom&optimizer=adam&schedule=constant&backend=webgpu&train=80&test=40&testHooks=1';

/** Stops the active run unless it already finished, then checks that it ended. */
async function stopRun(page: Page): Promise<void> {
  const stop = page.getByTestId('button-stop');
  if (await stop.isEnabled()) await stop.click({ timeout: 10_000 }).catch(() => undefined);
  await expect(page.getByTestId('run-state')).toHaveText(/Stopped|Done/, { timeout: 120_000 });
}

test('train, pause, step, resume, stop and train again', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  await page.goto(`/?${TINY}`);
  await expect(page.getByTestId('graph-edge')).toHaveCount(3);
  await loadTrainingData(page);
  await attachScreenshot(page, testInfo, 'data loaded');

  await page.getByTestId('button-train').click();
  await expect(page.getByTestId('backend-label')).toHaveText('webgpu', { timeout: 120_000 });
  await expect(page.getByTestId('run-state')).toHaveText('Training', { timeout: 120_000 });
  await expect.poll(() => lossPoints(page, 1), { timeout: 240_000 }).toBeGreaterThanOrEqual(10);
  await expect(page.getByTestId('images-per-second')).toBeVisible();
  await attachScreenshot(page, testInfo, 'training');

  // Pause: no new points while paused.
  await page.getByTestId('button-pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('Paused', { timeout: 60_000 });
  const paused = await rawLossLine(page, 1).getAttribute('data-total-count');
  await page.waitForTimeout(3000);
  expect(await rawLossLine(page, 1).getAttribute('data-total-count')).toBe(paused);

  // Step: one batch, still paused.
  const stepBefore = await page.getByTestId('run-step').textContent();
  await page.getByTestId('button-step').click();
  await expect(page.getByTestId('run-step')).not.toHaveText(stepBefore ?? '', { timeout: 60_000 });
  await expect(page.getByTestId('run-state')).toHaveText('Paused');

  // Settings a run takes at its start, and measuring backends, wait for the next run.
  for (const id of ['input-epochs', 'input-batchSize', 'input-seed', 'button-measure-backends']) {
    await expect(page.getByTestId(id)).toBeDisabled();
  }
  // A learning rate typed mid-run reaches the worker.
  await page.getByTestId('input-learningRate').fill('0.001');

  await page.getByTestId('button-resume').click();
  await expect(page.getByTestId('run-state')).toHaveText('Training', { timeout: 60_000 });
  const resumedFrom = Number(await rawLossLine(page, 1).getAttribute('data-total-count'));
  await expect
    .poll(async () => Number(await rawLossLine(page, 1).getAttribute('data-total-count')), {
      timeout: 120_000,
    })
    .toBeGreaterThan(resumedFrom);
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          type Store = { getState(): { runs: { steps: { learningRate: number }[] }[] } };
          const hooks = (window as unknown as { __playground: { store: Store } }).__playground;
          return hooks.store.getState().runs[0]?.steps.at(-1)?.learningRate;
        }),
      { timeout: 120_000 },
    )
    .toBeCloseTo(0.001, 6);

  // The first epoch fills the evaluation views: 40 test images, 10 classes.
  await expect(page.getByTestId('confusion-cell')).toHaveCount(100, { timeout: 300_000 });
  const cells = await page.getByTestId('confusion-cell').allTextContents();
  expect(cells.reduce((sum, cell) => sum + Number(cell.replace(/,/g, '')), 0)).toBe(40);
  await expect(page.getByTestId('per-class-row')).toHaveCount(10);
  await expect(page.getByTestId('gallery-item').first()).toBeVisible();
  await expect(page.getByTestId('live-region')).toContainText('epoch');
  await expect(page.getByTestId('reuse-heatmap')).toBeVisible();
  await expect(page.locator('[data-testid="graph-edge"][data-reuse]')).toHaveCount(3);
  await expect(
    page.locator('[data-testid="test-loss-point"][data-run="1"]').first(),
  ).toBeAttached();
  await attachScreenshot(page, testInfo, 'after the first epoch');

  await stopRun(page);
  const finalFirst = await rawLossLine(page, 1).getAttribute('data-total-count');

  // A config change and a second run: a new curve beside the first one.
  await page.getByTestId('input-growthRate').fill('6');
  await expect(page.getByTestId('graph-edge')).toHaveCount(3);
  await page.getByTestId('button-train').click();
  await expect(page.getByTestId('run-item')).toHaveCount(2);
  await expect.poll(() => lossPoints(page, 2), { timeout: 240_000 }).toBeGreaterThanOrEqual(3);
  expect(await rawLossLine(page, 1).getAttribute('data-total-count')).toBe(finalFirst);
  await expect(page.getByTestId('run-item').nth(1)).toContainText('k=6');
  await attachScreenshot(page, testInfo, 'two runs overlaid');
  await stopRun(page);
});

test('checkpoint, download and restore a run', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  await page.goto(`/?${TINY}`);
  await loadTrainingData(page);
  await page.getByTestId('button-train').click();
  await expect.poll(() => lossPoints(page, 1), { timeout: 240_000 }).toBeGreaterThanOrEqual(3);
  await page.getByTestId('button-pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('Paused', { timeout: 60_000 });
  const pointsAtCheckpoint = await rawLossLine(page, 1).getAttribute('data-total-count');

  await page.getByTestId('button-checkpoint').click();
  await expect(page.getByTestId('checkpoint-item')).toHaveCount(1, { timeout: 60_000 });
  await expect(page.getByTestId('checkpoint-item')).toContainText('Run 1');

  const download = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByTestId('button-save-model').click();
  expect((await download).suggestedFilename()).toMatch(/\.json$|\.bin$/);

  await page.getByTestId('checkpoint-restore').click();
  await expect(page.getByTestId('run-item')).toHaveCount(2);
  await expect(page.getByTestId('run-state')).toHaveText('Paused', { timeout: 120_000 });
  // The restored run brings back the curve up to the checkpoint.
  await expect(rawLossLine(page, 2)).toHaveAttribute('data-total-count', pointsAtCheckpoint ?? '', {
    timeout: 60_000,
  });
  await attachScreenshot(page, testInfo, 'restored checkpoint');

  // Evaluate now: the test subset is scored without finishing an epoch.
  await page.getByTestId('button-evaluate').click();
  await expect(page.getByTestId('confusion-cell')).toHaveCount(100, { timeout: 120_000 });

  await page.getByTestId('button-resume').click();
  await expect
    .poll(async () => Number(await rawLossLine(page, 2).getAttribute('data-total-count')), {
      timeout: 120_000,
    })
    .toBeGreaterThan(Number(pointsAtCheckpoint));

  // Reset frees the active run's model but keeps its curves; both runs stay listed.
  await page.getByTestId('button-reset').click();
  await expect(page.getByTestId('run-item')).toHaveCount(2);
  await expect(rawLossLine(page, 2)).toHaveCount(1);
  await expect(rawLossLine(page, 1)).toHaveCount(1);
  await expect(page.getByTestId('button-reset')).toBeDisabled();
  await expect(page.getByTestId('button-train')).toBeEnabled();
});
