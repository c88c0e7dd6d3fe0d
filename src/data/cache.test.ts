import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { cacheIdOf, openDatasetCache } from './cache';
import { DataError } from './errors';
import type { LoadedDataset } from './types';

function dataset(seed: number, trainCount = 4): LoadedDataset {
  const images = new Uint8Array(trainCount * 3072).map((_, i) => (i * seed) & 0xff);
  return {
    dataset: 'cifar10',
    labelMode: 'fine',
    classNames: ['a', 'b'],
    train: {
      images,
      labels: new Uint8Array(trainCount).fill(1),
      classCounts: [0, trainCount],
      count: trainCount,
    },
    test: {
      images: new Uint8Array(3072),
      labels: new Uint8Array([0]),
      classCounts: [1, 0],
      count: 1,
    },
    sourceLabel: 'train.bin, test.bin',
    seed,
    requestedTrainSize: trainCount,
    requestedTestSize: 1,
  };
}

describe('dataset cache', () => {
  it('saves, lists, reads back and deletes a subset', async () => {
    const factory = new IDBFactory();
    const cache = openDatasetCache(factory);
    const saved = await cache.save(dataset(3));
    expect(saved).toMatchObject({
      dataset: 'cifar10',
      trainSize: 4,
      testSize: 1,
      seed: 3,
      bytes: 4 * 3072 + 4 + 3072 + 1,
    });
    await cache.save(dataset(5));

    // A fresh connection, as after a page reload.
    const reopened = openDatasetCache(factory);
    const entries = await reopened.list();
    expect(entries.map((entry) => entry.seed).sort()).toEqual([3, 5]);
    const read = await reopened.read(saved.cacheId);
    expect(Buffer.from(read.train.images).equals(Buffer.from(dataset(3).train.images))).toBe(true);
    expect(read.classNames).toEqual(['a', 'b']);

    await reopened.remove(saved.cacheId);
    expect((await reopened.list()).map((entry) => entry.seed)).toEqual([5]);
    await expect(reopened.read(saved.cacheId)).rejects.toMatchObject({
      code: 'data.error.cacheMissing',
    });
  });

  it('replaces an entry with the same source, sizes and seed', async () => {
    const cache = openDatasetCache(new IDBFactory());
    await cache.save(dataset(3));
    await cache.save(dataset(3));
    expect(await cache.list()).toHaveLength(1);
    expect((await cache.list())[0]!.cacheId).toBe(cacheIdOf(dataset(3)));
  });

  it('reports a quota error with the size that did not fit', async () => {
    const factory = new IDBFactory();
    const cache = openDatasetCache(factory);
    await cache.list();
    const { IDBObjectStore } = await import('fake-indexeddb');
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    try {
      const error = await cache.save(dataset(3)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).code).toBe('data.error.cacheQuota');
      expect((error as DataError).params.bytes).toBe(4 * 3072 + 4 + 3072 + 1);
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect(await cache.list()).toEqual([]);
  });

  it('reports a missing IndexedDB', async () => {
    const cache = openDatasetCache(undefined);
    await expect(cache.list()).rejects.toMatchObject({ code: 'data.error.cacheUnavailable' });
  });
});
