// End-to-end tests of the data panel, against fixtures built from the real
// CIFAR subset. Playwright routing serves the Hugging Face parquet stream with
// 206 range responses, as a server that ignores ranges, and with 416, 500,
// network and CORS failures. Other tests cover local files by picker and
// drag-and-drop, bad files, cancel, the saved-subset list and a same-origin
// copy written by `npm run data:cifar`.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, expect, type Page, type Route, test } from '@playwright/test';
import { main as dataCifar } from '../scripts/data-cifar';
import { ensureFixtures, fixturePath } from '../scripts/make-fixtures';
import { pickCifar10Files } from './helpers';

const HF = 'https://huggingface.co/datasets/uoft-cs/cifar10/resolve/main/plain_text';
const TRAIN_URL = `${HF}/train-00000-of-00001.parquet`;
const TEST_URL = `${HF}/test-00000-of-00001.parquet`;
const CORS = { 'access-control-allow-origin': '*' };

type Mode = 'ranges' | 'ignore-ranges' | 'status-416' | 'status-500' | 'abort' | 'no-cors' | 'slow';

interface Served {
  requests: { method: string; url: string; range: string | null }[];
}

let trainParquet: Buffer;
let testParquet: Buffer;

test.beforeAll(() => {
  ensureFixtures();
  trainParquet = readFileSync(fixturePath('cifar10TrainParquet'));
  testParquet = readFileSync(fixturePath('cifar10TestParquet'));
});

/** Serves the two parquet fixtures at the Hugging Face URLs, responding as `mode` selects. */
async function serveParquet(context: BrowserContext, mode: Mode): Promise<Served> {
  const served: Served = { requests: [] };
  await context.route(`${HF}/*.parquet`, async (route: Route) => {
    const request = route.request();
    const url = request.url();
    const range = (await request.allHeaders()).range ?? null;
    served.requests.push({ method: request.method(), url, range });
    let body: Buffer | null = null;
    if (url === TRAIN_URL) body = trainParquet;
    if (url === TEST_URL) body = testParquet;
    if (!body) return route.fulfill({ status: 404, headers: CORS, body: 'not found' });
    if (mode === 'abort') return route.abort('failed');
    if (mode === 'no-cors') {
      // A server that allows another origin only: the browser blocks the response.
      return route.fulfill({
        status: 200,
        headers: {
          'access-control-allow-origin': 'https://elsewhere.example',
          // Lets the app's no-cors probe through cross-origin isolation, as a CDN that sets it would.
          'cross-origin-resource-policy': 'cross-origin',
          'content-length': String(body.length),
        },
        body: request.method() === 'HEAD' ? '' : body,
      });
    }
    if (request.method() === 'HEAD') {
      return route.fulfill({
        status: 200,
        headers: { ...CORS, 'content-length': String(body.length) },
      });
    }
    if (mode === 'status-416') return route.fulfill({ status: 416, headers: CORS, body: '' });
    if (mode === 'status-500')
      return route.fulfill({ status: 500, headers: CORS, body: 'server error' });
    const match = range ? /^bytes=(\d+)-(\d+)$/.exec(range) : null;
    if (match && mode !== 'ignore-ranges') {
      if (mode === 'slow') await new Promise((resolve) => setTimeout(resolve, 1500));
      const start = Number(match[1]);
      const end = Math.min(Number(match[2]), body.length - 1);
      return route.fulfill({
        status: 206,
        headers: { ...CORS, 'content-range': `bytes ${start}-${end}/${body.length}` },
        body: body.subarray(start, end + 1),
      });
    }
    return route.fulfill({ status: 200, headers: CORS, body });
  });
  return served;
}

async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('dataset-panel')).toBeVisible();
}

async function setSizes(page: Page, train: number, test: number): Promise<void> {
  await page.getByTestId('dataset-train-size').fill(String(train));
  await page.getByTestId('dataset-test-size').fill(String(test));
}

async function expectClassCounts(page: Page, train: number, test: number): Promise<void> {
  const rows = page.getByTestId('dataset-class-row');
  await expect(rows).toHaveCount(10);
  for (let i = 0; i < 10; i++) {
    await expect(rows.nth(i).locator('td').nth(0)).toHaveText(String(train));
    await expect(rows.nth(i).locator('td').nth(1)).toHaveText(String(test));
  }
}

