// CIFAR in the official binary record format: .bin batches the user picks,
// the official .tar.gz archives, and same-origin copies served over HTTP.
// Records stream through a RecordSplitter into per-split reservoir samplers,
// so memory stays at the size of the subset, not of the source.

import { type DatasetName, type LabelMode, MAX_DATA_FILE_BYTES } from '../training/protocol';
import { DataError } from './errors';
import { type RequestOptions, readBody, request } from './http';
import { checkRecordSize, classCount, LAYOUTS, RecordSplitter } from './records';
import { forEachChunk, gunzipChunks, isGzip, readHead } from './streams';
import { BalancedSampler, type Subset } from './subset';
import { looksLikeTar, TarReader } from './tar';

/** Largest file accepted, checked before any byte is read. */
export const MAX_FILE_BYTES = MAX_DATA_FILE_BYTES;
/** Largest class-names file kept in memory. */
const MAX_NAMES_BYTES = 64 * 1024;

export type Split = 'train' | 'test';

export interface BinaryLoadOptions {
  dataset: DatasetName;
  labelMode: LabelMode;
  trainSize: number;
  testSize: number;
  seed: number;
  signal?: AbortSignal;
  maxFileBytes?: number;
  onBytes(count: number): void;
  onImages(count: number): void;
}

export interface BinaryLoadResult {
  dataset: DatasetName;
  train: Subset;
  test: Subset;
  /** Contents of the names file for the chosen label mode, if the source had one. */
  namesText: string | null;
}

/** Seed offset for the test split, so train and test draw from different sequences. */
export const TEST_SEED_OFFSET = 0x9e3779b9;

/** Train and test samplers for one dataset, created once the dataset is known. */
class SplitSamplers {
  readonly train: BalancedSampler;
  readonly test: BalancedSampler;

  constructor(
    readonly dataset: DatasetName,
    readonly options: BinaryLoadOptions,
  ) {
    const classes = classCount(dataset, options.labelMode);
    this.train = new BalancedSampler(options.trainSize, classes, options.seed, 'reservoir');
    this.test = new BalancedSampler(
      options.testSize,
      classes,
      (options.seed + TEST_SEED_OFFSET) >>> 0,
      'reservoir',
    );
  }

  splitter(file: string, split: Split): RecordSplitter {
    const sampler = split === 'train' ? this.train : this.test;
    return new RecordSplitter(
      file,
      LAYOUTS[this.dataset],
      this.options.labelMode,
      (bytes, offset, label) => {
        sampler.offerPlanar(bytes, offset, label);
        this.options.onImages(1);
      },
    );
  }
}

/** Names file that contains the class names for a dataset and label mode. */
export function namesFileFor(dataset: DatasetName, labelMode: LabelMode): string {
  if (dataset === 'cifar10') return 'batches.meta.txt';
  return labelMode === 'coarse' ? 'coarse_label_names.txt' : 'fine_label_names.txt';
}

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

function checkFileSize(file: Blob & { name: string }, limit: number): void {
  if (file.size > limit)
    throw new DataError('data.error.tooLarge', { file: file.name, size: file.size, limit });
  if (file.size === 0) throw new DataError('data.error.emptyFile', { file: file.name });
}

/** Reads a Blob as a stream, counting bytes. */
function countedStream(blob: Blob, onBytes: (count: number) => void): ReadableStream<Uint8Array> {
  return blob.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        onBytes(chunk.length);
        controller.enqueue(chunk);
      },
    }),
  );
}

async function readNamesFile(file: File): Promise<string> {
  return new TextDecoder().decode(await file.slice(0, MAX_NAMES_BYTES).arrayBuffer());
}

export type FileRole = 'archive' | 'names' | 'train' | 'test';

/**
 * Builds the error for a file that is neither gzip nor tar: a name ending in .gz or
 * .tgz promises gzip, so such a file is reported as a damaged or misnamed
 * archive rather than as an unknown kind of file.
 */
export function notAnArchiveError(fileName: string): DataError {
  return /\.(gz|tgz)$/i.test(fileName)
    ? new DataError('data.error.notGzip', { file: fileName })
    : new DataError('data.error.unknownFormat', { file: fileName });
}

/**
 * Sorts picked files by role from their first bytes and names: a gzip or tar
 * file is an archive, a .txt file a names file, and a .bin file a batch of
 * records, for the test split when its name contains "test".
 */
