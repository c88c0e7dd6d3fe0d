import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { DatasetRequest, WorkerEvent } from '../training/protocol';
import { openDatasetCache } from './cache';
import { createDataHandlers } from './handlers';
import { sharedFile } from './testSupport';
import type { LoadedDataset } from './types';

function filesRequest(files: File[], overrides: Partial<DatasetRequest> = {}): DatasetRequest {
  return {
    source: { kind: 'files', files },
    dataset: 'cifar10',
    labelMode: 'fine',
    trainSize: 100,
    testSize: 20,
    seed: 1,
    ...overrides,
  };
}

function harness() {
  const events: WorkerEvent[] = [];
  const datasets: LoadedDataset[] = [];
  const waiters: { type: string; requestId: number; resolve: (event: WorkerEvent) => void }[] = [];
  const handlers = createDataHandlers({
    post(event) {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (
          waiter.type === event.type &&
          'requestId' in event &&
          event.requestId === waiter.requestId
        ) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    },
    onDataset: (dataset) => datasets.push(dataset),
    cache: openDatasetCache(new IDBFactory()),
  });
  const next = <T extends WorkerEvent['type']>(type: T, requestId: number) =>
    new Promise<Extract<WorkerEvent, { type: T }>>((resolve) => {
      waiters.push({ type, requestId, resolve: resolve as (event: WorkerEvent) => void });
    });
  const settle = (requestId: number) =>
    Promise.race([
      next('data-ready', requestId),
      next('load-error', requestId),
      next('load-cancelled', requestId),
    ]);
  return { events, datasets, handlers, next, settle };
}

describe('data message handlers', () => {
  it('loads, reports progress and data-ready, and caches the subset', async () => {
    const { handlers, events, datasets, settle, next } = harness();
    expect(
      handlers.handle({
        type: 'load-data',
        requestId: 1,
        request: filesRequest([sharedFile('cifar10/train.bin'), sharedFile('cifar10/test.bin')]),
      }),
    ).toBe(true);
    const ready = (await settle(1)) as Extract<WorkerEvent, { type: 'data-ready' }>;
    expect(ready.type).toBe('data-ready');
    expect(ready.trainClassCounts).toEqual(new Array(10).fill(10));
    expect(ready.testClassCounts).toEqual(new Array(10).fill(2));
    expect(ready.classNames[1]).toBe('automobile');
    expect(ready.samples).toHaveLength(20);
    expect(ready.samples[0]!.rgba).toHaveLength(32 * 32 * 4);
    expect(ready.cacheId).not.toBeNull();
    expect(events.some((event) => event.type === 'load-progress')).toBe(true);
    expect(datasets).toHaveLength(1);
    expect(handlers.current()).toBe(datasets[0]);

    handlers.handle({ type: 'list-cache', requestId: 2 });
    const list = await next('cache-list', 2);
    expect(list.entries).toHaveLength(1);
    expect(list.entries[0]).toMatchObject({
      cacheId: ready.cacheId,
      trainSize: 100,
      testSize: 20,
      seed: 1,
      sourceLabel: 'train.bin, test.bin',
    });

    handlers.handle({
      type: 'load-data',
      requestId: 3,
      request: { ...filesRequest([]), source: { kind: 'cache', cacheId: ready.cacheId! } },
    });
    const fromCache = (await settle(3)) as Extract<WorkerEvent, { type: 'data-ready' }>;
    expect(fromCache.type).toBe('data-ready');
    expect(fromCache.trainClassCounts).toEqual(ready.trainClassCounts);
    expect(
      Buffer.from(datasets[1]!.train.images).equals(Buffer.from(datasets[0]!.train.images)),
    ).toBe(true);

    handlers.handle({ type: 'delete-cache', requestId: 4, cacheId: ready.cacheId! });
    expect((await next('cache-list', 4)).entries).toEqual([]);
  });

  it('keeps the last good subset when a load fails', async () => {
    const { handlers, settle } = harness();
    handlers.handle({
      type: 'load-data',
      requestId: 1,
      request: filesRequest([sharedFile('cifar10/train.bin'), sharedFile('cifar10/test.bin')]),
    });
    await settle(1);
    const good = handlers.current();
    handlers.handle({
      type: 'load-data',
      requestId: 2,
      request: filesRequest([new File([], 'empty.bin')]),
    });
    const failed = await settle(2);
    expect(failed).toEqual({
      type: 'load-error',
      requestId: 2,
      error: { code: 'data.error.emptyFile', params: { file: 'empty.bin' } },
    });
    expect(handlers.current()).toBe(good);
  });

  it('cancels a running load', async () => {
    const { handlers, settle } = harness();
    handlers.handle({
      type: 'load-data',
      requestId: 5,
      request: filesRequest([sharedFile('cifar10/train.bin'), sharedFile('cifar10/test.bin')]),
    });
    handlers.handle({ type: 'cancel-load', requestId: 5 });
    expect(await settle(5)).toEqual({ type: 'load-cancelled', requestId: 5 });
    expect(handlers.current()).toBeNull();
  });

  it('ignores messages that are not about data', () => {
    const { handlers } = harness();
    expect(handlers.handle({ type: 'pause', runId: 1 })).toBe(false);
  });
});
