// The one entry point the worker calls: validates a DatasetRequest, reads the
// chosen source, and returns a balanced seeded subset with its class names.

import type { DatasetRequest, DatasetSource } from '../training/protocol';
import {
  type BinaryLoadOptions,
  loadFromArchive,
  loadFromFiles,
  loadFromUrls,
  MAX_FILE_BYTES,
  TEST_SEED_OFFSET,
} from './binary';
import type { DatasetCache } from './cache';
import { classNamesFromText, defaultClassNames } from './classNames';
import { DataError, throwIfCancelled } from './errors';
import { checkUrl } from './http';
import { loadParquetSplit } from './parquet';
import type { LoadCallbacks, LoadedDataset, LoadProgress } from './types';

/** Inclusive limits of the subset sizes: the sizes of the official training and test sets. */
export const SIZE_LIMITS = {
  trainSize: { min: 1, max: 50_000 },
  testSize: { min: 1, max: 10_000 },
  seed: { min: 0, max: 2 ** 32 - 1 },
} as const;

/** Shortest interval between two progress reports, in milliseconds. */
const PROGRESS_INTERVAL_MS = 100;

/** Throws the DataError for the first field of `request` outside its limits. */
export function validateRequest(request: DatasetRequest): void {
  for (const field of ['trainSize', 'testSize'] as const) {
    const value = request[field];
    const { min, max } = SIZE_LIMITS[field];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new DataError('data.error.invalidSize', { field, value: String(value), min, max });
    }
  }
  const { min, max } = SIZE_LIMITS.seed;
  if (!Number.isInteger(request.seed) || request.seed < min || request.seed > max) {
    throw new DataError('data.error.invalidSeed', { value: String(request.seed), min, max });
  }
  const source = request.source;
  if (source.kind === 'parquet' || source.kind === 'url-binary') {
    checkUrl(source.trainUrl);
    checkUrl(source.testUrl);
  }
  if (source.kind === 'url-binary' && source.metaUrl) checkUrl(source.metaUrl);
}

/** Short description of a source for the cache list: file names, or host and path. */
export function describeSource(source: DatasetSource): string {
  switch (source.kind) {
    case 'files':
      return source.files.map((file) => file.name).join(', ');
    case 'archive':
      return source.file.name;
    case 'url-binary':
    case 'parquet': {
      const url = new URL(checkUrl(source.trainUrl));
      return `${url.host}${url.pathname}`;
    }
    case 'cache':
      return source.cacheId;
  }
}

class ProgressTracker {
  private progress: LoadProgress = { bytesLoaded: 0, bytesTotal: null, images: 0 };
  private lastReport = 0;

  constructor(private readonly report: ((progress: LoadProgress) => void) | undefined) {}

  setTotal(total: number | null): void {
    this.progress.bytesTotal = total;
  }

  addBytes(count: number): void {
    this.progress.bytesLoaded += count;
    this.maybeReport();
  }

  addImages(count: number): void {
    this.progress.images += count;
    this.maybeReport();
  }

  flush(): void {
    this.report?.({ ...this.progress });
  }

  private maybeReport(): void {
    const now = Date.now();
    if (now - this.lastReport < PROGRESS_INTERVAL_MS) return;
    this.lastReport = now;
    this.flush();
  }
}

/**
 * Loads the subset that `request` describes. Throws DataError for anything the
 * user can fix and LoadCancelledError when `callbacks.signal` aborts. A request
 * for the cache needs `cache`.
 */
export async function loadDataset(
  request: DatasetRequest,
  callbacks: LoadCallbacks = {},
  cache?: DatasetCache,
): Promise<LoadedDataset> {
  validateRequest(request);
  const { source } = request;
  const progress = new ProgressTracker(callbacks.onProgress);
  const signal = callbacks.signal;

  if (source.kind === 'cache') {
    if (!cache) throw new DataError('data.error.cacheUnavailable');
    const dataset = await cache.read(source.cacheId);
    throwIfCancelled(signal);
    progress.addImages(dataset.train.count + dataset.test.count);
    progress.flush();
    return dataset;
  }

  const sourceLabel = describeSource(source);
  const base = {
    labelMode: request.dataset === 'cifar10' ? ('fine' as const) : request.labelMode,
    seed: request.seed,
    sourceLabel,
    requestedTrainSize: request.trainSize,
    requestedTestSize: request.testSize,
  };

  if (source.kind === 'parquet') {
    const common = {
      dataset: request.dataset,
      labelMode: base.labelMode,
      signal,
      fetch: callbacks.fetch,
      idleTimeoutMs: callbacks.idleTimeoutMs,
      maxFullDownloadBytes: callbacks.maxFileBytes ?? MAX_FILE_BYTES,
      onBytes: (count: number, total: number | null) => {
        if (total !== null) progress.setTotal(total);
        progress.addBytes(count);
      },
      onImages: (count: number) => progress.addImages(count),
    };
    const train = await loadParquetSplit({
      ...common,
      url: source.trainUrl,
      size: request.trainSize,
      seed: request.seed,
    });
    progress.setTotal(null);
    const test = await loadParquetSplit({
      ...common,
      url: source.testUrl,
      size: request.testSize,
      seed: (request.seed + TEST_SEED_OFFSET) >>> 0,
    });
    progress.flush();
    const classNames =
      train.classNames?.length === train.subset.classCounts.length
        ? train.classNames
        : defaultClassNames(request.dataset, base.labelMode);
    return {
      ...base,
      dataset: request.dataset,
      classNames,
      train: train.subset,
      test: test.subset,
    };
  }

  const options: BinaryLoadOptions = {
    dataset: request.dataset,
    labelMode: base.labelMode,
    trainSize: request.trainSize,
    testSize: request.testSize,
    seed: request.seed,
    signal,
    maxFileBytes: callbacks.maxFileBytes,
    onBytes: (count) => progress.addBytes(count),
    onImages: (count) => progress.addImages(count),
  };
  let result: Awaited<ReturnType<typeof loadFromFiles>>;
  if (source.kind === 'files') {
    progress.setTotal(source.files.reduce((sum, file) => sum + file.size, 0));
    result = await loadFromFiles(source.files, options);
  } else if (source.kind === 'archive') {
    progress.setTotal(source.file.size);
    result = await loadFromArchive(source.file, options);
  } else {
    result = await loadFromUrls(source, options, {
      fetch: callbacks.fetch,
      idleTimeoutMs: callbacks.idleTimeoutMs,
    });
  }
  progress.flush();
  // An archive decides the dataset itself; CIFAR-10 has only one kind of label.
  const labelMode = result.dataset === 'cifar10' ? 'fine' : base.labelMode;
  return {
    ...base,
    labelMode,
    dataset: result.dataset,
    classNames: classNamesFromText(result.namesText, result.dataset, labelMode),
    train: result.train,
    test: result.test,
  };
}
