import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatasetRequest } from '../training/protocol';
import { DataError, LoadCancelledError } from './errors';
import { loadDataset } from './load';
import { fakeServer, fixtureBytes, imageKey, indexRecords, SHARED_DATA } from './testSupport';
import type { LoadProgress } from './types';

const TRAIN_URL = 'https://data.test/cifar10/train.parquet';
const TEST_URL = 'https://data.test/cifar10/test.parquet';

function parquetRequest(overrides: Partial<DatasetRequest> = {}): DatasetRequest {
  return {
    source: { kind: 'parquet', trainUrl: TRAIN_URL, testUrl: TEST_URL },
    dataset: 'cifar10',
    labelMode: 'fine',
    trainSize: 200,
    testSize: 50,
    seed: 3,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DataError) return `${error.code} ${JSON.stringify(error.params)}`;
    throw error;
  }
  return 'no error';
}

/** Parquet in the Hugging Face layout whose 30 images are not PNGs; labels are `label`, or 0-9 in turn when null. */
function brokenParquet(label: number | null): Uint8Array {
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        {
          name: 'img',
          data: Array.from({ length: 30 }, () => ({
            bytes: new Uint8Array([1, 2, 3]),
            path: null,
          })),
        },
        { name: 'label', data: Array.from({ length: 30 }, (_, i) => BigInt(label ?? i % 10)) },
      ],
      schema: [
        { name: 'schema', num_children: 2 },
        { name: 'img', repetition_type: 'OPTIONAL', num_children: 2 },
        { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
        { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'label', type: 'INT64', repetition_type: 'OPTIONAL' },
      ],
      rowGroupSize: 30,
    }),
  );
}

let files: Record<string, Uint8Array>;
let trainIndex: Map<string, number>;
let trainBytes: Uint8Array;

beforeAll(() => {
  files = {
    [TRAIN_URL]: fixtureBytes('cifar10TrainParquet'),
    [TEST_URL]: fixtureBytes('cifar10TestParquet'),
  };
  trainBytes = new Uint8Array(readFileSync(path.join(SHARED_DATA, 'cifar10/train.bin')));
  trainIndex = indexRecords(trainBytes, 3073);
});

