import { beforeEach, describe, expect, it } from 'vitest';
import type { WorkerEvent, WorkerRequest } from '../training/protocol';
import {
  buildSource,
  HUGGING_FACE_PARQUET,
  parseField,
  parseManifest,
  reduceDatasetEvent,
  useDatasetStore,
} from './dataset';
import { useAppStore } from './store';
import { setWorkerChannel } from './worker';

const posted: WorkerRequest[] = [];

function ready(requestId: number, classes = 10): WorkerEvent {
  return {
    type: 'data-ready',
    requestId,
    cacheId: 'id',
    dataset: 'cifar10',
    labelMode: 'fine',
    sourceLabel: 'train.bin, test.bin',
    classNames: Array.from({ length: classes }, (_, i) => `c${i}`),
    trainCount: 100,
    testCount: 20,
    trainClassCounts: new Array(classes).fill(10),
    testClassCounts: new Array(classes).fill(2),
    samples: [],
  };
}

beforeEach(() => {
  posted.length = 0;
  setWorkerChannel({ post: (request) => posted.push(request), subscribe: () => () => undefined });
  useDatasetStore.setState({
    status: 'idle',
    loaded: null,
    error: null,
    activeRequestId: null,
    fieldIssues: {},
    files: [],
  });
});

describe('dataset store', () => {
  it('posts the Hugging Face parquet stream by default', () => {
    useDatasetStore.getState().load();
    const request = posted[0] as Extract<WorkerRequest, { type: 'load-data' }>;
    expect(request.type).toBe('load-data');
    expect(request.request.source).toEqual({ kind: 'parquet', ...HUGGING_FACE_PARQUET.cifar10 });
    expect(useDatasetStore.getState().status).toBe('loading');
  });

  it('keeps the last good subset when a later load fails', () => {
    useDatasetStore.getState().load();
    const first = (posted[0] as { requestId: number }).requestId;
    reduceDatasetEvent(ready(first));
    expect(useDatasetStore.getState().loaded?.trainCount).toBe(100);

    useDatasetStore.getState().load();
    const second = (posted.at(-1) as { requestId: number }).requestId;
    reduceDatasetEvent({
      type: 'load-error',
      requestId: second,
      error: { code: 'data.error.emptyFile', params: { file: 'x.bin' } },
    });
    const state = useDatasetStore.getState();
    expect(state.status).toBe('failed');
    expect(state.error?.code).toBe('data.error.emptyFile');
    expect(state.loaded?.requestId).toBe(first);
  });

  it('ignores events for requests it did not send', () => {
    reduceDatasetEvent(ready(5));
    expect(useDatasetStore.getState().loaded).toBeNull();
  });

  it('records progress and cancellation of the active load', () => {
    useDatasetStore.getState().load();
    const id = (posted[0] as { requestId: number }).requestId;
    reduceDatasetEvent({
      type: 'load-progress',
      requestId: id,
      bytesLoaded: 10,
      bytesTotal: null,
      images: 3,
    });
    expect(useDatasetStore.getState().progress).toEqual({
      bytesLoaded: 10,
      bytesTotal: null,
      images: 3,
    });
    useDatasetStore.getState().cancel();
    expect(posted.at(-1)).toEqual({ type: 'cancel-load', requestId: id });
    reduceDatasetEvent({ type: 'load-cancelled', requestId: id });
    expect(useDatasetStore.getState().status).toBe('cancelled');
  });

  it('puts the subset seed and sizes in the link', () => {
    useDatasetStore.getState().setField('seed', '123');
    useDatasetStore.getState().setField('trainSize', '300');
    const link = useAppStore.getState().datasetLink;
    expect(link.subsetSeed).toBe(123);
    expect(link.trainSize).toBe(300);
    // An invalid draft leaves the link at the last valid seed.
    useDatasetStore.getState().setField('seed', '-1');
    expect(useAppStore.getState().datasetLink.subsetSeed).toBe(123);
  });

  it('asks for files before loading from files', () => {
    useDatasetStore.setState({ source: 'files', files: [] });
    useDatasetStore.getState().load();
    expect(posted).toEqual([]);
    expect(useDatasetStore.getState().error?.code).toBe('data.error.noFiles');
    useDatasetStore.setState({ source: 'parquet' });
  });
});

describe('parseField', () => {
  it('accepts whole numbers in range and explains the rest', () => {
    expect(parseField('trainSize', '500')).toBe(500);
    expect(parseField('trainSize', '5')).toEqual({
      key: 'data.invalid.size',
      params: { field: 'trainSize', value: '5', min: 10, max: 50000 },
    });
    expect(parseField('testSize', '2.5')).toMatchObject({ key: 'data.invalid.size' });
    expect(parseField('seed', 'abc')).toMatchObject({ key: 'data.invalid.seed' });
  });
});

describe('parseManifest', () => {
  it('resolves paths against the manifest and skips bad entries', () => {
    const copies = parseManifest(
      {
        entries: [
          {
            dataset: 'cifar10',
            name: 'CIFAR-10',
            train: 'cifar10/train.bin',
            test: 'cifar10/test.bin',
            names: { fine: 'cifar10/batches.meta.txt' },
            trainCount: 50,
            testCount: 10,
          },
          { dataset: 'mnist', train: 'a', test: 'b' },
          { dataset: 'cifar100' },
        ],
      },
      'http://localhost:4301/data/manifest.json',
    );
    expect(copies).toEqual([
      {
        dataset: 'cifar10',
        name: 'CIFAR-10',
        trainUrl: 'http://localhost:4301/data/cifar10/train.bin',
        testUrl: 'http://localhost:4301/data/cifar10/test.bin',
        namesUrls: { fine: 'http://localhost:4301/data/cifar10/batches.meta.txt' },
        trainCount: 50,
        testCount: 10,
      },
    ]);
  });

  it('builds a url-binary request for the same-origin copy', () => {
    const state = useDatasetStore.getState();
    const source = buildSource({
      ...state,
      source: 'self-hosted',
      selfHosted: parseManifest(
        {
          entries: [
            { dataset: 'cifar10', train: 't.bin', test: 'u.bin', names: { fine: 'm.txt' } },
          ],
        },
        'http://h/data/manifest.json',
      ),
    });
    expect(source).toEqual({
      kind: 'url-binary',
      trainUrl: 'http://h/data/t.bin',
      testUrl: 'http://h/data/u.bin',
      metaUrl: 'http://h/data/m.txt',
    });
  });
});
