// Downloads an official CIFAR binary archive or takes one from disk. It checks
// the archive's MD5 against the value published on
// https://www.cs.toronto.edu/~kriz/cifar.html, then writes a class-balanced
// subset in the same binary record format into public/data. The manifest
// written beside it lets the app offer that same-origin copy.
//
//   npm run data:cifar -- --dataset cifar10 --train 10000 --test 2000
//   npm run data:cifar -- --from ~/Downloads/cifar-100-binary.tar.gz --dataset cifar100
//
// Options: --dataset cifar10|cifar100, --from FILE, --train N, --test N,
// --seed N, --out DIR (default public/data), --expect-md5 HEX, --skip-md5.

import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  openAsBlob,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { archiveEntryRole, namesFileFor, notAnArchiveError } from '../src/data/binary';
import { DataError } from '../src/data/errors';
import { checkRecordSize, LAYOUTS, RecordSplitter } from '../src/data/records';
import { forEachChunk, gunzipChunks, isGzip } from '../src/data/streams';
import { classQuotas, SeededRandom } from '../src/data/subset';
import { looksLikeTar, TarReader } from '../src/data/tar';
import { translate } from '../src/i18n';
import type { DatasetName } from '../src/training/protocol';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const OFFICIAL: Record<
  DatasetName,
  { url: string; md5: string; archive: string; classes: number }
> = {
  cifar10: {
    url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
    md5: 'c32a1d4ab5d03f1284b67883e8d87530',
    archive: 'cifar-10-binary.tar.gz',
    classes: 10,
  },
  cifar100: {
    url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',
    md5: '03b5dce01913d631647c71ecec9e9cb8',
    archive: 'cifar-100-binary.tar.gz',
    classes: 100,
  },
};

export interface Options {
  dataset: DatasetName;
  from: string | null;
  train: number;
  test: number;
  seed: number;
  out: string;
  expectMd5: string | null;
  skipMd5: boolean;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[]): Options {
  const options: Options = {
    dataset: 'cifar10',
    from: null,
    train: 10_000,
    test: 2_000,
    seed: 1,
    out: path.join(ROOT, 'public/data'),
    expectMd5: null,
    skipMd5: false,
  };
  const integer = (name: string, text: string | undefined, min: number, max: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new UsageError(
        `${name} must be a whole number from ${min} to ${max}, got ${text ?? 'nothing'}`,
      );
    }
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    switch (arg) {
      case '--dataset': {
        const name = value();
        if (name !== 'cifar10' && name !== 'cifar100')
          throw new UsageError(`--dataset must be cifar10 or cifar100, got ${name}`);
        options.dataset = name;
        break;
      }
      case '--from':
        options.from = path.resolve(value());
        break;
      case '--train':
        options.train = integer('--train', value(), 1, 50_000);
        break;
      case '--test':
        options.test = integer('--test', value(), 1, 10_000);
        break;
      case '--seed':
        options.seed = integer('--seed', value(), 0, 2 ** 32 - 1);
        break;
      case '--out':
        options.out = path.resolve(value());
        break;
      case '--expect-md5': {
        const md5 = value().toLowerCase();
        if (!/^[0-9a-f]{32}$/.test(md5))
          throw new UsageError(`--expect-md5 must be 32 hex digits, got ${md5}`);
        options.expectMd5 = md5;
        break;
      }
      case '--skip-md5':
        options.skipMd5 = true;
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  return options;
}

export async function md5OfFile(file: string): Promise<string> {
  const hash = createHash('md5');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Downloads `url` to `target`, streaming to disk. */
async function download(url: string, target: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || !response.body)
    throw new Error(`download of ${url} failed with status ${response.status}`);
  const total = Number(response.headers.get('content-length')) || null;
  let received = 0;
  let lastReport = 0;
  const counted = Readable.fromWeb(
    response.body as import('node:stream/web').ReadableStream<Uint8Array>,
  );
  counted.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received - lastReport > 8 * 1024 * 1024) {
      lastReport = received;
      const share = total ? ` of ${(total / 2 ** 20).toFixed(1)}` : '';
      process.stdout.write(`\r${(received / 2 ** 20).toFixed(1)}${share} MiB`);
    }
  });
  await pipeline(counted, createWriteStream(target));
  process.stdout.write('\n');
}

/** Per-class reservoirs of whole records (labels and pixels), so CIFAR-100 keeps both labels. */
class RecordReservoir {
  private readonly quotas: number[];
  private readonly kept: Uint8Array[][];
  private readonly seen: number[];
  private readonly random: SeededRandom;

