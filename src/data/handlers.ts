// The worker side of the data messages in protocol.ts: load-data,
// cancel-load, list-cache and delete-cache. The worker routes those messages
// here and keeps the subset that `onDataset` hands over for training.

import type { UserFacingError, WorkerEvent, WorkerRequest } from '../training/protocol';
import { type DatasetCache, openDatasetCache } from './cache';
import { DataError, LoadCancelledError, toUserFacingError } from './errors';
import { loadDataset } from './load';
import { PIXEL_BYTES, PLANE_BYTES } from './records';
import type { LoadCallbacks, LoadedDataset } from './types';

/** Thumbnails sent with data-ready. */
export const SAMPLE_COUNT = 20;

export interface DataHandlerOptions {
  post(event: WorkerEvent, transfer?: Transferable[]): void;
  /** Receives each subset that finished loading; the previous one stays current until then. */
  onDataset?(dataset: LoadedDataset): void;
  /** The IndexedDB cache; opened on the global indexedDB unless given. */
  cache?: DatasetCache;
  /** Overrides for tests: fetch, timeouts, the file size limit. */
  loadOptions?: Omit<LoadCallbacks, 'onProgress' | 'signal'>;
}

export interface DataHandlers {
  /** Handles a data message and returns true, or returns false for any other message. */
  handle(message: WorkerRequest): boolean;
  /** The last subset that loaded, or null. */
  current(): LoadedDataset | null;
}

/** Picks a few training images, spread over the classes, as 32x32 RGBA. */
export function sampleThumbnails(
  dataset: LoadedDataset,
): { label: number; rgba: Uint8ClampedArray }[] {
  const classes = dataset.train.classCounts.length;
  const perClass = Math.max(1, Math.floor(SAMPLE_COUNT / classes));
  const taken = new Array<number>(classes).fill(0);
  const samples: { label: number; rgba: Uint8ClampedArray }[] = [];
  const { images, labels, count } = dataset.train;
  for (let i = 0; i < count && samples.length < SAMPLE_COUNT; i++) {
    const label = labels[i]!;
    if (taken[label]! >= perClass) continue;
    taken[label]! += 1;
    const rgba = new Uint8ClampedArray(PLANE_BYTES * 4);
    const offset = i * PIXEL_BYTES;
    for (let p = 0; p < PLANE_BYTES; p++) {
      rgba[p * 4] = images[offset + p * 3]!;
      rgba[p * 4 + 1] = images[offset + p * 3 + 1]!;
      rgba[p * 4 + 2] = images[offset + p * 3 + 2]!;
      rgba[p * 4 + 3] = 255;
    }
    samples.push({ label, rgba });
  }
  return samples;
}

export function createDataHandlers(options: DataHandlerOptions): DataHandlers {
  let cache: DatasetCache | null = options.cache ?? null;
  const getCache = () => {
    cache ??= openDatasetCache();
    return cache;
  };
  let current: LoadedDataset | null = null;
  let active: { requestId: number; controller: AbortController } | null = null;

  const fail = (requestId: number, error: unknown) => {
    if (!(error instanceof DataError)) console.error('data request failed', requestId, error);
    options.post({ type: 'load-error', requestId, error: toUserFacingError(error) });
  };

  const load = async (
    requestId: number,
    message: Extract<WorkerRequest, { type: 'load-data' }>,
  ) => {
    // A new load replaces one still running.
    active?.controller.abort();
    const controller = new AbortController();
    active = { requestId, controller };
    try {
      const dataset = await loadDataset(
        message.request,
        {
          ...options.loadOptions,
          signal: controller.signal,
          onProgress: (progress) => options.post({ type: 'load-progress', requestId, ...progress }),
        },
        message.request.source.kind === 'cache' ? getCache() : undefined,
      );
      if (controller.signal.aborted) throw new LoadCancelledError();
      current = dataset;
      options.onDataset?.(dataset);

      let cacheId: string | null =
        message.request.source.kind === 'cache' ? message.request.source.cacheId : null;
      let cacheError: UserFacingError | undefined;
      if (cacheId === null) {
        try {
          cacheId = (await getCache().save(dataset)).cacheId;
        } catch (error) {
          cacheError = toUserFacingError(error);
        }
      }
      const samples = sampleThumbnails(dataset);
      options.post(
        {
          type: 'data-ready',
          requestId,
          cacheId,
          ...(cacheError ? { cacheError } : {}),
          dataset: dataset.dataset,
          labelMode: dataset.labelMode,
          sourceLabel: dataset.sourceLabel,
          classNames: dataset.classNames,
          trainCount: dataset.train.count,
          testCount: dataset.test.count,
          trainClassCounts: dataset.train.classCounts,
          testClassCounts: dataset.test.classCounts,
          samples,
        },
        samples.map((sample) => sample.rgba.buffer),
      );
    } catch (error) {
      if (error instanceof LoadCancelledError || controller.signal.aborted) {
        options.post({ type: 'load-cancelled', requestId });
      } else {
        fail(requestId, error);
      }
    } finally {
      if (active?.controller === controller) active = null;
    }
  };

  const list = async (requestId: number) => {
    try {
      options.post({ type: 'cache-list', requestId, entries: await getCache().list() });
    } catch (error) {
      fail(requestId, error);
    }
  };

  const remove = async (requestId: number, cacheId: string) => {
    try {
      await getCache().remove(cacheId);
      options.post({ type: 'cache-list', requestId, entries: await getCache().list() });
    } catch (error) {
      fail(requestId, error);
    }
  };

  return {
    handle(message) {
      switch (message.type) {
        case 'load-data':
          void load(message.requestId, message);
          return true;
        case 'cancel-load':
          if (active?.requestId === message.requestId) active.controller.abort();
          return true;
        case 'list-cache':
          void list(message.requestId);
          return true;
        case 'delete-cache':
          void remove(message.requestId, message.cacheId);
          return true;
        default:
          return false;
      }
    },
    current: () => current,
  };
}
