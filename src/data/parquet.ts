// CIFAR from parquet files in the Hugging Face layout (uoft-cs/cifar10:
// columns `img` {bytes: PNG, path} and `label`; uoft-cs/cifar100: `img`,
// `fine_label`, `coarse_label`), read over HTTP range requests. Only the
// footer and the row groups that a subset needs are downloaded.

import {
  type FileMetaData,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
} from 'hyparquet';
import type { DatasetName, LabelMode } from '../training/protocol';
import { DataError, LoadCancelledError, throwIfCancelled } from './errors';
import { type RequestOptions, readBody, request } from './http';
import { decodeCifarPng } from './png';
import { classCount } from './records';
import { BalancedSampler, SeededRandom, type Subset } from './subset';

/** Bytes requested first from the end of the file; hyparquet requests more if the footer is longer. */
const FOOTER_FETCH_BYTES = 1 << 16;

export interface RemoteFileOptions {
  signal?: AbortSignal;
  fetch?: typeof fetch;
  idleTimeoutMs?: number;
  /** Largest file accepted when the server ignores ranges and sends it whole. */
  maxFullDownloadBytes: number;
  /** Called with the size of every chunk received; `total` is set once a full download starts. */
  onBytes(count: number, total: number | null): void;
}

/**
 * A remote file read with `Range: bytes=start-end` requests, for hyparquet.
 * Explicit ranges keep the request CORS-safelisted; a suffix range
 * (`bytes=-N`) would need a preflight. A server that answers a range with the
 * whole file (200) is used as it is: the file is kept in memory and later
 * slices come from there, so it is downloaded once.
 */
export class RemoteFile {
  private whole: Promise<Uint8Array> | null = null;

  private constructor(
    readonly url: string,
    readonly byteLength: number,
    private readonly options: RemoteFileOptions,
  ) {}

  static async open(url: string, options: RemoteFileOptions): Promise<RemoteFile> {
    const requestOptions = RemoteFile.requestOptions(options);
    let length: number | null = null;
    try {
      const head = await request(url, { ...requestOptions, method: 'HEAD' });
      head.done();
      const header = head.response.headers.get('content-length');
      length = header !== null && /^\d+$/.test(header) ? Number(header) : null;
    } catch (error) {
      // Some servers reject HEAD (405) but serve GET; the GET below reports real failures.
      if (
        !(
          error instanceof DataError &&
          error.code === 'data.error.httpClient' &&
          error.params.status === 405
        )
      ) {
        throw error;
      }
    }
    if (length === null) {
      const file = new RemoteFile(url, 0, options);
      const bytes = await file.downloadWhole(await request(url, requestOptions));
      const loaded = new RemoteFile(url, bytes.length, options);
      loaded.whole = Promise.resolve(bytes);
      return loaded;
    }
    if (length === 0) throw new DataError('data.error.emptyFile', { file: url });
    return new RemoteFile(url, length, options);
  }

  private static requestOptions(options: RemoteFileOptions): RequestOptions {
    return { signal: options.signal, fetch: options.fetch, idleTimeoutMs: options.idleTimeoutMs };
  }

  async slice(start: number, end = this.byteLength): Promise<ArrayBuffer> {
    if (this.whole) return copyRange(await this.whole, start, end);
    if (end <= start) return new ArrayBuffer(0);
    const tracked = await request(this.url, {
      ...RemoteFile.requestOptions(this.options),
      headers: { Range: `bytes=${start}-${end - 1}` },
    });
    if (tracked.response.status === 200) {
      // The server ignored the range and is sending the whole file.
      if (this.whole) {
        tracked.done();
        tracked.response.body?.cancel().catch(() => undefined);
        return copyRange(await this.whole, start, end);
      }
      this.whole = this.downloadWhole(tracked);
      return copyRange(await this.whole, start, end);
    }
    const bytes = await readBody(tracked, (count) => this.options.onBytes(count, null));
    if (bytes.length !== end - start) {
      throw new DataError('data.error.corruptParquet', { file: this.url });
    }
    return bytes.buffer as ArrayBuffer;
  }

  private async downloadWhole(tracked: Awaited<ReturnType<typeof request>>): Promise<Uint8Array> {
    const header = tracked.response.headers.get('content-length');
    const total = header !== null && /^\d+$/.test(header) ? Number(header) : null;
    if (total !== null && total > this.options.maxFullDownloadBytes) {
      tracked.done();
      tracked.response.body?.cancel().catch(() => undefined);
      throw new DataError('data.error.tooLarge', {
        file: this.url,
        size: total,
        limit: this.options.maxFullDownloadBytes,
      });
    }
    let received = 0;
    const parts: Uint8Array[] = [];
    await readBody(
      tracked,
      (count) => this.options.onBytes(count, total),
      (chunk) => {
        received += chunk.length;
        if (received > this.options.maxFullDownloadBytes) {
          throw new DataError('data.error.tooLarge', {
            file: this.url,
            size: received,
            limit: this.options.maxFullDownloadBytes,
          });
        }
        parts.push(chunk);
      },
    );
    const bytes = new Uint8Array(received);
    let position = 0;
    for (const part of parts) {
      bytes.set(part, position);
      position += part.length;
    }
    if (bytes.length === 0) throw new DataError('data.error.emptyFile', { file: this.url });
    return bytes;
  }
}