test.describe('data panel', () => {
  test('streams a subset from parquet with range requests', async ({ page, context }) => {
    const served = await serveParquet(context, 'ranges');
    await openApp(page);
    await expect(page.getByTestId('dataset-source')).toHaveValue('parquet');
    await setSizes(page, 100, 20);
    await page.getByTestId('dataset-load').click();
    await expect(page.getByTestId('dataset-summary')).toBeVisible();
    await expectClassCounts(page, 10, 2);
    await expect(page.getByTestId('dataset-class-row').first().locator('th')).toHaveText(
      'airplane',
    );
    await expect(page.getByTestId('dataset-sample')).toHaveCount(20);

    const gets = served.requests.filter((request) => request.method === 'GET');
    for (const request of gets) expect(request.range).toMatch(/^bytes=\d+-\d+$/);
    // The training file has 40 row groups of 100 images; 100 images need only a few of them.
    const trainGets = gets.filter((request) => request.url === TRAIN_URL);
    expect(trainGets.length).toBeGreaterThan(1);
    expect(trainGets.length).toBeLessThan(20);
  });

  test('downloads once when the server ignores ranges', async ({ page, context }) => {
    const served = await serveParquet(context, 'ignore-ranges');
    await openApp(page);
    await setSizes(page, 100, 20);
    await page.getByTestId('dataset-load').click();
    await expectClassCounts(page, 10, 2);
    const trainGets = served.requests.filter(
      (request) => request.method === 'GET' && request.url === TRAIN_URL,
    );
    expect(trainGets).toHaveLength(1);
  });

  const failures: { mode: Mode; code: string; text: RegExp }[] = [
    { mode: 'status-416', code: 'data.error.rangeNotSatisfiable', text: /status 416/ },
    { mode: 'status-500', code: 'data.error.httpServer', text: /status 500/ },
    { mode: 'abort', code: 'data.error.network', text: /network failed.*CORS/ },
    {
      mode: 'no-cors',
      code: 'data.error.cors',
      text: /does not allow cross-origin \(CORS\) requests/,
    },
  ];
  for (const { mode, code, text } of failures) {
    test(`explains ${mode} failures and offers the file picker`, async ({ page, context }) => {
      await serveParquet(context, mode);
      await openApp(page);
      await setSizes(page, 100, 20);
      await page.getByTestId('dataset-load').click();
      const error = page.getByTestId('dataset-error');
      await expect(error).toHaveAttribute('data-code', code);
      await expect(error).toContainText(text);
      await expect(error).toContainText(TRAIN_URL);
      await expect(page.getByTestId('dataset-load')).toBeEnabled();

      // The file picker is offered and works.
      await page.getByTestId('dataset-use-files').click();
      await expect(page.getByTestId('dataset-source')).toHaveValue('files');
      await pickCifar10Files(page);
      await expectClassCounts(page, 10, 2);
      await expect(page.getByTestId('dataset-error')).toHaveCount(0);
    });
  }

  test('loads picked .bin files and shows class counts', async ({ page }) => {
    await openApp(page);
    await setSizes(page, 1000, 200);
    await pickCifar10Files(page);
    await expectClassCounts(page, 100, 20);
    await expect(page.getByTestId('dataset-summary-counts')).toContainText(
      'train.bin, test.bin, batches.meta.txt',
    );
    await expect(page.getByTestId('dataset-status')).toHaveText('Loaded: 10 classes.');
    // All 10 CIFAR-10 rows show without a scroll box cutting one in half.
    const table = page.getByTestId('dataset-class-counts');
    const hiddenHeight = await table.evaluate((element) => {
      const box = element.parentElement as HTMLElement;
      return box.scrollHeight - box.clientHeight;
    });
    expect(hiddenHeight).toBeLessThanOrEqual(0);
  });

  test('reports a wrong-size file and an empty file and stays usable', async ({ page }) => {
    await openApp(page);
    await setSizes(page, 100, 20);
    await pickCifar10Files(page);
    await expectClassCounts(page, 10, 2);

    await page.getByTestId('dataset-files').setInputFiles(fixturePath('wrongSizeBin'));
    const error = page.getByTestId('dataset-error');
    await expect(error).toHaveAttribute('data-code', 'data.error.recordSize');
    await expect(error).toContainText('wrong-size.bin has 9,319 bytes');
    await expect(error).toContainText('3,073-byte records');
    await expect(page.getByTestId('dataset-error-kept')).toContainText('train.bin, test.bin');
    await expectClassCounts(page, 10, 2);

    await page.getByTestId('dataset-files').setInputFiles(fixturePath('emptyBin'));
    await expect(error).toHaveAttribute('data-code', 'data.error.emptyFile');
    await expect(error).toHaveText(/empty\.bin is empty\./);

    await page.getByTestId('dataset-files').setInputFiles(fixturePath('randomFile'));
    await expect(error).toHaveAttribute('data-code', 'data.error.unknownFormat');
    await expect(error).toContainText('random.dat is not a CIFAR binary batch');

    // Random bytes named like an archive: the message says the name promises gzip.
    await page.getByTestId('dataset-files').setInputFiles({
      name: 'fake.tar.gz',
      mimeType: 'application/gzip',
      buffer: readFileSync(fixturePath('randomFile')),
    });
    await expect(error).toHaveAttribute('data-code', 'data.error.notGzip');
    await expect(error).toContainText('fake.tar.gz is named like a gzip archive but is not one');

    await page.getByTestId('dataset-files').setInputFiles(fixturePath('truncatedArchive'));
    await expect(error).toHaveAttribute('data-code', 'data.error.truncatedArchive');
    await expect(error).toContainText('truncated.tar.gz');

    // Still usable: a good load replaces the error.
    await setSizes(page, 200, 50);
    await pickCifar10Files(page);
    await expectClassCounts(page, 20, 5);
    await expect(error).toHaveCount(0);
  });

  test('loads a dropped CIFAR-100 archive', async ({ page }) => {
    await openApp(page);
    await setSizes(page, 50, 10);
    const archive = readFileSync(fixturePath('cifar100Archive')).toString('base64');
    const dataTransfer = await page.evaluateHandle((base64) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'cifar-100-binary.tar.gz'));
      return transfer;
    }, archive);
    await page.getByTestId('dataset-drop-zone').dispatchEvent('drop', { dataTransfer });
    await expect(page.getByTestId('dataset-class-row')).toHaveCount(100);
    await expect(page.getByTestId('dataset-class-row').first().locator('th')).toHaveText('apple');
    await expect(page.getByTestId('dataset-summary-counts')).toContainText('in 100 classes');
  });

  test('cancels a slow load and keeps the page usable', async ({ page, context }) => {
    await serveParquet(context, 'slow');
    await openApp(page);
    await setSizes(page, 2000, 200);
    await page.getByTestId('dataset-load').click();
    await expect(page.getByTestId('dataset-progress')).toBeVisible();
    await expect(page.getByTestId('dataset-progress-bytes')).toHaveText(/KiB downloaded/);
    await expect(page.getByTestId('dataset-progress-images')).toHaveText(/images read/);
    await page.getByTestId('dataset-cancel').click();
    await expect(page.getByTestId('dataset-status')).toHaveText(/Loading was cancelled/);
    await expect(page.getByTestId('dataset-progress')).toHaveCount(0);
    await expect(page.getByTestId('dataset-load')).toBeEnabled();
  });

  test('reuses a saved subset after a reload without the network, and deletes it', async ({
    page,
    context,
  }) => {
    await openApp(page);
    await setSizes(page, 100, 20);
    await pickCifar10Files(page);
    await expectClassCounts(page, 10, 2);
    await expect(page.getByTestId('dataset-cache-entry')).toHaveCount(1);
    await expect(page.getByTestId('dataset-cache-entry')).toContainText(
      '100 train / 20 test, seed',
    );

    await page.reload();
    await context.route(`${HF}/*`, (route) => route.abort('internetdisconnected'));
    await expect(page.getByTestId('dataset-cache-entry')).toHaveCount(1);
    await expect(page.getByTestId('dataset-summary')).toHaveCount(0);
    await page.getByTestId('dataset-cache-use').click();
    await expectClassCounts(page, 10, 2);

    await page.getByTestId('dataset-cache-delete').click();
    await expect(page.getByTestId('dataset-cache-entry')).toHaveCount(0);
    await expect(page.getByTestId('dataset-cache-empty')).toBeVisible();
  });

  test('offers and loads a same-origin copy written by data:cifar', async ({
    page,
    context,
    baseURL,
  }) => {
    const out = mkdtempSync(path.join(tmpdir(), 'e2e-data-'));
    const code = await dataCifar(
      [
        '--from',
        fixturePath('cifar10Archive'),
        '--skip-md5',
        '--train',
        '500',
        '--test',
        '100',
        '--out',
        out,
      ],
      () => undefined,
    );
    expect(code).toBe(0);
    await context.route(`${baseURL}/data/**`, (route) => {
      const relative = new URL(route.request().url()).pathname.replace(/^\/data\//, '');
      try {
        return route.fulfill({ status: 200, body: readFileSync(path.join(out, relative)) });
      } catch {
        return route.fulfill({ status: 404, body: '' });
      }
    });
    await openApp(page);
    await expect(page.getByTestId('dataset-source')).toHaveValue('self-hosted');
    await setSizes(page, 100, 20);
    await page.getByTestId('dataset-load').click();
    await expectClassCounts(page, 10, 2);
    await expect(page.getByTestId('dataset-summary-counts')).toContainText(
      '/data/cifar10/train.bin',
    );
  });

  test('words errors in Korean', async ({ page }) => {
    await page.goto('/?lang=ko');
    await expect(page.getByTestId('dataset-panel')).toBeVisible();
    // The native input's English "Choose Files" is hidden behind a translated button.
    await expect(page.getByTestId('dataset-files-button')).toHaveText('파일 고르기…');
    await page.getByTestId('dataset-files').setInputFiles(fixturePath('emptyBin'));
    await expect(page.getByTestId('dataset-error')).toHaveText('empty.bin 파일이 비어 있습니다.');
  });

  test('takes parquet URLs from the link', async ({ page, context }) => {
    const served = await serveParquet(context, 'ranges');
    const query = new URLSearchParams({
      trainUrl: TRAIN_URL,
      testUrl: TEST_URL,
      train: '100',
      test: '20',
    });
    await page.goto(`/?${query}`);
    await expect(page.getByTestId('dataset-source')).toHaveValue('custom-url');
    await expect(page.getByTestId('dataset-custom-train-url')).toHaveValue(TRAIN_URL);
    await expect(page.getByTestId('dataset-train-size')).toHaveValue('100');
    await page.getByTestId('dataset-load').click();
    await expectClassCounts(page, 10, 2);
    expect(served.requests.some((request) => request.url === TEST_URL)).toBe(true);
  });
});
