// The dataset store: where the CIFAR images come from, the subset sizes and
// seed, loading progress, the loaded subset's summary, errors, and the list of
// subsets saved in the browser. Loads go to the worker through the page's
// worker channel; a failed or cancelled load keeps the last good summary.

import { create } from 'zustand';
import type {
  CachedDatasetInfo,
  DatasetName,
  DatasetRequest,
  DatasetSource,
  LabelMode,
  UserFacingError,
  WorkerEvent,
} from '../training/protocol';
import { useAppStore } from './store';
import { DATASET_SIZE_RANGES, DATASET_SOURCE_KINDS, SUBSET_SEED_RANGE } from './url';
import { workerChannel } from './worker';

/**
 * The public parquet copies on Hugging Face (datasets uoft-cs/cifar10 and uoft-cs/cifar100).
 * NOTE: the CIFAR-100 path follows the dataset card's config name `cifar100`;
 * unlike the CIFAR-10 path, it was not checked against the live repository.
 */
export const HUGGING_FACE_PARQUET: Record<DatasetName, { trainUrl: string; testUrl: string }> = {
  cifar10: {
    trainUrl:
      'https://huggingface.co/datasets/uoft-cs/cifar10/resolve/main/plain_text/train-00000-of-00001.parquet',
    testUrl:
      'https://huggingface.co/datasets/uoft-cs/cifar10/resolve/main/plain_text/test-00000-of-00001.parquet',
  },
  cifar100: {
    trainUrl:
      'https://huggingface.co/datasets/uoft-cs/cifar100/resolve/main/cifar100/train-00000-of-00001.parquet',
    testUrl:
      'https://huggingface.co/datasets/uoft-cs/cifar100/resolve/main/cifar100/test-00000-of-00001.parquet',
  },
};

/** Path of the manifest that `npm run data:cifar` writes, relative to the app's base URL. */
export const SELF_HOSTED_MANIFEST = 'data/manifest.json';

export type SourceChoice = 'parquet' | 'self-hosted' | 'files' | 'custom-url';
export const SOURCE_CHOICES: readonly SourceChoice[] = [
  'parquet',
  'self-hosted',
  'files',
  'custom-url',
];

/** One subset that `npm run data:cifar` wrote into public/data, with absolute URLs. */
export interface SelfHostedCopy {
  dataset: DatasetName;
  name: string;
  trainUrl: string;
  testUrl: string;
  /** Names file per label mode; CIFAR-10 has only `fine`. */
  namesUrls: Partial<Record<LabelMode, string>>;
  trainCount: number;
  testCount: number;
}

export interface LoadedSummary {
  requestId: number;
  cacheId: string | null;
  dataset: DatasetName;
  labelMode: LabelMode;
  sourceLabel: string;
  classNames: string[];
  trainCount: number;
  testCount: number;
  requestedTrain: number;
  requestedTest: number;
  trainClassCounts: number[];
  testClassCounts: number[];
  samples: { label: number; rgba: Uint8ClampedArray }[];
}

export interface LoadProgressState {
  bytesLoaded: number;
  bytesTotal: number | null;
  images: number;
}

export type NumericField = 'trainSize' | 'testSize' | 'seed';

export interface FieldIssue {
  key: string;
  params: Record<string, string | number>;
}

export const SEED_RANGE = SUBSET_SEED_RANGE;

export interface DatasetState {
  source: SourceChoice;
  dataset: DatasetName;
  labelMode: LabelMode;
  trainSize: number;
  testSize: number;
  seed: number;
  /** Text of the numeric fields as typed; the numbers above are the last valid values. */
  drafts: Record<NumericField, string>;
  fieldIssues: Partial<Record<NumericField, FieldIssue>>;
  customTrainUrl: string;
  customTestUrl: string;
  files: File[];
  selfHosted: SelfHostedCopy[];
  status: 'idle' | 'loading' | 'ready' | 'failed' | 'cancelled';
  activeRequestId: number | null;
  progress: LoadProgressState | null;
  loaded: LoadedSummary | null;
  error: UserFacingError | null;
  cacheError: UserFacingError | null;
  cacheEntries: CachedDatasetInfo[];

  setSource(source: SourceChoice): void;
  setDataset(dataset: DatasetName): void;
  setLabelMode(labelMode: LabelMode): void;
  setField(field: NumericField, text: string): void;
  setCustomUrls(urls: { train?: string; test?: string }): void;
  setFiles(files: File[]): void;
  load(): void;
  loadFiles(files: File[]): void;
  loadCached(cacheId: string): void;
  cancel(): void;
  refreshCache(): void;
  deleteCached(cacheId: string): void;
}