function copyRange(bytes: Uint8Array, start: number, end: number): ArrayBuffer {
  return bytes.slice(start, Math.min(end, bytes.length)).buffer as ArrayBuffer;
}

/** Label columns of the Hugging Face copies. */
export function labelColumn(dataset: DatasetName, labelMode: LabelMode): string {
  if (dataset === 'cifar10') return 'label';
  return labelMode === 'coarse' ? 'coarse_label' : 'fine_label';
}

/** Checks the schema for `img.bytes` and the label column; throws `data.error.parquetColumns` naming what is there. */
export function checkColumns(metadata: FileMetaData, file: string, label: string): void {
  const schema = parquetSchema(metadata);
  const columns = schema.children.map((child) => child.element.name);
  const image = schema.children.find((child) => child.element.name === 'img');
  const hasBytes = image?.children.some((child) => child.element.name === 'bytes') ?? false;
  if (!hasBytes || !columns.includes(label)) {
    throw new DataError('data.error.parquetColumns', {
      file,
      expected: `img.bytes, ${label}`,
      found: columns.join(', ') || '-',
    });
  }
}

/** Reads class names from the `huggingface` key-value metadata that the datasets library writes, if present. */
export function classNamesFromMetadata(metadata: FileMetaData, label: string): string[] | null {
  const entry = metadata.key_value_metadata?.find((pair) => pair.key === 'huggingface');
  if (!entry?.value) return null;
  try {
    const parsed = JSON.parse(entry.value) as {
      info?: { features?: Record<string, { names?: unknown }> };
    };
    const names = parsed.info?.features?.[label]?.names;
    return Array.isArray(names) && names.every((name) => typeof name === 'string') ? names : null;
  } catch {
    return null;
  }
}

export interface ParquetSplitOptions extends Omit<RemoteFileOptions, 'onBytes'> {
  url: string;
  dataset: DatasetName;
  labelMode: LabelMode;
  size: number;
  seed: number;
  onBytes(count: number, total: number | null): void;
  onImages(count: number): void;
}

export interface ParquetSplit {
  subset: Subset;
  classNames: string[] | null;
  rowGroupsRead: number;
  rowGroupsTotal: number;
  rows: number;
}

/**
 * Loads a balanced subset of `size` images from one parquet file. Row groups
 * are visited in a seeded order and rows within each in a seeded order; each
 * row is kept while its class is short of its quota, and reading stops when
 * every quota is met, so a small subset downloads only a few row groups.
 */
export async function loadParquetSplit(options: ParquetSplitOptions): Promise<ParquetSplit> {
  const { url, dataset, labelMode, signal } = options;
  const file = await RemoteFile.open(url, options);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file, { initialFetchSize: FOOTER_FETCH_BYTES });
  } catch (error) {
    if (error instanceof DataError || error instanceof LoadCancelledError) throw error;
    throw new DataError('data.error.notParquet', { file: url });
  }
  const label = labelColumn(dataset, labelMode);
  checkColumns(metadata, url, label);
  const classes = classCount(dataset, labelMode);
  const sampler = new BalancedSampler(options.size, classes, options.seed, 'fill');
  const random = new SeededRandom(options.seed ^ 0x5bd1e995);

  const groups: { start: number; rows: number }[] = [];
  let start = 0;
  for (const group of metadata.row_groups) {
    const rows = Number(group.num_rows);
    groups.push({ start, rows });
    start += rows;
  }
  const order = random.shuffle(groups.map((_, index) => index));
  let rowGroupsRead = 0;
  for (const index of order) {
    if (sampler.isFull()) break;
    throwIfCancelled(signal);
    const group = groups[index]!;
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({
        file,
        metadata,
        rowStart: group.start,
        rowEnd: group.start + group.rows,
        columns: ['img', label],
        utf8: false,
      });
    } catch (error) {
      if (error instanceof DataError || error instanceof LoadCancelledError) throw error;
      throw new DataError('data.error.corruptParquet', { file: url });
    }
    throwIfCancelled(signal);
    rowGroupsRead++;
    const rowOrder = random.shuffle(rows.map((_, i) => i));
    for (const i of rowOrder) {
      const row = rows[i]!;
      const record = group.start + i;
      const value = row[label];
      const classIndex = typeof value === 'bigint' ? Number(value) : value;
      if (
        typeof classIndex !== 'number' ||
        !Number.isInteger(classIndex) ||
        classIndex < 0 ||
        classIndex >= classes
      ) {
        throw new DataError('data.error.labelRange', {
          file: url,
          record,
          label: String(value),
          max: classes - 1,
        });
      }
      if (!sampler.wants(classIndex)) continue;
      const bytes = (row.img as { bytes?: unknown } | null)?.bytes;
      const pixels = bytes instanceof Uint8Array ? await decodeCifarPng(bytes) : null;
      if (!pixels) throw new DataError('data.error.invalidImage', { file: url, record });
      sampler.offerInterleaved(pixels, classIndex);
      options.onImages(1);
    }
  }
  return {
    subset: sampler.finish(),
    classNames: classNamesFromMetadata(metadata, label),
    rowGroupsRead,
    rowGroupsTotal: groups.length,
    rows: start,
  };
}