describe('loadDataset from parquet over HTTP ranges', () => {
  it('loads a balanced subset with the exact source pixels and labels', async () => {
    const server = fakeServer(files);
    const loaded = await loadDataset(parquetRequest(), { fetch: server.fetch });
    expect(loaded.train.classCounts).toEqual(new Array(10).fill(20));
    expect(loaded.test.classCounts).toEqual(new Array(10).fill(5));
    expect(loaded.classNames[0]).toBe('airplane');
    for (let i = 0; i < loaded.train.count; i++) {
      const record = trainIndex.get(imageKey(loaded.train.images, i));
      expect(record).toBeDefined();
      expect(loaded.train.labels[i]).toBe(trainBytes[record! * 3073]);
    }
  });

  it('uses only explicit byte ranges and downloads only the row groups it needs', async () => {
    const server = fakeServer(files);
    await loadDataset(parquetRequest(), { fetch: server.fetch });
    const ranges = server.requests.filter((r) => r.method === 'GET').map((r) => r.range);
    for (const range of ranges) expect(range).toMatch(/^bytes=\d+-\d+$/);
    const trainGets = server.requests.filter((r) => r.url === TRAIN_URL && r.method === 'GET');
    const groups = parquetMetadata(files[TRAIN_URL]!.buffer as ArrayBuffer).row_groups.length;
    // 200 images at about 10 per class in each 100-row group need a few groups, not all 40.
    expect(groups).toBe(40);
    expect(trainGets.length - 1).toBeLessThan(groups / 2);
    const total = files[TRAIN_URL]!.length + files[TEST_URL]!.length;
    expect(server.bytesSent()).toBeLessThan(total / 2);
  });

  it('gives the same images for the same seed', async () => {
    const a = await loadDataset(parquetRequest(), { fetch: fakeServer(files).fetch });
    const b = await loadDataset(parquetRequest(), { fetch: fakeServer(files).fetch });
    const c = await loadDataset(parquetRequest({ seed: 4 }), { fetch: fakeServer(files).fetch });
    expect(Buffer.from(a.train.images).equals(Buffer.from(b.train.images))).toBe(true);
    expect(Buffer.from(a.train.images).equals(Buffer.from(c.train.images))).toBe(false);
  });

  it('falls back to one full download when the server ignores ranges', async () => {
    const server = fakeServer(files, 'ignore-ranges');
    const progress: LoadProgress[] = [];
    const loaded = await loadDataset(parquetRequest(), {
      fetch: server.fetch,
      onProgress: (p) => progress.push(p),
    });
    expect(loaded.train.count).toBe(200);
    const trainGets = server.requests.filter((r) => r.url === TRAIN_URL && r.method === 'GET');
    expect(trainGets).toHaveLength(1);
    expect(server.bytesSent()).toBe(files[TRAIN_URL]!.length + files[TEST_URL]!.length);
    expect(progress.at(-1)!.bytesLoaded).toBe(server.bytesSent());
  });

  it('downloads the whole file when HEAD is not allowed', async () => {
    const server = fakeServer(files, 'no-head');
    const loaded = await loadDataset(parquetRequest(), { fetch: server.fetch });
    expect(loaded.test.count).toBe(50);
  });

  it('loads CIFAR-100 with fine or coarse labels', async () => {
    const c100 = {
      'https://data.test/c100/train.parquet': fixtureBytes('cifar100TrainParquet'),
      'https://data.test/c100/test.parquet': fixtureBytes('cifar100TestParquet'),
    };
    const source = {
      kind: 'parquet' as const,
      trainUrl: 'https://data.test/c100/train.parquet',
      testUrl: 'https://data.test/c100/test.parquet',
    };
    const coarse = await loadDataset(
      parquetRequest({
        source,
        dataset: 'cifar100',
        labelMode: 'coarse',
        trainSize: 40,
        testSize: 10,
      }),
      { fetch: fakeServer(c100).fetch },
    );
    expect(coarse.classNames).toHaveLength(20);
    expect(coarse.classNames[19]).toBe('vehicles_2');
    const c100bytes = new Uint8Array(readFileSync(path.join(SHARED_DATA, 'cifar100/train.bin')));
    const index = indexRecords(c100bytes, 3074);
    for (let i = 0; i < coarse.train.count; i++) {
      const record = index.get(imageKey(coarse.train.images, i))!;
      expect(coarse.train.labels[i]).toBe(c100bytes[record * 3074]);
    }
    const fine = await loadDataset(
      parquetRequest({
        source,
        dataset: 'cifar100',
        labelMode: 'fine',
        trainSize: 40,
        testSize: 10,
      }),
      { fetch: fakeServer(c100).fetch },
    );
    expect(fine.classNames).toHaveLength(100);
    for (let i = 0; i < fine.train.count; i++) {
      const record = index.get(imageKey(fine.train.images, i))!;
      expect(fine.train.labels[i]).toBe(c100bytes[record * 3074 + 1]);
    }
  });

  it('names the columns of a parquet file without img and label', async () => {
    const server = fakeServer({ ...files, [TRAIN_URL]: fixtureBytes('wrongColumnsParquet') });
    expect(await failure(loadDataset(parquetRequest(), { fetch: server.fetch }))).toBe(
      `data.error.parquetColumns {"file":"${TRAIN_URL}","expected":"img.bytes, label","found":"image, target"}`,
    );
  });

  it('rejects a file that is not parquet', async () => {
    const server = fakeServer({ ...files, [TRAIN_URL]: fixtureBytes('randomFile') });
    expect(await failure(loadDataset(parquetRequest(), { fetch: server.fetch }))).toBe(
      `data.error.notParquet {"file":"${TRAIN_URL}"}`,
    );
  });

  it('reports 404, 416 and 500 answers by kind', async () => {
    const missing = fakeServer({ [TEST_URL]: files[TEST_URL]! });
    expect(await failure(loadDataset(parquetRequest(), { fetch: missing.fetch }))).toBe(
      `data.error.httpClient {"url":"${TRAIN_URL}","status":404}`,
    );
    const status = (code: number) =>
      (async (_url: RequestInfo | URL, init?: RequestInit) =>
        init?.method === 'HEAD'
          ? new Response(null, { headers: { 'content-length': '5000' } })
          : new Response(null, { status: code })) as typeof fetch;
    expect(await failure(loadDataset(parquetRequest(), { fetch: status(416) }))).toBe(
      `data.error.rangeNotSatisfiable {"url":"${TRAIN_URL}"}`,
    );
    expect(await failure(loadDataset(parquetRequest(), { fetch: status(503) }))).toBe(
      `data.error.httpServer {"url":"${TRAIN_URL}","status":503}`,
    );
  });

  it('reports a network or CORS failure', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await failure(loadDataset(parquetRequest(), { fetch: failing }))).toBe(
      `data.error.network {"url":"${TRAIN_URL}"}`,
    );
  });

  it('reports a timeout when no bytes arrive', async () => {
    const stalled = ((_url: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () =>
          reject(new DOMException('aborted', 'AbortError')),
        );
      })) as typeof fetch;
    expect(
      await failure(loadDataset(parquetRequest(), { fetch: stalled, idleTimeoutMs: 200 })),
    ).toBe(`data.error.timeout {"url":"${TRAIN_URL}","seconds":0}`);
  });

  it('refuses a full download over the size limit', async () => {
    const server = fakeServer(files, 'ignore-ranges');
    expect(
      await failure(
        loadDataset(parquetRequest(), { fetch: server.fetch, maxFileBytes: 1_000_000 }),
      ),
    ).toBe(
      `data.error.tooLarge {"file":"${TRAIN_URL}","size":${files[TRAIN_URL]!.length},"limit":1000000}`,
    );
  });

  it('stops when cancelled mid-load', async () => {
    const server = fakeServer(files);
    const controller = new AbortController();
    const pending = loadDataset(parquetRequest({ trainSize: 2000 }), {
      fetch: server.fetch,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesLoaded > 0) controller.abort();
      },
    });
    await expect(pending).rejects.toBeInstanceOf(LoadCancelledError);
  });

  it('rejects a URL that is not http or https', async () => {
    const source = {
      kind: 'parquet' as const,
      trainUrl: 'ftp://example.test/a.parquet',
      testUrl: TEST_URL,
    };
    expect(await failure(loadDataset(parquetRequest({ source })))).toBe(
      'data.error.invalidUrl {"url":"ftp://example.test/a.parquet"}',
    );
  });
});