const FIELD_RANGES: Record<NumericField, { min: number; max: number }> = {
  trainSize: DATASET_SIZE_RANGES.trainSize,
  testSize: DATASET_SIZE_RANGES.testSize,
  seed: SEED_RANGE,
};

/** Returns the issue for `text` in `field`, or the parsed whole number. */
export function parseField(field: NumericField, text: string): number | FieldIssue {
  const { min, max } = FIELD_RANGES[field];
  const value = Number(text.trim());
  if (text.trim() !== '' && Number.isInteger(value) && value >= min && value <= max) return value;
  return {
    key: field === 'seed' ? 'data.invalid.seed' : 'data.invalid.size',
    params: { field, value: text, min, max },
  };
}

/** Reads and checks a manifest written by `npm run data:cifar`; entries that fail a check are skipped. */
export function parseManifest(json: unknown, manifestUrl: string): SelfHostedCopy[] {
  const entries = (json as { entries?: unknown })?.entries;
  if (!Array.isArray(entries)) return [];
  const copies: SelfHostedCopy[] = [];
  for (const entry of entries as Record<string, unknown>[]) {
    const dataset = entry?.dataset;
    if (dataset !== 'cifar10' && dataset !== 'cifar100') continue;
    if (typeof entry.train !== 'string' || typeof entry.test !== 'string') continue;
    const names = (entry.names ?? {}) as Record<string, unknown>;
    const namesUrls: Partial<Record<LabelMode, string>> = {};
    for (const mode of ['fine', 'coarse'] as const) {
      const value = names[mode];
      if (typeof value === 'string') namesUrls[mode] = new URL(value, manifestUrl).href;
    }
    copies.push({
      dataset,
      name: typeof entry.name === 'string' ? entry.name : dataset,
      trainUrl: new URL(entry.train, manifestUrl).href,
      testUrl: new URL(entry.test, manifestUrl).href,
      namesUrls,
      trainCount: Number(entry.trainCount) || 0,
      testCount: Number(entry.testCount) || 0,
    });
  }
  return copies;
}

/** Base for the request ids of this store, apart from those of other stores on the channel. */
const REQUEST_ID_BASE = 1_000_000;
let nextRequestId = REQUEST_ID_BASE;
/** Load requests in flight, with the sizes they asked for. */
const loadRequests = new Map<number, { train: number; test: number }>();
const cacheRequests = new Set<number>();

function linkSource(source: SourceChoice): 'parquet' | 'url-binary' | 'files' {
  if (source === 'self-hosted') return 'url-binary';
  if (source === 'files') return 'files';
  return 'parquet';
}

/** Builds the worker request for the current choices, or returns the message key of what is missing. */
export function buildSource(state: DatasetState): DatasetSource | FieldIssue {
  switch (state.source) {
    case 'parquet':
      return { kind: 'parquet', ...HUGGING_FACE_PARQUET[state.dataset] };
    case 'custom-url': {
      for (const url of [state.customTrainUrl, state.customTestUrl]) {
        try {
          const parsed = new URL(url);
          if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(url);
        } catch {
          return { key: 'data.error.invalidUrl', params: { url } };
        }
      }
      return { kind: 'parquet', trainUrl: state.customTrainUrl, testUrl: state.customTestUrl };
    }
    case 'self-hosted': {
      const copy = state.selfHosted.find((entry) => entry.dataset === state.dataset);
      if (!copy) {
        const name = state.dataset === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100';
        return {
          key: 'data.error.noSelfHostedCopy',
          params: { dataset: name, option: state.dataset },
        };
      }
      const metaUrl = copy.namesUrls[state.labelMode] ?? copy.namesUrls.fine;
      return {
        kind: 'url-binary',
        trainUrl: copy.trainUrl,
        testUrl: copy.testUrl,
        ...(metaUrl ? { metaUrl } : {}),
      };
    }
    case 'files':
      if (state.files.length === 0) return { key: 'data.error.noFiles', params: {} };
      return { kind: 'files', files: state.files };
  }
}

/** Mirrors the dataset choices into the app's shareable link. */
function syncLink(): void {
  const { dataset, labelMode, trainSize, testSize, seed, source, customTrainUrl, customTestUrl } =
    useDatasetStore.getState();
  useAppStore.getState().updateDatasetLink({
    dataset,
    labelMode,
    trainSize,
    testSize,
    subsetSeed: seed,
    source: linkSource(source),
    trainUrl: source === 'custom-url' ? customTrainUrl : null,
    testUrl: source === 'custom-url' ? customTestUrl : null,
  });
}

