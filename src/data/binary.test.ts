import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTar } from '../../scripts/make-fixtures';
import type { DatasetRequest, DatasetSource } from '../training/protocol';
import { DataError, LoadCancelledError } from './errors';
import { loadDataset } from './load';
import {
  fakeServer,
  fixtureFile,
  imageKey,
  indexRecords,
  SHARED_DATA,
  sharedFile,
} from './testSupport';
import type { LoadProgress } from './types';

const TRAIN_COUNTS = [396, 366, 420, 384, 422, 393, 414, 385, 407, 413];
const TEST_COUNTS = [103, 89, 100, 103, 90, 86, 112, 102, 106, 109];

function request(source: DatasetSource, overrides: Partial<DatasetRequest> = {}): DatasetRequest {
  return {
    source,
    dataset: 'cifar10',
    labelMode: 'fine',
    trainSize: 500,
    testSize: 100,
    seed: 7,
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

let trainBytes: Uint8Array;
let testBytes: Uint8Array;
let trainIndex: Map<string, number>;
let testIndex: Map<string, number>;

beforeAll(() => {
  trainBytes = new Uint8Array(readFileSync(path.join(SHARED_DATA, 'cifar10/train.bin')));
  testBytes = new Uint8Array(readFileSync(path.join(SHARED_DATA, 'cifar10/test.bin')));
  trainIndex = indexRecords(trainBytes, 3073);
  testIndex = indexRecords(testBytes, 3073);
});

describe('loadDataset from .bin files', () => {
  const files = () => ({
    kind: 'files' as const,
    files: [
      sharedFile('cifar10/train.bin'),
      sharedFile('cifar10/test.bin'),
      sharedFile('cifar10/batches.meta.txt'),
    ],
  });

  it('loads a balanced subset whose images and labels match the source records', async () => {
    const progress: LoadProgress[] = [];
    const loaded = await loadDataset(request(files()), { onProgress: (p) => progress.push(p) });
    expect(loaded.classNames).toEqual([
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
    ]);
    expect(loaded.train.classCounts).toEqual(new Array(10).fill(50));
    expect(loaded.test.classCounts).toEqual(new Array(10).fill(10));
    expect(loaded.train.images.length).toBe(500 * 3072);
    for (let i = 0; i < loaded.train.count; i++) {
      const record = trainIndex.get(imageKey(loaded.train.images, i));
      expect(record).toBeDefined();
      expect(loaded.train.labels[i]).toBe(trainBytes[record! * 3073]);
    }
    for (let i = 0; i < loaded.test.count; i++) {
      const record = testIndex.get(imageKey(loaded.test.images, i));
      expect(record).toBeDefined();
      expect(loaded.test.labels[i]).toBe(testBytes[record! * 3073]);
    }
    const last = progress.at(-1)!;
    expect(last.images).toBe(5000);
    expect(last.bytesLoaded).toBe(12_292_000 + 3_073_000 + 60);
    expect(last.bytesTotal).toBe(12_292_000 + 3_073_000 + 60);
  });

  it('gives the same images for the same seed and others for another', async () => {
    const a = await loadDataset(request(files()));
    const b = await loadDataset(request(files()));
    const c = await loadDataset(request(files(), { seed: 8 }));
    expect(Buffer.from(a.train.images).equals(Buffer.from(b.train.images))).toBe(true);
    expect(Buffer.from(a.train.labels).equals(Buffer.from(b.train.labels))).toBe(true);
    expect(Buffer.from(a.train.images).equals(Buffer.from(c.train.images))).toBe(false);
  });

  it('keeps every image of a class that has fewer than its share', async () => {
    const loaded = await loadDataset(request(files(), { trainSize: 4000, testSize: 1000 }));
    expect(loaded.train.classCounts).toEqual(TRAIN_COUNTS.map((n) => Math.min(n, 400)));
    expect(loaded.test.classCounts).toEqual(TEST_COUNTS.map((n) => Math.min(n, 100)));
  });

  it('rejects a file whose size is not a whole number of records', async () => {
    const bytes = readFileSync(path.join(SHARED_DATA, 'cifar10/train.bin')).subarray(
      0,
      3073 * 2 + 10,
    );
    const bad = new File([bytes], 'cut.bin');
    expect(
      await failure(
        loadDataset(request({ kind: 'files', files: [bad, sharedFile('cifar10/test.bin')] })),
      ),
    ).toBe(
      'data.error.recordSize {"file":"cut.bin","size":6156,"recordBytes":3073,"remainder":10}',
    );
  });

  it('rejects an empty file', async () => {
    const empty = new File([], 'empty.bin');
    expect(await failure(loadDataset(request({ kind: 'files', files: [empty] })))).toBe(
      'data.error.emptyFile {"file":"empty.bin"}',
    );
  });

  it('rejects a file over the limit before reading it', async () => {
    let read = false;
    const huge = {
      name: 'huge_test.bin',
      size: 300 * 1024 * 1024,
      slice: () => {
        read = true;
        return new Blob();
      },
      stream: () => {
        read = true;
        return new Blob().stream();
      },
    } as unknown as File;
    expect(
      await failure(
        loadDataset(request({ kind: 'files', files: [sharedFile('cifar10/train.bin'), huge] })),
      ),
    ).toBe(
      `data.error.tooLarge {"file":"huge_test.bin","size":${300 * 1024 * 1024},"limit":${256 * 1024 * 1024}}`,
    );
    expect(read).toBe(false);
  });

  it('rejects a label out of range and names the record', async () => {
    const bytes = Uint8Array.from(readFileSync(path.join(SHARED_DATA, 'cifar10/test.bin')));
    bytes[3073 * 12] = 200;
    const bad = new File([bytes], 'test_batch.bin');
    expect(
      await failure(
        loadDataset(request({ kind: 'files', files: [sharedFile('cifar10/train.bin'), bad] })),
      ),
    ).toBe('data.error.labelRange {"file":"test_batch.bin","record":12,"label":200,"max":9}');
  });

  it('rejects a random .bin file by its labels', async () => {
    const message = await failure(
      loadDataset(
        request({
          kind: 'files',
          files: [fixtureFile('randomBin', 'data_batch_1.bin'), sharedFile('cifar10/test.bin')],
        }),
      ),
    );
    expect(message).toMatch(/^data\.error\.labelRange \{"file":"data_batch_1\.bin","record":\d+/);
  });

  it('rejects a file of unknown type', async () => {
    expect(
      await failure(loadDataset(request({ kind: 'files', files: [fixtureFile('randomFile')] }))),
    ).toBe('data.error.unknownFormat {"file":"random.dat"}');
  });

  it('asks for a test file when only training batches are picked', async () => {
    expect(
      await failure(
        loadDataset(request({ kind: 'files', files: [sharedFile('cifar10/train.bin')] })),
      ),
    ).toBe('data.error.noTestFile {"files":"train.bin"}');
  });

  it('suggests CIFAR-100 for CIFAR-100 records read as CIFAR-10', async () => {
    const message = await failure(
      loadDataset(
        request({
          kind: 'files',
          files: [sharedFile('cifar100/train.bin'), sharedFile('cifar10/test.bin')],
        }),
      ),
    );
    expect(message).toContain('data.error.recordSizeOtherDataset');
    expect(message).toContain('"otherDataset":"CIFAR-100"');
  });

  it('reads CIFAR-100 records with coarse labels', async () => {
    const c100 = readFileSync(path.join(SHARED_DATA, 'cifar100/train.bin'));
    const train = new File([c100.subarray(0, 3074 * 80)], 'train.bin');
    const test = new File([c100.subarray(3074 * 80)], 'test.bin');
    const loaded = await loadDataset(
      request(
        { kind: 'files', files: [train, test, sharedFile('cifar100/coarse_label_names.txt')] },
        {
          dataset: 'cifar100',
          labelMode: 'coarse',
          trainSize: 40,
          testSize: 20,
        },
      ),
    );
    expect(loaded.classNames).toHaveLength(20);
    expect(loaded.classNames[0]).toBe('aquatic_mammals');
    expect(loaded.train.classCounts).toHaveLength(20);
    const index = indexRecords(new Uint8Array(c100), 3074);
    for (let i = 0; i < loaded.train.count; i++) {
      const record = index.get(imageKey(loaded.train.images, i))!;
      expect(loaded.train.labels[i]).toBe(c100[record * 3074]);
    }
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      loadDataset(request(files()), { signal: controller.signal }),
    ).rejects.toBeInstanceOf(LoadCancelledError);
  });

  it('rejects sizes outside the allowed range', async () => {
    expect(await failure(loadDataset(request(files(), { trainSize: 0 })))).toBe(
      'data.error.invalidSize {"field":"trainSize","value":"0","min":1,"max":50000}',
    );
    expect(await failure(loadDataset(request(files(), { testSize: 2.5 })))).toContain(
      '"field":"testSize"',
    );
    expect(await failure(loadDataset(request(files(), { seed: -1 })))).toContain(
      'data.error.invalidSeed',
    );
  });
});

describe('loadDataset from official archives', () => {
  it('gives the same subset from the archive as from the .bin files', async () => {
    const fromArchive = await loadDataset(
      request({ kind: 'archive', file: fixtureFile('cifar10Archive') }),
    );
    const fromFiles = await loadDataset(
      request({
        kind: 'files',
        files: [sharedFile('cifar10/train.bin'), sharedFile('cifar10/test.bin')],
      }),
    );
    expect(fromArchive.dataset).toBe('cifar10');
    expect(fromArchive.classNames[9]).toBe('truck');
    expect(Buffer.from(fromArchive.train.images).equals(Buffer.from(fromFiles.train.images))).toBe(
      true,
    );
    expect(Buffer.from(fromArchive.test.labels).equals(Buffer.from(fromFiles.test.labels))).toBe(
      true,
    );
  });

  it('reads the archive when picked among files', async () => {
    const loaded = await loadDataset(
      request({ kind: 'files', files: [fixtureFile('cifar10Archive')] }),
    );
    expect(loaded.train.count).toBe(500);
  });

  it('detects CIFAR-100 from the archive and uses fine or coarse labels', async () => {
    const fine = await loadDataset(
      request(
        { kind: 'archive', file: fixtureFile('cifar100Archive') },
        { trainSize: 80, testSize: 20, labelMode: 'fine' },
      ),
    );
    expect(fine.dataset).toBe('cifar100');
    expect(fine.classNames).toHaveLength(100);
    expect(fine.classNames[0]).toBe('apple');
    expect(fine.train.classCounts).toHaveLength(100);
    const coarse = await loadDataset(
      request(
        { kind: 'archive', file: fixtureFile('cifar100Archive') },
        { dataset: 'cifar100', labelMode: 'coarse', trainSize: 40, testSize: 20 },
      ),
    );
    expect(coarse.classNames).toHaveLength(20);
    expect(coarse.train.classCounts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(40);
  });

  it('reports a truncated archive', async () => {
    expect(
      await failure(
        loadDataset(request({ kind: 'archive', file: fixtureFile('truncatedArchive') })),
      ),
    ).toBe('data.error.truncatedArchive {"file":"truncated.tar.gz"}');
  });

  it('reports a corrupt archive', async () => {
    expect(
      await failure(loadDataset(request({ kind: 'archive', file: fixtureFile('corruptArchive') }))),
    ).toBe('data.error.corruptArchive {"file":"corrupt.tar.gz"}');
  });

  it('reports a random file given as an archive', async () => {
    expect(
      await failure(
        loadDataset(request({ kind: 'archive', file: fixtureFile('randomFile', 'cifar.tar.gz') })),
      ),
    ).toBe('data.error.notGzip {"file":"cifar.tar.gz"}');
  });

  it('reports picked misnamed gzip files', async () => {
    for (const name of ['fake.tar.gz', 'fake.TGZ']) {
      expect(
        await failure(
          loadDataset(request({ kind: 'files', files: [fixtureFile('randomFile', name)] })),
        ),
      ).toBe(`data.error.notGzip {"file":"${name}"}`);
    }
  });
});

describe('loadDataset edge cases', () => {
  it('gives the same subset whatever order the files are picked in', async () => {
    const train = readFileSync(path.join(SHARED_DATA, 'cifar10/train.bin'));
    const batches = [0, 1, 2, 3].map(
      (n) =>
        new File(
          [train.subarray(n * 1000 * 3073, (n + 1) * 1000 * 3073)],
          `data_batch_${n + 1}.bin`,
        ),
    );
    const test = sharedFile('cifar10/test.bin');
    const forward = await loadDataset(request({ kind: 'files', files: [...batches, test] }));
    const backward = await loadDataset(
      request({ kind: 'files', files: [test, ...batches].reverse() }),
    );
    expect(Buffer.from(forward.train.images).equals(Buffer.from(backward.train.images))).toBe(true);
  });

  it('reports a label out of range inside an intact archive', async () => {
    const test = Uint8Array.from(readFileSync(path.join(SHARED_DATA, 'cifar10/test.bin')));
    test[3073 * 5] = 42;
    const archive = gzipSync(
      writeTar([
        {
          name: 'cifar-10-batches-bin/data_batch_1.bin',
          data: readFileSync(path.join(SHARED_DATA, 'cifar10/train.bin')),
        },
        { name: 'cifar-10-batches-bin/test_batch.bin', data: test },
      ]),
    );
    const file = new File([archive], 'cifar-10-binary.tar.gz');
    expect(await failure(loadDataset(request({ kind: 'archive', file })))).toBe(
      'data.error.labelRange {"file":"cifar-10-binary.tar.gz: cifar-10-batches-bin/test_batch.bin","record":5,"label":42,"max":9}',
    );
  });

  it('reports an archive without CIFAR batches', async () => {
    const archive = gzipSync(
      writeTar([{ name: 'notes/readme.txt', data: new TextEncoder().encode('hello') }]),
    );
    expect(
      await failure(
        loadDataset(request({ kind: 'archive', file: new File([archive], 'other.tar.gz') })),
      ),
    ).toBe('data.error.archiveMissingBatches {"file":"other.tar.gz"}');
  });
});

describe('loadDataset from binary URLs', () => {
  const base = 'http://localhost/data/cifar10';
  const source = {
    kind: 'url-binary' as const,
    trainUrl: `${base}/train.bin`,
    testUrl: `${base}/test.bin`,
    metaUrl: `${base}/batches.meta.txt`,
  };
  const served = (): Record<string, Uint8Array> => ({
    [`${base}/train.bin`]: new Uint8Array(
      readFileSync(path.join(SHARED_DATA, 'cifar10/train.bin')),
    ),
    [`${base}/test.bin`]: new Uint8Array(readFileSync(path.join(SHARED_DATA, 'cifar10/test.bin'))),
    [`${base}/batches.meta.txt`]: new Uint8Array(
      readFileSync(path.join(SHARED_DATA, 'cifar10/batches.meta.txt')),
    ),
  });

  it('streams the batches and reads the class names', async () => {
    const server = fakeServer(served());
    const loaded = await loadDataset(request(source), { fetch: server.fetch });
    expect(loaded.train.classCounts).toEqual(new Array(10).fill(50));
    expect(loaded.classNames[2]).toBe('bird');
    expect(loaded.sourceLabel).toBe('localhost/data/cifar10/train.bin');
  });

  it('rejects a wrong size from Content-Length before reading the body', async () => {
    const files = served();
    files[`${base}/train.bin`] = files[`${base}/train.bin`]!.subarray(0, 3073 * 10 + 7);
    const server = fakeServer(files);
    const progress: LoadProgress[] = [];
    const loading = loadDataset(request(source), {
      fetch: server.fetch,
      onProgress: (p) => progress.push(p),
    });
    expect(await failure(loading)).toBe(
      `data.error.recordSize {"file":"${base}/train.bin","size":30737,"recordBytes":3073,"remainder":7}`,
    );
    expect(progress.every((p) => p.bytesLoaded === 0)).toBe(true);
  });

  it('reports a missing file with its status', async () => {
    const files = served();
    delete files[`${base}/test.bin`];
    expect(await failure(loadDataset(request(source), { fetch: fakeServer(files).fetch }))).toBe(
      `data.error.httpClient {"url":"${base}/test.bin","status":404}`,
    );
  });
});