export async function classifyFile(file: File): Promise<FileRole> {
  const head = await readHead(file, 512);
  if (isGzip(head) || looksLikeTar(head)) return 'archive';
  const name = file.name.toLowerCase();
  if (name.endsWith('.txt')) return 'names';
  if (name.endsWith('.bin')) return name.includes('test') ? 'test' : 'train';
  throw notAnArchiveError(file.name);
}

/** Loads a subset from picked .bin batches (with an optional names file) or from one archive. */
export async function loadFromFiles(
  files: File[],
  options: BinaryLoadOptions,
): Promise<BinaryLoadResult> {
  const limit = options.maxFileBytes ?? MAX_FILE_BYTES;
  for (const file of files) checkFileSize(file, limit);
  const roles = await Promise.all(files.map(classifyFile));
  const archiveIndex = roles.indexOf('archive');
  if (archiveIndex >= 0) return loadFromArchive(files[archiveIndex]!, options);

  const layout = LAYOUTS[options.dataset];
  for (const [i, file] of files.entries()) {
    if (roles[i] === 'train' || roles[i] === 'test') checkRecordSize(file.name, file.size, layout);
  }
  const fileNames = files.map((file) => file.name).join(', ');
  if (!roles.includes('train')) throw new DataError('data.error.noTrainFile', { files: fileNames });
  if (!roles.includes('test')) throw new DataError('data.error.noTestFile', { files: fileNames });

  const samplers = new SplitSamplers(options.dataset, options);
  const wantedNames = namesFileFor(options.dataset, options.labelMode);
  let namesText: string | null = null;
  // Reading in name order (data_batch_1 before data_batch_2) makes the subset
  // independent of the order in which the files were picked.
  const order = files
    .map((_, i) => i)
    .sort((a, b) => files[a]!.name.localeCompare(files[b]!.name, 'en', { numeric: true }));
  for (const i of order) {
    const file = files[i]!;
    const role = roles[i]!;
    if (role === 'names') {
      if (file.name === wantedNames || files.filter((_, j) => roles[j] === 'names').length === 1) {
        namesText = await readNamesFile(file);
      }
      options.onBytes(file.size);
      continue;
    }
    const splitter = samplers.splitter(file.name, role as Split);
    await forEachChunk(
      countedStream(file, options.onBytes),
      (chunk) => splitter.push(chunk),
      options.signal,
    );
    splitter.finish();
  }
  return {
    dataset: options.dataset,
    train: samplers.train.finish(),
    test: samplers.test.finish(),
    namesText,
  };
}

/** Split and dataset of an archive entry, or null for entries that hold no records. */
export function archiveEntryRole(
  path: string,
  requested: DatasetName,
): { split: Split; dataset: DatasetName } | null {
  const name = baseName(path);
  if (/^data_batch_\d+\.bin$/.test(name)) return { split: 'train', dataset: 'cifar10' };
  if (name === 'test_batch.bin') return { split: 'test', dataset: 'cifar10' };
  if (name === 'train.bin' || name === 'test.bin') {
    const dataset = path.includes('cifar-100')
      ? 'cifar100'
      : path.includes('cifar-10')
        ? 'cifar10'
        : requested;
    return { split: name === 'train.bin' ? 'train' : 'test', dataset };
  }
  return null;
}

/**
 * Streams an official archive (cifar-10-binary.tar.gz or
 * cifar-100-binary.tar.gz, or the same layout uncompressed): gunzip, then tar,
 * then records. The dataset follows from the entry names, whatever was requested.
 */
