// End-to-end tests of the playground's panels that need no training: the
// config form and its readouts, the connectivity graph, the link, teacher
// options, languages, accessibility and layout at tablet width.

import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { attachScreenshot } from './helpers';

const edges = (page: Page) => page.locator('[data-testid="graph-edge"]');
const graph = (page: Page) => page.getByTestId('graph');

async function open(page: Page, query = ''): Promise<void> {
  await page.goto(`/${query ? `?${query}` : ''}`);
  await expect(edges(page).first()).toBeAttached();
  // The backend report arrives shortly after load and changes the height of the training card
  // above the graph; waiting for it keeps the graph still under the pointer.
  await expect(page.getByTestId('backend-label')).not.toHaveText('not started yet');
}

test.describe('config panel', () => {
  test('default network readouts', async ({ page }, testInfo) => {
    await open(page);
    // DenseNet-BC L=40 k=12: 6 bottleneck layers per block, 24-map stem.
    await expect(page.getByTestId('readout-trainable')).toHaveAttribute('data-value', '176122');
    await expect(page.getByTestId('readout-connections')).toHaveAttribute('data-value', '63');
    await expect(page.getByTestId('readout-architecture')).toContainText('6-6-6');
    await expect(edges(page)).toHaveCount(63);
    await expect(page.getByTestId('graph-exit-edge')).toHaveCount(21);
    await expect(page.getByTestId('readout-memory-naive')).toHaveAttribute(
      'data-value',
      /^[1-9]\d*$/,
    );
    await attachScreenshot(page, testInfo, 'default network');
  });

  test('each architecture control changes the plan', async ({ page }) => {
    await open(page);
    const trainable = page.getByTestId('readout-trainable');

    await page.getByTestId('input-growthRate').fill('24');
    await expect(page.getByTestId('readout-architecture')).toContainText('k = 24');
    const afterGrowth = Number(await trainable.getAttribute('data-value'));
    expect(afterGrowth).toBeGreaterThan(176122);

    await page.getByTestId('input-depth').fill('100');
    // L=100 with bottleneck: (100-4)/6 = 16 layers per block, 3 × 16·17/2 = 408 connections.
    await expect(edges(page)).toHaveCount(408);

    await page.getByTestId('input-bottleneck').uncheck();
    // Without bottleneck L=100 gives 32 layers per block: 3 × 32·33/2 = 1584.
    await expect(edges(page)).toHaveCount(1584);
    await expect(page.getByTestId('readout-connections')).toHaveAttribute('data-value', '1584');

    await page.getByTestId('input-compression').fill('1');
    await page.getByTestId('graph-node-t0').hover();
    // Block 1 output with θ=1: 16 stem maps (plain DenseNet) + 32 × 24 = 784, all kept.
    await expect(page.getByTestId('graph-details-text')).toContainText('⌊1 × 784⌋ = 784');

    await page.getByTestId('input-initialChannels').fill('32');
    await page.getByTestId('graph-node-b0-l1').hover();
    await expect(page.getByTestId('graph-details-text')).toContainText('= 32');

    await page.getByTestId('input-layout').selectOption('imagenet');
    await expect(page.getByTestId('input-blockLayers')).toBeVisible();
    await expect(page.getByTestId('readout-architecture')).toContainText('6-12-24-16');
  });

  test('presets load the paper networks', async ({ page }) => {
    await open(page);
    await page.getByTestId('input-preset').selectOption('densenet-bc-100-k12');
    // Huang et al. (2017), Table 2: DenseNet-BC L=100 k=12 has 0.8M parameters.
    const trainable = Number(
      await page.getByTestId('readout-trainable').getAttribute('data-value'),
    );
    expect(trainable).toBeGreaterThan(750_000);
    expect(trainable).toBeLessThan(850_000);
    await expect(edges(page)).toHaveCount(408);

    await page.getByTestId('input-preset').selectOption('densenet-121');
    await expect(edges(page)).toHaveCount(21 + 78 + 300 + 136);
    await expect(page.getByTestId('input-preset')).toHaveValue('densenet-121');
  });

  test('invalid value shows its message and keeps the network', async ({ page }, testInfo) => {
    await open(page);
    await page.getByTestId('input-depth').fill('41');
    await expect(page.getByTestId('error-depth')).toContainText('41');
    await expect(page.getByTestId('error-depth')).toContainText('divisible by 6');
    await expect(page.getByTestId('config-kept')).toBeVisible();
    await expect(edges(page)).toHaveCount(63);
    await expect(page.getByTestId('input-depth')).toHaveValue('41');
    await attachScreenshot(page, testInfo, 'invalid depth');

    await page.getByTestId('input-growthRate').fill('2.5');
    await expect(page.getByTestId('error-growthRate')).toContainText('2.5');
    await page.getByTestId('input-growthRate').fill('');
    // Only the empty field's problem shows, not the one about 2.5.
    await expect(page.getByTestId('error-growthRate')).toHaveText('Enter a value.');

    // Hints describe the network in use (k = 12), not the rejected k = 0.
    await page.getByTestId('input-growthRate').fill('0');
    await expect(page.getByTestId('error-growthRate')).toContainText('0');
    await expect(page.getByTestId('field-bottleneck').locator('.field__hint')).toContainText(
      '1×1 convolution to 48 maps',
    );
    await expect(page.getByTestId('field-initialChannels').locator('.field__hint')).toContainText(
      '(24)',
    );
    await expect(page.getByTestId('input-initialChannels')).toHaveAttribute(
      'placeholder',
      'auto (24)',
    );
    await page.getByTestId('input-growthRate').fill('12');

    await page.getByTestId('input-compression').fill('2');
    await page.getByTestId('input-compression').fill('');
    await expect(page.getByTestId('error-compression')).toHaveText('Enter a value.');
    await page.getByTestId('input-compression').fill('0.5');

    await page.getByTestId('input-depth').fill('46');
    await expect(page.getByTestId('error-depth')).toHaveCount(0);
    // (46-4)/6 = 7 layers per block: 3 × 28.
    await expect(edges(page)).toHaveCount(84);
  });

  test('memory warning for a large batch', async ({ page }) => {
    await open(page);
    await expect(page.getByTestId('memory-warning')).toHaveCount(0);
    await page.getByTestId('input-preset').selectOption('densenet-bc-250-k24');
    await page.getByTestId('input-batchSize').fill('1024');
    await expect(page.getByTestId('memory-warning')).toBeVisible();
    await expect(page.getByTestId('memory-warning')).toContainText('1,024');
  });

  test('settings reject out-of-range values inline', async ({ page }) => {
    await open(page);
    await page.getByTestId('input-batchSize').fill('0');
    await expect(page.getByTestId('error-batchSize')).toContainText('1 to 1,024');
    await expect(page.getByTestId('error-batchSize')).toContainText('received 0');
    await page.getByTestId('input-epochs').fill('-3');
    await expect(page.getByTestId('error-epochs')).toContainText('received -3');
    await page.getByTestId('input-learningRate').fill('20');
    await expect(page.getByTestId('error-learningRate')).toContainText('received 20');
    await page.getByTestId('input-epochs').fill('2');
    await page.getByTestId('input-learningRate').fill('0.01');
    await expect(page.getByTestId('error-epochs')).toHaveCount(0);
    await page.getByTestId('input-batchSize').fill('8');
    await expect(page.getByTestId('error-batchSize')).toHaveCount(0);
    await expect(page).toHaveURL(/batch=8/);

    await page.getByTestId('input-recipe').selectOption('paper');
    await expect(page.getByTestId('input-learningRate')).toHaveValue('0.1');
    await expect(page.getByTestId('input-epochs')).toHaveValue('300');
    await expect(page.getByTestId('input-optimizer')).toHaveValue('sgd');

    await page.getByTestId('input-augment').uncheck();
    await page.getByTestId('input-seed').fill('77');
    await page.getByTestId('input-backend').selectOption('cpu');
    await expect(page).toHaveURL(/augment=0/);
    await expect(page).toHaveURL(/seed=77/);
    await expect(page).toHaveURL(/backend=cpu/);
  });
});