  constructor(size: number, classes: number, seed: number) {
    this.random = new SeededRandom(seed);
    this.quotas = classQuotas(size, classes, this.random);
    this.kept = this.quotas.map(() => []);
    this.seen = this.quotas.map(() => 0);
  }

  offer(record: Uint8Array, label: number): void {
    const seen = this.seen[label]!;
    this.seen[label] = seen + 1;
    const kept = this.kept[label]!;
    if (seen < this.quotas[label]!) {
      kept.push(record.slice());
      return;
    }
    const j = this.random.nextInt(seen + 1);
    if (j < kept.length) kept[j] = record.slice();
  }

  /** Returns the kept records in a seeded order, and the count per class. */
  finish(): { bytes: Uint8Array; counts: number[] } {
    const records = this.random.shuffle(this.kept.flat());
    const bytes = new Uint8Array(records.reduce((sum, record) => sum + record.length, 0));
    let position = 0;
    for (const record of records) {
      bytes.set(record, position);
      position += record.length;
    }
    return { bytes, counts: this.kept.map((list) => list.length) };
  }
}

export interface SubsetFiles {
  train: Uint8Array;
  test: Uint8Array;
  trainCounts: number[];
  testCounts: number[];
  names: Map<string, string>;
}

/** Streams the archive at `file` and keeps a balanced seeded subset of whole records. */
export async function subsetArchive(file: string, options: Options): Promise<SubsetFiles> {
  const layout = LAYOUTS[options.dataset];
  const classes = OFFICIAL[options.dataset].classes;
  const reservoirs = {
    train: new RecordReservoir(options.train, classes, options.seed),
    test: new RecordReservoir(options.test, classes, (options.seed + 0x9e3779b9) >>> 0),
  };
  const names = new Map<string, string>();
  const archiveName = path.basename(file);
  let splitter: RecordSplitter | null = null;
  let text: Uint8Array[] = [];
  let found = 0;
  const tar = new TarReader(archiveName, {
    onEntry(entry) {
      if (entry.type !== '0') return false;
      const base = path.posix.basename(entry.name);
      if (base.endsWith('.txt')) {
        text = [];
        return true;
      }
      const role = archiveEntryRole(entry.name, options.dataset);
      if (!role) return false;
      if (role.dataset !== options.dataset) {
        throw new UsageError(
          `${archiveName} contains ${role.dataset}, not ${options.dataset}: pass --dataset ${role.dataset}`,
        );
      }
      const label = `${archiveName}: ${entry.name}`;
      checkRecordSize(label, entry.size, layout);
      const reservoir = reservoirs[role.split];
      // Selection uses the fine label; the record keeps both labels of CIFAR-100.
      splitter = new RecordSplitter(label, layout, 'fine', (bytes, pixelOffset, classIndex) => {
        reservoir.offer(
          bytes.subarray(pixelOffset - layout.labelBytes, pixelOffset + 3072),
          classIndex,
        );
      });
      found++;
      return true;
    },
    onData(entry, chunk) {
      if (entry.name.endsWith('.txt')) text.push(chunk.slice());
      else splitter?.push(chunk);
    },
    onEntryEnd(entry) {
      if (entry.name.endsWith('.txt')) {
        names.set(path.posix.basename(entry.name), Buffer.concat(text).toString('utf8'));
      } else {
        splitter?.finish();
        splitter = null;
      }
    },
  });
  const blob = await openAsBlob(file);
  const head = new Uint8Array(await blob.slice(0, 512).arrayBuffer());
  if (isGzip(head)) await gunzipChunks(archiveName, blob.stream(), (chunk) => tar.push(chunk));
  else if (looksLikeTar(head)) {
    await forEachChunk(blob.stream(), (chunk) => tar.push(chunk));
  } else throw notAnArchiveError(archiveName);
  tar.finish();
  if (found === 0) throw new DataError('data.error.archiveMissingBatches', { file: archiveName });
  const train = reservoirs.train.finish();
  const test = reservoirs.test.finish();
  return {
    train: train.bytes,
    test: test.bytes,
    trainCounts: train.counts,
    testCounts: test.counts,
    names,
  };
}