describe('fetch failures', () => {
  it('names CORS when a no-cors request reaches the server', async () => {
    const corsBlocked = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      if (init?.mode === 'no-cors') return new Response(null, { status: 200 });
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await failure(loadDataset(parquetRequest(), { fetch: corsBlocked }))).toBe(
      `data.error.cors {"url":"${TRAIN_URL}"}`,
    );
  });

  it('names an offline browser', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    vi.stubGlobal('navigator', { onLine: false });
    try {
      expect(await failure(loadDataset(parquetRequest(), { fetch: failing }))).toBe(
        `data.error.offline {"url":"${TRAIN_URL}"}`,
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('parquet contents', () => {
  it('reports a row whose image is not a PNG', async () => {
    const broken = brokenParquet(null);
    const server = fakeServer({ ...files, [TRAIN_URL]: broken });
    expect(
      await failure(loadDataset(parquetRequest({ trainSize: 10 }), { fetch: server.fetch })),
    ).toMatch(
      new RegExp(
        `^data\\.error\\.invalidImage \\{"file":"${TRAIN_URL.replace(/[.]/g, '\\.')}","record":\\d+\\}$`,
      ),
    );
  });

  it('names the columns of a CIFAR-100 file read as CIFAR-10', async () => {
    const server = fakeServer({ ...files, [TRAIN_URL]: fixtureBytes('cifar100TrainParquet') });
    const message = await failure(loadDataset(parquetRequest(), { fetch: server.fetch }));
    expect(message).toContain('data.error.parquetColumns');
    expect(message).toContain('"found":"img, fine_label, coarse_label"');
  });

  it('reports a label outside the classes', async () => {
    const server = fakeServer({ ...files, [TRAIN_URL]: brokenParquet(12) });
    expect(
      await failure(loadDataset(parquetRequest({ trainSize: 10 }), { fetch: server.fetch })),
    ).toMatch(/^data\.error\.labelRange \{"file":"[^"]+","record":\d+,"label":"12","max":9\}$/);
  });
});