test.describe('connectivity graph', () => {
  const cases = [
    {
      name: 'DenseNet-BC L=250 k=24',
      query: 'L=250&k=24&bottleneck=1&theta=0.5',
      edges: 2583,
      exits: 3 * 42,
    },
    {
      name: 'DenseNet-264',
      query: 'layout=imagenet&L=auto&blocks=6-12-64-48&k=32&k0=64',
      edges: 3355,
      exits: 134,
    },
    { name: 'plain L=40', query: 'L=40&bottleneck=0&theta=1', edges: 234, exits: 39 },
    { name: 'tiny L=7 k=4', query: 'L=7&k=4&bottleneck=0&theta=1', edges: 3, exits: 6 },
  ];
  for (const entry of cases) {
    test(`draws every connection of ${entry.name}`, async ({ page }) => {
      await open(page, entry.query);
      await expect(page.getByTestId('url-banner')).toHaveCount(0);
      await expect(edges(page)).toHaveCount(entry.edges);
      await expect(page.getByTestId('graph-exit-edge')).toHaveCount(entry.exits);
      await expect(graph(page)).toHaveAttribute('data-edge-count', String(entry.edges));
      await expect(page.getByTestId('readout-connections')).toHaveAttribute(
        'data-value',
        String(entry.edges),
      );
    });
  }

  test('hover highlights a layer’s inputs and outputs', async ({ page }, testInfo) => {
    await open(page);
    await page.getByTestId('graph-node-b0-l3').hover();
    // Layer 3 reads the block input and layers 1 and 2, and feeds layers 4-6 and the transition.
    await expect(page.locator('[data-testid="graph-edge"].is-input')).toHaveCount(3);
    await expect(page.locator('[data-testid="graph-edge"].is-output')).toHaveCount(3);
    await expect(page.locator('[data-testid="graph-exit-edge"].is-output')).toHaveCount(1);
    const inputSources = await page
      .locator('[data-testid="graph-edge"].is-input')
      .evaluateAll((paths) => paths.map((path) => path.getAttribute('data-source')).sort());
    expect(inputSources).toEqual(['0', '1', '2']);
    // k0 + k(ℓ-1) = 24 + 12 × 2 = 48.
    await expect(page.getByTestId('graph-details-text')).toContainText('24 + 12 × 2 = 48');
    await attachScreenshot(page, testInfo, 'hover highlight');

    await page.getByTestId('graph-node-t0').hover();
    // Block 1 ends with 24 + 6 × 12 = 96 maps; θ = 0.5 keeps 48.
    await expect(page.getByTestId('graph-details-text')).toContainText('⌊0.5 × 96⌋ = 48');
    await expect(page.locator('[data-testid="graph-exit-edge"].is-input')).toHaveCount(7);
  });

  test('keyboard focus moves through layers', async ({ page }) => {
    await open(page);
    await page.getByTestId('graph-node-stem').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('graph-node-b0-l1')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('graph-node-b0-l2')).toBeFocused();
    await expect(page.getByTestId('graph-details-text')).toContainText('24 + 12 × 1 = 36');
    await expect(page.locator('[data-testid="graph-edge"].is-input')).toHaveCount(2);
    await page.keyboard.press('End');
    await expect(page.getByTestId('graph-node-classifier')).toBeFocused();
  });

  test('blocks collapse and expand', async ({ page }) => {
    await open(page);
    await page.getByTestId('graph-toggle-1').click();
    await expect(edges(page)).toHaveCount(42);
    await expect(graph(page)).toHaveAttribute('data-edge-count', '63');
    await expect(page.getByTestId('graph-toggle-1')).toHaveAttribute('aria-expanded', 'false');
    await page.getByTestId('graph-toggle-1').focus();
    await page.keyboard.press('Enter');
    await expect(edges(page)).toHaveCount(63);
    await page.getByTestId('graph-collapse-all').click();
    await expect(edges(page)).toHaveCount(0);
    await page.getByTestId('graph-expand-all').click();
    await expect(edges(page)).toHaveCount(63);
  });

  test('layer table lists every layer', async ({ page }) => {
    await open(page, 'L=7&k=4&bottleneck=0&theta=1');
    await page.getByTestId('graph-table-toggle').click();
    // Stem, 3 dense layers, 2 transitions, classifier.
    await expect(page.getByTestId('layer-row')).toHaveCount(7);
  });

  test('exports SVG and PNG', async ({ page }) => {
    await open(page);
    const svgDownload = page.waitForEvent('download');
    await page.getByTestId('graph-export-svg').click();
    const svgFile = await svgDownload;
    expect(svgFile.suggestedFilename()).toBe('densenet-graph.svg');
    const svgText = await (await svgFile.createReadStream()).toArray();
    const svg = Buffer.concat(svgText).toString('utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/data-testid="graph-edge"/g)?.length).toBe(63);

    const pngDownload = page.waitForEvent('download');
    await page.getByTestId('graph-export-png').click();
    const pngFile = await pngDownload;
    expect(pngFile.suggestedFilename()).toBe('densenet-graph.png');
    const png = Buffer.concat(await (await pngFile.createReadStream()).toArray());
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
});

test.describe('link', () => {
  test('round trip through the URL', async ({ page }) => {
    await open(
      page,
      'k=24&L=100&bottleneck=1&theta=0.5&batch=16&lr=0.01&seed=9&epochs=3&augment=0&backend=webgl&train=500&test=100',
    );
    await expect(page.getByTestId('url-banner')).toHaveCount(0);
    await expect(page.getByTestId('input-growthRate')).toHaveValue('24');
    await expect(page.getByTestId('input-depth')).toHaveValue('100');
    await expect(page.getByTestId('input-batchSize')).toHaveValue('16');
    await expect(page.getByTestId('input-learningRate')).toHaveValue('0.01');
    await expect(page.getByTestId('input-seed')).toHaveValue('9');
    await expect(page.getByTestId('input-epochs')).toHaveValue('3');
    await expect(page.getByTestId('input-augment')).not.toBeChecked();
    await expect(page.getByTestId('input-backend')).toHaveValue('webgl');
    await expect(page.getByTestId('dataset-train-size')).toHaveValue('500');
    await expect(page.getByTestId('dataset-test-size')).toHaveValue('100');
    await expect(edges(page)).toHaveCount(408);

    await page.getByTestId('input-growthRate').fill('16');
    await expect(page).toHaveURL(/[?&]k=16(&|$)/);
    await page.getByTestId('input-dropRate').fill('0.2');
    await expect(page).toHaveURL(/[?&]drop=0\.2(&|$)/);
    // A rate past the form's range is named with the range, and the link keeps the last valid one.
    await page.getByTestId('input-dropRate').fill('0.995');
    await expect(page.getByTestId('error-dropRate')).toHaveText(
      'Must be a number from 0 to 0.99; received 0.995.',
    );
    await expect(page).toHaveURL(/[?&]drop=0\.2(&|$)/);
    await page.getByTestId('input-dropRate').fill('0.2');
    await expect(page.getByTestId('error-dropRate')).toHaveCount(0);
    // The data panel's sampling seed travels too, apart from the training seed.
    await page.getByTestId('dataset-seed').fill('31');
    await expect(page).toHaveURL(/[?&]subsetSeed=31(&|$)/);
    const link = page.url();

    const second = await page.context().newPage();
    await second.goto(link);
    await expect(second.getByTestId('input-growthRate')).toHaveValue('16');
    await expect(second.getByTestId('input-depth')).toHaveValue('100');
    await expect(second.getByTestId('input-seed')).toHaveValue('9');
    await expect(second.getByTestId('input-dropRate')).toHaveValue('0.2');
    await expect(second.getByTestId('dataset-seed')).toHaveValue('31');
    await expect(second.getByTestId('readout-trainable')).toHaveAttribute(
      'data-value',
      (await page.getByTestId('readout-trainable').getAttribute('data-value')) ?? '',
    );
  });

  test('bad values are reported and replaced by defaults', async ({ page }, testInfo) => {
    await open(page, 'k=abc&L=41&batch=0&backend=tpu&theta=2');
    const banner = page.getByTestId('url-banner');
    await expect(banner).toBeVisible();
    const issues = page.getByTestId('url-issue');
    await expect(issues).toHaveCount(5);
    await expect(banner.locator('[data-parameter="k"]')).toContainText('“abc”');
    await expect(banner.locator('[data-parameter="k"]')).toContainText('1 to 1,024');
    await expect(banner.locator('[data-parameter="L"]')).toContainText('41');
    await expect(banner.locator('[data-parameter="batch"]')).toContainText('Using 32');
    await expect(banner.locator('[data-parameter="backend"]')).toContainText(
      'auto, webgpu, webgl, wasm, cpu',
    );
    await expect(banner.locator('[data-parameter="theta"]')).toContainText('“2”');
    await expect(page.getByTestId('input-growthRate')).toHaveValue('12');
    await expect(page.getByTestId('input-depth')).toHaveValue('40');
    await expect(page.getByTestId('input-batchSize')).toHaveValue('32');
    await expect(edges(page)).toHaveCount(63);
    await attachScreenshot(page, testInfo, 'bad link');

    await page.getByTestId('language-ko').click();
    await expect(banner.locator('[data-parameter="k"]')).toContainText('정수');
    await expect(banner.locator('[data-parameter="L"]')).toContainText(
      '가장 가까운 유효 깊이: 40, 46. 대신 40 값을 사용합니다.',
    );
    await page.getByTestId('url-banner-dismiss').click();
    await expect(banner).toHaveCount(0);
    await expect(page).not.toHaveURL(/k=abc/);
  });

  test('an ImageNet link with blocks is valid and reloads the same', async ({ page }) => {
    await open(page, 'layout=imagenet&blocks=6-12-24-16&k=32');
    await expect(page.getByTestId('url-banner')).toHaveCount(0);
    await expect(page.getByTestId('input-layout')).toHaveValue('imagenet');
    await expect(page.getByTestId('input-blockLayers')).toHaveValue('6, 12, 24, 16');
    await expect(page.getByTestId('input-growthRate')).toHaveValue('32');
    await expect(page).toHaveURL(/[?&]blocks=6-12-24-16(&|$)/);
    await page.reload();
    await expect(page.getByTestId('url-banner')).toHaveCount(0);
    await expect(page.getByTestId('input-blockLayers')).toHaveValue('6, 12, 24, 16');
    await expect(page.getByTestId('input-growthRate')).toHaveValue('32');
  });

  test('a CIFAR link with blocks and no bottleneck is valid', async ({ page }) => {
    await open(page, 'layout=cifar&blocks=2-3-4&bottleneck=0');
    await expect(page.getByTestId('url-banner')).toHaveCount(0);
    await expect(page.getByTestId('input-blockLayers')).toHaveValue('2, 3, 4');
  });

  test('a bad link value names its parameter and reason, shortened', async ({ page }) => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await open(page, `layout=imagenet&theta=0&source=evil&k=${'9'.repeat(5000)}`);
    const banner = page.getByTestId('url-banner');
    await expect(banner.locator('[data-parameter="layout"]')).toContainText(
      'The imagenet layout needs the layers of each of its 4 blocks. Using cifar.',
    );
    await expect(banner.locator('[data-parameter="L"]')).toHaveCount(0);
    await expect(banner.locator('[data-parameter="theta"]')).toContainText(
      '“0”. Must be greater than 0 and at most 1. Using 0.5.',
    );
    await expect(banner.locator('[data-parameter="source"]')).toContainText('Using parquet.');
    await expect(banner.locator('[data-parameter="k"]')).toContainText(`“${'9'.repeat(40)}…”`);
    const box = await banner.boundingBox();
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(width);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test('teacher options lock and hide controls', async ({ page }) => {
    await open(page, 'lock=growthRate,depth&hide=backend,teaching');
    await expect(page.getByTestId('input-growthRate')).toBeDisabled();
    await expect(page.getByTestId('input-depth')).toBeDisabled();
    await expect(page.getByTestId('input-bottleneck')).toBeEnabled();
    await expect(page.getByTestId('field-backend')).toHaveCount(0);
    await expect(page.getByTestId('teaching-panel')).toHaveCount(0);
    await expect(page).toHaveURL(/lock=growthRate%2Cdepth/);
  });

  test('teacher options reach the data panel', async ({ page }) => {
    await open(page, 'lock=dataset,trainSize&hide=testSize');
    await expect(page.getByTestId('dataset-source')).toBeDisabled();
    await expect(page.getByTestId('dataset-files')).toBeDisabled();
    await expect(page.getByTestId('dataset-name')).toBeDisabled();
    await expect(page.getByTestId('dataset-train-size')).toBeDisabled();
    await expect(page.getByTestId('dataset-test-size')).toHaveCount(0);
    await expect(page.getByTestId('dataset-seed')).toBeEnabled();
    // Locked controls still let the class load the teacher's choice.
    await expect(page.getByTestId('dataset-load')).toBeEnabled();

    // The data panel's fields share the form's field markup: the lock mark and a linked error.
    await expect(page.getByTestId('field-data-trainSize').locator('.field__lock')).toHaveCount(1);
    await expect(page.getByTestId('field-data-seed').locator('.field__lock')).toHaveCount(0);
    await page.getByTestId('dataset-seed').fill('-1');
    const seedError = page.getByTestId('dataset-seed-error');
    await expect(seedError).toContainText('"-1" is not.');
    const errorId = (await seedError.getAttribute('id')) ?? 'missing';
    const describedBy =
      (await page.getByTestId('dataset-seed').getAttribute('aria-describedby')) ?? '';
    expect(describedBy.split(' ')).toContain(errorId);
    await expect(page.getByTestId('dataset-seed')).toHaveAttribute('aria-invalid', 'true');
  });
});

test.describe('for everyone', () => {
  test('language switch', async ({ page }, testInfo) => {
    await open(page);
    await expect(page.getByTestId('app-title')).toHaveText('DenseNet Playground');
    await expect(page).toHaveURL(/[?&]k=12/);
    // A language taken from the browser stays out of the link.
    await expect(page).not.toHaveURL(/lang=/);
    await page.getByTestId('language-ko').click();
    await expect(page.getByTestId('app-title')).toHaveText('DenseNet 플레이그라운드');
    await expect(page).toHaveTitle('DenseNet 플레이그라운드');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await expect(page.getByTestId('teach-growth')).toContainText('성장률');
    await page.getByTestId('input-depth').fill('41');
    await expect(page.getByTestId('error-depth')).toContainText('41');
    await expect(page).toHaveURL(/lang=ko/);
    await attachScreenshot(page, testInfo, 'Korean');
    await page.getByTestId('language-en').click();
    await expect(page.getByTestId('app-title')).toHaveText('DenseNet Playground');
  });

  test('Korean browsers start in Korean', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await open(page);
    await expect(page.getByTestId('app-title')).toHaveText('DenseNet 플레이그라운드');
    await expect(page.getByTestId('language-ko')).toHaveAttribute('aria-pressed', 'true');
    await context.close();
  });

  test('teaching panel follows the focused control', async ({ page }) => {
    await open(page);
    await page.getByTestId('input-growthRate').focus();
    await expect(page.getByTestId('teach-growth')).toHaveAttribute('open', '');
    // Block 1: k0 = 24, last layer ℓ = 6 reads 24 + 12 × 5 = 84 maps.
    await expect(page.getByTestId('teach-growth-now')).toContainText('24 + 12 × 5 = 84');
    await page.getByTestId('input-compression').focus();
    await expect(page.getByTestId('teach-compression-now')).toContainText('⌊0.5 × 96⌋ = 48');
    await page.getByTestId('input-growthRate').fill('24');
    await expect(page.getByTestId('teach-growth-now')).toContainText('48 + 24 × 5 = 168');
  });

  test('no serious accessibility violations', async ({ page }) => {
    await open(page);
    for (const language of ['en', 'ko'] as const) {
      await page.getByTestId(`language-${language}`).click();
      const results = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21aa'])
        .analyze();
      const serious = results.violations.filter(
        (violation) => violation.impact === 'serious' || violation.impact === 'critical',
      );
      expect(
        serious.map(
          (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(' ')}`,
        ),
      ).toEqual([]);
    }
  });

  test('usable at tablet width', async ({ browser }, testInfo) => {
    const page = await browser.newPage({ viewport: { width: 768, height: 1024 } });
    await open(page, 'testHooks=1');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.getByTestId('button-train')).toBeVisible();
    await page.getByTestId('input-growthRate').fill('8');
    await expect(page.getByTestId('readout-architecture')).toContainText('k = 8');

    // Selects span their grid row, so no option label is clipped (40px for padding and arrow).
    const clippedSelects = await page.evaluate(() =>
      [...document.querySelectorAll('select')]
        .filter((select) => select.offsetParent !== null)
        .filter((select) => {
          const probe = document.createElement('span');
          probe.style.font = getComputedStyle(select).font;
          probe.textContent = select.selectedOptions[0]?.textContent ?? '';
          document.body.append(probe);
          const textWidth = probe.getBoundingClientRect().width;
          probe.remove();
          return textWidth + 40 > select.clientWidth;
        })
        .map((select) => select.dataset.testid),
    );
    expect(clippedSelects).toEqual([]);
    await expect(page.getByTestId('dataset-files-button')).toBeVisible();

    // A 10-class confusion matrix fits its column without a horizontal scroll box.
    await page.evaluate(() => {
      type Store = {
        getState(): {
          config: unknown;
          settings: unknown;
          runs: unknown[];
          nextRunId: number;
        };
        setState(patch: Record<string, unknown>): void;
      };
      const hooks = (
        window as unknown as {
          __playground: {
            store: Store;
            createRun(id: number, config: unknown, settings: unknown, color: number): object;
          };
        }
      ).__playground;
      const state = hooks.store.getState();
      const id = state.nextRunId;
      const run = hooks.createRun(id, state.config, state.settings, 0);
      const confusion = Array.from({ length: 10 }, (_, row) =>
        Array.from({ length: 10 }, (_, column) => (row === column ? 100 : 10)),
      );
      const evaluation = {
        epoch: 1,
        perClassAccuracy: Array(10).fill(0.5),
        confusion,
        predictions: [],
        featureReuse: { blocks: [] },
      };
      const names = ['airplane', 'automobile', 'bird', 'cat', 'deer'];
      hooks.store.setState({
        classNames: [...names, 'dog', 'frog', 'horse', 'ship', 'truck'],
        runs: [{ ...run, state: 'done', evaluation }],
        activeRunId: id,
        nextRunId: id + 1,
      });
    });
    const matrix = page.getByTestId('confusion-matrix');
    await expect(matrix).toBeVisible();
    const hiddenWidth = await matrix.evaluate((table) => {
      const box = table.parentElement as HTMLElement;
      return box.scrollWidth - box.clientWidth;
    });
    expect(hiddenWidth).toBeLessThanOrEqual(0);
    await attachScreenshot(page, testInfo, 'tablet width');
    await page.close();
  });
});