/** Writes the subset and adds (or replaces) its entry in `out/manifest.json`. */
export function writeSubset(subset: SubsetFiles, options: Options, md5: string): string[] {
  const folder = path.join(options.out, options.dataset);
  mkdirSync(folder, { recursive: true });
  const written: string[] = [];
  const write = (name: string, data: Uint8Array | string) => {
    writeFileSync(path.join(folder, name), data);
    written.push(path.join(folder, name));
  };
  write('train.bin', subset.train);
  write('test.bin', subset.test);
  const names: Record<string, string> = {};
  const modes = options.dataset === 'cifar10' ? (['fine'] as const) : (['fine', 'coarse'] as const);
  for (const mode of modes) {
    const file = namesFileFor(options.dataset, mode);
    const content = subset.names.get(file);
    if (content !== undefined) {
      write(file, content);
      names[mode] = `${options.dataset}/${file}`;
    }
  }
  const manifestPath = path.join(options.out, 'manifest.json');
  let entries: Record<string, unknown>[] = [];
  if (existsSync(manifestPath)) {
    try {
      const parsed = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
        entries?: Record<string, unknown>[];
      };
      entries = (parsed.entries ?? []).filter((entry) => entry.dataset !== options.dataset);
    } catch {
      entries = [];
    }
  }
  const trainCount = subset.trainCounts.reduce((a, b) => a + b, 0);
  const testCount = subset.testCounts.reduce((a, b) => a + b, 0);
  entries.push({
    dataset: options.dataset,
    name: `${options.dataset === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100'}, ${trainCount} + ${testCount} images`,
    train: `${options.dataset}/train.bin`,
    test: `${options.dataset}/test.bin`,
    names,
    trainCount,
    testCount,
    seed: options.seed,
    sourceMd5: md5,
  });
  writeFileSync(manifestPath, `${JSON.stringify({ version: 1, entries }, null, 2)}\n`);
  written.push(manifestPath);
  return written;
}

/**
 * Returns one warning per split that got fewer records than requested,
 * because the archive contains fewer, with the per-class counts written.
 */
export function shortfallWarnings(
  subset: Pick<SubsetFiles, 'trainCounts' | 'testCounts'>,
  options: Pick<Options, 'train' | 'test'>,
): string[] {
  const lines: string[] = [];
  const splits = [
    ['train', options.train, subset.trainCounts],
    ['test', options.test, subset.testCounts],
  ] as const;
  for (const [split, requested, counts] of splits) {
    const written = counts.reduce((sum, count) => sum + count, 0);
    if (written >= requested) continue;
    const even = counts.every((count) => count === counts[0]);
    lines.push(
      `warning: requested ${requested} ${split} images but the archive contains only ${written}. ` +
        `Wrote ${written} (per class: ${counts.join(' ')}${even ? '' : ', uneven'}).`,
    );
  }
  return lines;
}

/** Runs the script; returns the process exit code. */
export async function main(
  argv: string[],
  log: (line: string) => void = console.log,
): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    log(`error: ${(error as Error).message}`);
    return 2;
  }
  const official = OFFICIAL[options.dataset];
  let archive = options.from;
  let downloaded: string | null = null;
  if (!archive) {
    const cache = path.join(ROOT, '.cache');
    mkdirSync(cache, { recursive: true });
    downloaded = path.join(cache, official.archive);
    log(`downloading ${official.url}`);
    try {
      await download(official.url, downloaded);
    } catch (error) {
      log(`error: ${(error as Error).message}`);
      await rm(downloaded, { force: true });
      return 1;
    }
    archive = downloaded;
  }
  if (!existsSync(archive)) {
    log(`error: ${archive} does not exist`);
    return 1;
  }

  const md5 = await md5OfFile(archive);
  const expected = options.expectMd5 ?? official.md5;
  if (options.skipMd5) {
    log(`MD5 ${md5} (not checked: --skip-md5)`);
  } else if (md5 !== expected) {
    log(
      `error: MD5 of ${archive} is ${md5}, expected ${expected}. The file is damaged or not the official ${official.archive}.`,
    );
    if (downloaded) await rm(downloaded, { force: true });
    return 1;
  } else {
    log(`MD5 ${md5} matches`);
  }

  try {
    const subset = await subsetArchive(archive, options);
    const written = writeSubset(subset, options, md5);
    log(`train per class: ${subset.trainCounts.join(' ')}`);
    log(`test per class: ${subset.testCounts.join(' ')}`);
    for (const line of shortfallWarnings(subset, options)) log(line);
    for (const file of written) log(`wrote ${path.relative(process.cwd(), file)}`);
    return 0;
  } catch (error) {
    if (error instanceof DataError) log(`error: ${translate('en', error.code, error.params)}`);
    else log(`error: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
