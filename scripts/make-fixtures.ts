// Builds test fixtures from the real CIFAR subset beside the project
// (../shared/data): archives in the official layout, parquet files in the
// Hugging Face layout with PNG images, and broken files for the error paths.
// Output goes to .cache/fixtures (gitignored). Run: npm run fixtures

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_DATA = path.resolve(ROOT, '../shared/data');
export const FIXTURES = path.join(ROOT, '.cache/fixtures');
/** Bump when the fixture contents change, so stale copies are rebuilt. */
const FIXTURE_VERSION = '3';

const PLANE = 1024;

// ---- PNG ------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Encodes a 32x32 interleaved RGB image as an 8-bit RGB PNG. Row y uses
 * filter type y % 5, so a decoder must handle all five filters.
 */
export function encodePng(rgb: Uint8Array, width = 32, height = 32): Buffer {
  const stride = width * 3;
  const filtered = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    filtered[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const value = rgb[y * stride + x]!;
      const left = x >= 3 ? rgb[y * stride + x - 3]! : 0;
      const up = y > 0 ? rgb[(y - 1) * stride + x]! : 0;
      const upLeft = y > 0 && x >= 3 ? rgb[(y - 1) * stride + x - 3]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      filtered[y * (stride + 1) + 1 + x] = (value - predictor) & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(filtered)),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

// ---- tar ------------------------------------------------------------------

function tarHeader(name: string, size: number, type: '0' | '5'): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write(type === '5' ? '0000755\0' : '0000644\0', 100, 'latin1');
  block.write('0001750\0', 108, 'latin1');
  block.write('0001750\0', 116, 'latin1');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.write(`${(1233446400).toString(8).padStart(11, '0')}\0`, 136, 'latin1');
  block.write('        ', 148, 'latin1');
  block.write(type, 156, 'latin1');
  block.write('ustar  \0', 257, 'latin1');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

/** Writes a tar archive (GNU ustar headers) of directories and files, in order. */
export function writeTar(entries: { name: string; data?: Uint8Array }[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (!entry.data) {
      parts.push(tarHeader(entry.name, 0, '5'));
      continue;
    }
    parts.push(tarHeader(entry.name, entry.data.length, '0'), Buffer.from(entry.data));
    const padding = (512 - (entry.data.length % 512)) % 512;
    parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

// ---- records --------------------------------------------------------------

export interface Records {
  recordBytes: number;
  bytes: Buffer;
  count: number;
}

export function readRecords(file: string, recordBytes: number): Records {
  const bytes = readFileSync(file);
  return { recordBytes, bytes, count: bytes.length / recordBytes };
}

function sliceRecords(records: Records, start: number, end: number): Buffer {
  return records.bytes.subarray(start * records.recordBytes, end * records.recordBytes);
}

function interleaved(records: Records, index: number): Uint8Array {
  const offset = index * records.recordBytes + (records.recordBytes - 3 * PLANE);
  const rgb = new Uint8Array(3 * PLANE);
  for (let p = 0; p < PLANE; p++) {
    rgb[p * 3] = records.bytes[offset + p]!;
    rgb[p * 3 + 1] = records.bytes[offset + PLANE + p]!;
    rgb[p * 3 + 2] = records.bytes[offset + 2 * PLANE + p]!;
  }
  return rgb;
}

// ---- parquet --------------------------------------------------------------

/** Writes records as parquet in the Hugging Face layout: img {bytes, path} plus label columns. */
export function writeHfParquet(
  records: Records,
  start: number,
  end: number,
  labelColumns: { name: string; byte: number; names: string[] }[],
  rowGroupSize: number,
): Uint8Array {
  const rows = end - start;
  const img = Array.from({ length: rows }, (_, i) => ({
    bytes: new Uint8Array(encodePng(interleaved(records, start + i))),
    path: null,
  }));
  const features: Record<string, unknown> = { img: { _type: 'Image' } };
  for (const column of labelColumns)
    features[column.name] = { names: column.names, _type: 'ClassLabel' };
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'img', data: img },
      ...labelColumns.map((column) => ({
        name: column.name,
        data: Array.from({ length: rows }, (_, i) =>
          BigInt(records.bytes[(start + i) * records.recordBytes + column.byte]!),
        ),
      })),
    ],
    schema: [
      { name: 'schema', num_children: 1 + labelColumns.length },
      { name: 'img', repetition_type: 'OPTIONAL', num_children: 2 },
      { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
      { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ...labelColumns.map((column) => ({
        name: column.name,
        type: 'INT64' as const,
        repetition_type: 'OPTIONAL' as const,
      })),
    ],
    rowGroupSize,
    kvMetadata: [{ key: 'huggingface', value: JSON.stringify({ info: { features } }) }],
  });
  return new Uint8Array(buffer);
}

// ---- fixture set ----------------------------------------------------------

export const FIXTURE_FILES = {
  cifar10Archive: 'cifar-10-binary.tar.gz',
  cifar100Archive: 'cifar-100-binary.tar.gz',
  cifar10TrainParquet: 'cifar10-train.parquet',
  cifar10TestParquet: 'cifar10-test.parquet',
  cifar100TrainParquet: 'cifar100-train.parquet',
  cifar100TestParquet: 'cifar100-test.parquet',
  truncatedArchive: 'truncated.tar.gz',
  corruptArchive: 'corrupt.tar.gz',
  randomFile: 'random.dat',
  randomBin: 'random.bin',
  wrongSizeBin: 'wrong-size.bin',
  emptyBin: 'empty.bin',
  wrongColumnsParquet: 'wrong-columns.parquet',
} as const;

/** Rows per row group in the CIFAR-10 parquet fixtures, as in the datasets library's image files. */
export const PARQUET_ROW_GROUP = 100;

function randomBytes(count: number, seed: number): Buffer {
  const out = Buffer.alloc(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

function build(): void {
  mkdirSync(FIXTURES, { recursive: true });
  const write = (name: string, data: Uint8Array) => writeFileSync(path.join(FIXTURES, name), data);
  const c10train = readRecords(path.join(SHARED_DATA, 'cifar10/train.bin'), 3073);
  const c10test = readRecords(path.join(SHARED_DATA, 'cifar10/test.bin'), 3073);
  const c10meta = readFileSync(path.join(SHARED_DATA, 'cifar10/batches.meta.txt'));
  const c100 = readRecords(path.join(SHARED_DATA, 'cifar100/train.bin'), 3074);
  const fineNames = readFileSync(path.join(SHARED_DATA, 'cifar100/fine_label_names.txt'));
  const coarseNames = readFileSync(path.join(SHARED_DATA, 'cifar100/coarse_label_names.txt'));

  // CIFAR-10: the 4,000 training records as five batches of 800, the 1,000 test records as test_batch.
  const batch = c10train.count / 5;
  const c10archive = gzipSync(
    writeTar([
      { name: 'cifar-10-batches-bin/' },
      { name: 'cifar-10-batches-bin/batches.meta.txt', data: c10meta },
      ...[1, 2, 3, 4, 5].map((n) => ({
        name: `cifar-10-batches-bin/data_batch_${n}.bin`,
        data: sliceRecords(c10train, (n - 1) * batch, n * batch),
      })),
      {
        name: 'cifar-10-batches-bin/readme.html',
        data: Buffer.from(
          '<meta HTTP-EQUIV="REFRESH" content="0; url=http://www.cs.toronto.edu/~kriz/cifar.html">\n',
        ),
      },
      { name: 'cifar-10-batches-bin/test_batch.bin', data: c10test.bytes },
    ]),
  );
  write(FIXTURE_FILES.cifar10Archive, c10archive);

  // CIFAR-100: records 0-79 as train.bin, 80-99 as test.bin.
  write(
    FIXTURE_FILES.cifar100Archive,
    gzipSync(
      writeTar([
        { name: 'cifar-100-binary/' },
        { name: 'cifar-100-binary/coarse_label_names.txt', data: coarseNames },
        { name: 'cifar-100-binary/fine_label_names.txt', data: fineNames },
        { name: 'cifar-100-binary/test.bin', data: sliceRecords(c100, 80, 100) },
        { name: 'cifar-100-binary/train.bin', data: sliceRecords(c100, 0, 80) },
      ]),
    ),
  );

  const c10names = c10meta
    .toString('utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const fine = fineNames
    .toString('utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const coarse = coarseNames
    .toString('utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const c10label = [{ name: 'label', byte: 0, names: c10names }];
  write(
    FIXTURE_FILES.cifar10TrainParquet,
    writeHfParquet(c10train, 0, c10train.count, c10label, PARQUET_ROW_GROUP),
  );
  write(
    FIXTURE_FILES.cifar10TestParquet,
    writeHfParquet(c10test, 0, c10test.count, c10label, PARQUET_ROW_GROUP),
  );
  const c100labels = [
    { name: 'fine_label', byte: 1, names: fine },
    { name: 'coarse_label', byte: 0, names: coarse },
  ];
  write(FIXTURE_FILES.cifar100TrainParquet, writeHfParquet(c100, 0, 80, c100labels, 20));
  write(FIXTURE_FILES.cifar100TestParquet, writeHfParquet(c100, 80, 100, c100labels, 20));

  // Broken inputs.
  write(
    FIXTURE_FILES.truncatedArchive,
    c10archive.subarray(0, Math.floor(c10archive.length * 0.6)),
  );
  const corrupt = Buffer.from(c10archive);
  const middle = Math.floor(corrupt.length * 0.4);
  for (let i = 0; i < 64; i++) corrupt[middle + i] = corrupt[middle + i]! ^ 0x5a;
  write(FIXTURE_FILES.corruptArchive, corrupt);
  write(FIXTURE_FILES.randomFile, randomBytes(50_000, 7));
  write(FIXTURE_FILES.randomBin, randomBytes(3073 * 20, 11));
  write(FIXTURE_FILES.wrongSizeBin, c10train.bytes.subarray(0, 3073 * 3 + 100));
  write(FIXTURE_FILES.emptyBin, new Uint8Array(0));
  write(
    FIXTURE_FILES.wrongColumnsParquet,
    new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          {
            name: 'image',
            data: Array.from({ length: 10 }, (_, i) => `img-${i}.png`),
            type: 'STRING',
          },
          { name: 'target', data: Array.from({ length: 10 }, (_, i) => i % 10), type: 'INT32' },
        ],
      }),
    ),
  );
  writeFileSync(path.join(FIXTURES, 'version.txt'), FIXTURE_VERSION);
}

/** Builds the fixtures unless an up-to-date set exists; returns the folder. */
export function ensureFixtures(): string {
  const versionFile = path.join(FIXTURES, 'version.txt');
  if (!existsSync(versionFile) || readFileSync(versionFile, 'utf8') !== FIXTURE_VERSION) build();
  return FIXTURES;
}

export function fixturePath(name: keyof typeof FIXTURE_FILES): string {
  return path.join(FIXTURES, FIXTURE_FILES[name]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  if (force) build();
  else ensureFixtures();
  console.log(`fixtures in ${path.relative(process.cwd(), FIXTURES) || FIXTURES}`);
}
