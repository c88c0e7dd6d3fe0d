// Loaded subsets kept in IndexedDB, so a class can reuse them after a reload
// or offline. Each entry stores its source, sizes, seed and the pixels; the
// list reads only the small `entries` store, never the pixels.

import type { CachedDatasetInfo } from '../training/protocol';
import { DataError } from './errors';
import type { LoadedDataset } from './types';

const DATABASE = 'densenet-playground-data';
const VERSION = 1;
const ENTRIES = 'entries';
const PAYLOADS = 'payloads';

interface Payload {
  cacheId: string;
  dataset: LoadedDataset;
}

export interface DatasetCache {
  list(): Promise<CachedDatasetInfo[]>;
  /** Stores `dataset`, replacing an entry with the same source, sizes and seed. */
  save(dataset: LoadedDataset): Promise<CachedDatasetInfo>;
  read(cacheId: string): Promise<LoadedDataset>;
  remove(cacheId: string): Promise<void>;
}

/**
 * The id of a subset: equal ids mean the same source, label mode, sizes and seed.
 * NOTE: a file source is identified by its file names only, so picking other
 * files with the same names replaces the earlier entry.
 */
export function cacheIdOf(dataset: LoadedDataset): string {
  return [
    dataset.dataset,
    dataset.labelMode,
    dataset.requestedTrainSize,
    dataset.requestedTestSize,
    dataset.seed,
    dataset.sourceLabel,
  ].join('|');
}

export function byteSize(dataset: LoadedDataset): number {
  return (
    dataset.train.images.length +
    dataset.train.labels.length +
    dataset.test.images.length +
    dataset.test.labels.length
  );
}

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException
    ? error.name === 'QuotaExceededError'
    : (error as { name?: string })?.name === 'QuotaExceededError';
}

function failure(error: unknown, bytes = 0): DataError {
  if (error instanceof DataError) return error;
  if (isQuotaError(error)) return new DataError('data.error.cacheQuota', { bytes });
  const message = error instanceof Error ? error.message : String(error);
  return new DataError('data.error.cacheFailed', { message });
}

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function completed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () =>
      reject(transaction.error ?? new DOMException('Transaction aborted', 'AbortError'));
  });
}

/** Opens the cache over `factory` (the browser's indexedDB unless given). */
export function openDatasetCache(
  factory: IDBFactory | undefined = globalThis.indexedDB,
): DatasetCache {
  let database: Promise<IDBDatabase> | null = null;

  const open = (): Promise<IDBDatabase> => {
    if (!factory) return Promise.reject(new DataError('data.error.cacheUnavailable'));
    database ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DATABASE, VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(ENTRIES))
          db.createObjectStore(ENTRIES, { keyPath: 'cacheId' });
        if (!db.objectStoreNames.contains(PAYLOADS))
          db.createObjectStore(PAYLOADS, { keyPath: 'cacheId' });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () =>
        reject(new DataError('data.error.cacheFailed', { message: 'database blocked' }));
    }).catch((error) => {
      database = null;
      throw failure(error);
    });
    return database;
  };

  return {
    async list() {
      try {
        const db = await open();
        const transaction = db.transaction(ENTRIES, 'readonly');
        const entries = await promised(
          transaction.objectStore(ENTRIES).getAll() as IDBRequest<CachedDatasetInfo[]>,
        );
        return entries.sort((a, b) => b.savedAt - a.savedAt);
      } catch (error) {
        throw failure(error);
      }
    },

    async save(dataset) {
      const bytes = byteSize(dataset);
      const info: CachedDatasetInfo = {
        cacheId: cacheIdOf(dataset),
        dataset: dataset.dataset,
        labelMode: dataset.labelMode,
        sourceLabel: dataset.sourceLabel,
        trainSize: dataset.train.count,
        testSize: dataset.test.count,
        seed: dataset.seed,
        bytes,
        savedAt: Date.now(),
      };
      try {
        const db = await open();
        const transaction = db.transaction([ENTRIES, PAYLOADS], 'readwrite');
        const done = completed(transaction);
        transaction.objectStore(PAYLOADS).put({ cacheId: info.cacheId, dataset } satisfies Payload);
        transaction.objectStore(ENTRIES).put(info);
        await done;
        return info;
      } catch (error) {
        throw failure(error, bytes);
      }
    },

    async read(cacheId) {
      let payload: Payload | undefined;
      try {
        const db = await open();
        const transaction = db.transaction(PAYLOADS, 'readonly');
        payload = await promised(
          transaction.objectStore(PAYLOADS).get(cacheId) as IDBRequest<Payload | undefined>,
        );
      } catch (error) {
        throw failure(error);
      }
      if (!payload) throw new DataError('data.error.cacheMissing', { cacheId });
      return payload.dataset;
    },

    async remove(cacheId) {
      try {
        const db = await open();
        const transaction = db.transaction([ENTRIES, PAYLOADS], 'readwrite');
        const done = completed(transaction);
        transaction.objectStore(ENTRIES).delete(cacheId);
        transaction.objectStore(PAYLOADS).delete(cacheId);
        await done;
      } catch (error) {
        throw failure(error);
      }
    },
  };
}