export const useDatasetStore = create<DatasetState>((set, get) => {
  const post = (request: DatasetRequest) => {
    const requestId = nextRequestId++;
    loadRequests.set(requestId, { train: request.trainSize, test: request.testSize });
    const previous = get().activeRequestId;
    if (previous !== null) loadRequests.delete(previous);
    set({
      status: 'loading',
      activeRequestId: requestId,
      progress: null,
      error: null,
      cacheError: null,
    });
    workerChannel().post({ type: 'load-data', requestId, request });
  };

  return {
    source: 'parquet',
    dataset: 'cifar10',
    labelMode: 'fine',
    trainSize: 1000,
    testSize: 200,
    seed: 1,
    drafts: { trainSize: '1000', testSize: '200', seed: '1' },
    fieldIssues: {},
    customTrainUrl: '',
    customTestUrl: '',
    files: [],
    selfHosted: [],
    status: 'idle',
    activeRequestId: null,
    progress: null,
    loaded: null,
    error: null,
    cacheError: null,
    cacheEntries: [],

    setSource(source) {
      set({ source, error: null });
      syncLink();
    },
    setDataset(dataset) {
      set({ dataset });
      syncLink();
    },
    setLabelMode(labelMode) {
      set({ labelMode });
      syncLink();
    },
    setField(field, text) {
      const parsed = parseField(field, text);
      const drafts = { ...get().drafts, [field]: text };
      const fieldIssues = { ...get().fieldIssues };
      if (typeof parsed === 'number') {
        delete fieldIssues[field];
        set({ drafts, fieldIssues, [field]: parsed } as Partial<DatasetState>);
        syncLink();
      } else {
        fieldIssues[field] = parsed;
        set({ drafts, fieldIssues });
      }
    },
    setCustomUrls(urls) {
      set({
        customTrainUrl: urls.train ?? get().customTrainUrl,
        customTestUrl: urls.test ?? get().customTestUrl,
      });
      syncLink();
    },
    setFiles(files) {
      set({ files, source: 'files', error: null });
      syncLink();
    },
    load() {
      const state = get();
      if (Object.keys(state.fieldIssues).length > 0) return;
      const source = buildSource(state);
      if (!('kind' in source)) {
        set({ status: 'failed', error: { code: source.key, params: source.params } });
        return;
      }
      post({
        source,
        dataset: state.dataset,
        labelMode: state.labelMode,
        trainSize: state.trainSize,
        testSize: state.testSize,
        seed: state.seed,
      });
    },
    loadFiles(files) {
      get().setFiles(files);
      get().load();
    },
    loadCached(cacheId) {
      const entry = get().cacheEntries.find((candidate) => candidate.cacheId === cacheId);
      const state = get();
      post({
        source: { kind: 'cache', cacheId },
        dataset: entry?.dataset ?? state.dataset,
        labelMode: entry?.labelMode ?? state.labelMode,
        trainSize: entry?.trainSize ?? state.trainSize,
        testSize: entry?.testSize ?? state.testSize,
        seed: entry?.seed ?? state.seed,
      });
    },
    cancel() {
      const requestId = get().activeRequestId;
      if (requestId !== null) workerChannel().post({ type: 'cancel-load', requestId });
    },
    refreshCache() {
      const requestId = nextRequestId++;
      cacheRequests.add(requestId);
      workerChannel().post({ type: 'list-cache', requestId });
    },
    deleteCached(cacheId) {
      const requestId = nextRequestId++;
      cacheRequests.add(requestId);
      workerChannel().post({ type: 'delete-cache', requestId, cacheId });
    },
  };
});