export async function loadFromArchive(
  file: File,
  options: BinaryLoadOptions,
): Promise<BinaryLoadResult> {
  checkFileSize(file, options.maxFileBytes ?? MAX_FILE_BYTES);
  const head = await readHead(file, 512);
  const gzip = isGzip(head);
  if (!gzip && !looksLikeTar(head)) throw notAnArchiveError(file.name);

  let samplers: SplitSamplers | null = null;
  let splitter: RecordSplitter | null = null;
  const names = new Map<string, string>();
  let namesBuffer: Uint8Array[] = [];
  const seenSplits = new Set<Split>();
  // Damaged compressed data can decompress to records with impossible labels
  // before the gzip checksum at the end reveals the damage. A label error is
  // therefore kept until the archive has been read to the end, and reported
  // only if the archive itself turned out intact.
  let labelError: DataError | null = null;

  const tar = new TarReader(file.name, {
    onEntry(entry) {
      if (entry.type !== '0' && entry.type !== '7') return false;
      const name = baseName(entry.name);
      if (name.endsWith('.txt') && entry.size <= MAX_NAMES_BYTES) {
        namesBuffer = [];
        return true;
      }
      const role = archiveEntryRole(entry.name, options.dataset);
      if (!role) return false;
      samplers ??= new SplitSamplers(role.dataset, options);
      if (samplers.dataset !== role.dataset) return false;
      const label = `${file.name}: ${entry.name}`;
      checkRecordSize(label, entry.size, LAYOUTS[role.dataset]);
      splitter = samplers.splitter(label, role.split);
      seenSplits.add(role.split);
      return true;
    },
    onData(entry, chunk) {
      if (baseName(entry.name).endsWith('.txt')) {
        namesBuffer.push(chunk.slice());
        return;
      }
      if (labelError) return;
      try {
        splitter?.push(chunk);
      } catch (error) {
        if (!(error instanceof DataError && error.code === 'data.error.labelRange')) throw error;
        labelError = error;
      }
    },
    onEntryEnd(entry) {
      if (baseName(entry.name).endsWith('.txt')) {
        const bytes = new Uint8Array(namesBuffer.reduce((sum, part) => sum + part.length, 0));
        let position = 0;
        for (const part of namesBuffer) {
          bytes.set(part, position);
          position += part.length;
        }
        names.set(baseName(entry.name), new TextDecoder().decode(bytes));
      } else {
        if (!labelError) splitter?.finish();
        splitter = null;
      }
    },
  });

  const input = countedStream(file, options.onBytes);
  if (gzip) await gunzipChunks(file.name, input, (chunk) => tar.push(chunk), options.signal);
  else await forEachChunk(input, (chunk) => tar.push(chunk), options.signal);
  tar.finish();
  if (labelError) throw labelError;

  const found = samplers as SplitSamplers | null;
  if (!found || !seenSplits.has('train') || !seenSplits.has('test')) {
    throw new DataError('data.error.archiveMissingBatches', { file: file.name });
  }
  return {
    dataset: found.dataset,
    train: found.train.finish(),
    test: found.test.finish(),
    namesText: names.get(namesFileFor(found.dataset, options.labelMode)) ?? null,
  };
}

export interface UrlBinarySource {
  trainUrl: string;
  testUrl: string;
  metaUrl?: string;
}

async function streamUrl(
  url: string,
  split: Split,
  samplers: SplitSamplers,
  options: BinaryLoadOptions,
  requestOptions: RequestOptions,
): Promise<void> {
  const tracked = await request(url, requestOptions);
  const header = tracked.response.headers.get('content-length');
  const limit = options.maxFileBytes ?? MAX_FILE_BYTES;
  if (header !== null && /^\d+$/.test(header)) {
    const size = Number(header);
    const problem =
      size > limit
        ? new DataError('data.error.tooLarge', { file: url, size, limit })
        : (() => {
            try {
              checkRecordSize(url, size, LAYOUTS[samplers.dataset]);
              return null;
            } catch (error) {
              return error;
            }
          })();
    if (problem) {
      tracked.done();
      tracked.response.body?.cancel().catch(() => undefined);
      throw problem;
    }
  }
  const splitter = samplers.splitter(url, split);
  let received = 0;
  await readBody(tracked, options.onBytes, (chunk) => {
    received += chunk.length;
    if (received > limit)
      throw new DataError('data.error.tooLarge', { file: url, size: received, limit });
    splitter.push(chunk);
  });
  splitter.finish();
}

/** Streams .bin batches from URLs, such as the same-origin copy that `npm run data:cifar` writes. */
export async function loadFromUrls(
  source: UrlBinarySource,
  options: BinaryLoadOptions,
  requestOptions: RequestOptions = {},
): Promise<BinaryLoadResult> {
  const samplers = new SplitSamplers(options.dataset, options);
  const withSignal = { ...requestOptions, signal: options.signal };
  await streamUrl(source.trainUrl, 'train', samplers, options, withSignal);
  await streamUrl(source.testUrl, 'test', samplers, options, withSignal);
  let namesText: string | null = null;
  if (source.metaUrl) {
    const tracked = await request(source.metaUrl, withSignal);
    namesText = new TextDecoder().decode(await readBody(tracked, options.onBytes));
  }
  return {
    dataset: options.dataset,
    train: samplers.train.finish(),
    test: samplers.test.finish(),
    namesText,
  };
}