/** Applies one worker event to the dataset store; events of other stores are ignored. */
export function reduceDatasetEvent(event: WorkerEvent): void {
  const store = useDatasetStore;
  const state = store.getState();
  switch (event.type) {
    case 'load-progress':
      if (event.requestId === state.activeRequestId) {
        store.setState({
          progress: {
            bytesLoaded: event.bytesLoaded,
            bytesTotal: event.bytesTotal,
            images: event.images,
          },
        });
      }
      return;
    case 'data-ready': {
      const requested = loadRequests.get(event.requestId);
      if (!requested) return;
      loadRequests.delete(event.requestId);
      const request = event.requestId === state.activeRequestId;
      store.setState({
        status: request ? 'ready' : state.status,
        activeRequestId: request ? null : state.activeRequestId,
        progress: null,
        error: null,
        cacheError: event.cacheError ?? null,
        loaded: {
          requestId: event.requestId,
          cacheId: event.cacheId,
          dataset: event.dataset,
          labelMode: event.labelMode ?? 'fine',
          sourceLabel: event.sourceLabel ?? '',
          classNames: event.classNames,
          trainCount: event.trainCount,
          testCount: event.testCount,
          requestedTrain: requested.train,
          requestedTest: requested.test,
          trainClassCounts: event.trainClassCounts,
          testClassCounts: event.testClassCounts,
          samples: event.samples,
        },
      });
      state.refreshCache();
      return;
    }
    case 'load-error':
      if (cacheRequests.delete(event.requestId)) {
        store.setState({ cacheError: event.error });
        return;
      }
      if (!loadRequests.delete(event.requestId)) return;
      if (event.requestId === state.activeRequestId) {
        store.setState({
          status: 'failed',
          activeRequestId: null,
          progress: null,
          error: event.error,
        });
      }
      return;
    case 'load-cancelled':
      if (!loadRequests.delete(event.requestId)) return;
      if (event.requestId === state.activeRequestId) {
        store.setState({ status: 'cancelled', activeRequestId: null, progress: null });
      }
      return;
    case 'cache-list':
      if (!cacheRequests.delete(event.requestId)) return;
      store.setState({ cacheEntries: event.entries });
      return;
    default:
      return;
  }
}

/** Reads the self-hosted manifest; a missing or invalid manifest means there is no copy. */
export async function findSelfHostedCopies(
  baseUrl: string,
  fetchImpl: typeof fetch = fetch,
): Promise<SelfHostedCopy[]> {
  const manifestUrl = new URL(SELF_HOSTED_MANIFEST, baseUrl).href;
  try {
    const response = await fetchImpl(manifestUrl, { cache: 'no-store' });
    if (!response.ok) return [];
    return parseManifest(await response.json(), manifestUrl);
  } catch {
    return [];
  }
}

let connected = false;

/**
 * The query string the page opened with, read when this module loads: the
 * URL sync rewrites the address bar with every link field at start-up, so
 * only the original shows whether the link chose a source.
 */
const INITIAL_SEARCH = typeof location !== 'undefined' ? location.search : '';

/**
 * Connects the store to the worker and to the app's link state: takes the
 * dataset choices from the link, offers a same-origin copy when one exists,
 * and requests the list of saved subsets. Safe to call more than once.
 */
export async function connectDatasetStore(baseUrl: string): Promise<void> {
  if (connected) return;
  connected = true;
  workerChannel().subscribe(reduceDatasetEvent);

  const link = useAppStore.getState().datasetLink;
  const params = new URLSearchParams(INITIAL_SEARCH);
  // A source the link names but that is invalid counts as no choice: the banner reports it.
  const sourceChosen = (DATASET_SOURCE_KINDS as readonly string[]).includes(
    params.get('source') ?? '',
  );
  // A link without its own subset seed picks the subset with the training seed.
  const seed = link.subsetSeed ?? useAppStore.getState().settings.seed;
  const linkSet: Partial<DatasetState> = {
    dataset: link.dataset,
    labelMode: link.labelMode,
    trainSize: link.trainSize,
    testSize: link.testSize,
    seed,
    drafts: {
      trainSize: String(link.trainSize),
      testSize: String(link.testSize),
      seed: String(seed),
    },
  };
  if (link.trainUrl && link.testUrl) {
    Object.assign(linkSet, {
      source: 'custom-url',
      customTrainUrl: link.trainUrl,
      customTestUrl: link.testUrl,
    });
  } else if (sourceChosen) {
    linkSet.source =
      link.source === 'url-binary'
        ? 'self-hosted'
        : link.source === 'parquet'
          ? 'parquet'
          : 'files';
  }
  useDatasetStore.setState(linkSet);
  useDatasetStore.getState().refreshCache();

  const selfHosted = await findSelfHostedCopies(baseUrl);
  useDatasetStore.setState({ selfHosted });
  const state = useDatasetStore.getState();
  if (selfHosted.length > 0 && !sourceChosen && state.source === 'parquet') {
    // A same-origin copy works without internet and without CORS, so it is the better default.
    useDatasetStore.setState({ source: 'self-hosted' });
    // A rejected `source` parameter was reported as replaced by parquet; name the real default.
    const urlIssues = useAppStore.getState().urlIssues;
    if (urlIssues.some((issue) => issue.parameter === 'source')) {
      useAppStore
        .getState()
        .setUrlIssues(
          urlIssues.map((issue) =>
            issue.parameter === 'source'
              ? { ...issue, fallback: linkSource('self-hosted') }
              : issue,
          ),
        );
    }
  } else if (selfHosted.length === 0 && state.source === 'self-hosted') {
    useDatasetStore.setState({ source: 'parquet' });
  }
  syncLink();
}
