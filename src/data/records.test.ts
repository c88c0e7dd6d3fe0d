import { describe, expect, it } from 'vitest';
import { DataError } from './errors';
import {
  checkRecordSize,
  LAYOUTS,
  planarToInterleaved,
  RecordSplitter,
  readLabel,
} from './records';

function record(label: number, planes: [number, number, number]): Uint8Array {
  const bytes = new Uint8Array(3073);
  bytes[0] = label;
  for (let c = 0; c < 3; c++) bytes.fill(planes[c]!, 1 + c * 1024, 1 + (c + 1) * 1024);
  return bytes;
}

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof DataError) return `${error.code} ${JSON.stringify(error.params)}`;
    throw error;
  }
  return 'no error';
}

describe('planarToInterleaved', () => {
  for (const [channel, name] of [
    [0, 'red'],
    [1, 'green'],
    [2, 'blue'],
  ] as const) {
    it(`puts a solid ${name} plane in channel ${channel} of every pixel`, () => {
      const planes: [number, number, number] = [0, 0, 0];
      planes[channel] = 255;
      const source = record(3, planes);
      const target = new Uint8Array(3072);
      planarToInterleaved(source, 1, target, 0);
      for (let p = 0; p < 1024; p++) {
        for (let c = 0; c < 3; c++) {
          if (target[p * 3 + c] !== (c === channel ? 255 : 0)) {
            throw new Error(`pixel ${p} channel ${c} is ${target[p * 3 + c]}`);
          }
        }
      }
    });
  }

  it('moves pixel (row, col) of each plane to (row, col) of the image', () => {
    const source = new Uint8Array(3072);
    for (let c = 0; c < 3; c++)
      for (let p = 0; p < 1024; p++) source[c * 1024 + p] = (p * 7 + c * 50) & 0xff;
    const target = new Uint8Array(3072 + 10);
    planarToInterleaved(source, 0, target, 10);
    for (let row = 0; row < 32; row++) {
      for (let col = 0; col < 32; col++) {
        const p = row * 32 + col;
        for (let c = 0; c < 3; c++)
          expect(target[10 + (row * 32 + col) * 3 + c]).toBe(source[c * 1024 + p]);
      }
    }
  });
});

describe('checkRecordSize', () => {
  it('counts records of a whole-record size', () => {
    expect(checkRecordSize('a.bin', 3073 * 5, LAYOUTS.cifar10)).toBe(5);
    expect(checkRecordSize('a.bin', 3074 * 2, LAYOUTS.cifar100)).toBe(2);
  });

  it('rejects an empty file', () => {
    expect(codeOf(() => checkRecordSize('empty.bin', 0, LAYOUTS.cifar10))).toBe(
      'data.error.emptyFile {"file":"empty.bin"}',
    );
  });

  it('rejects a partial record and names the size', () => {
    expect(codeOf(() => checkRecordSize('x.bin', 3073 * 2 + 5, LAYOUTS.cifar10))).toBe(
      'data.error.recordSize {"file":"x.bin","size":6151,"recordBytes":3073,"remainder":5}',
    );
  });

  it('points to CIFAR-100 when the size fits its records', () => {
    expect(codeOf(() => checkRecordSize('train.bin', 3074 * 100, LAYOUTS.cifar10))).toContain(
      'data.error.recordSizeOtherDataset',
    );
  });
});

describe('readLabel', () => {
  it('rejects a CIFAR-10 label above 9', () => {
    const bytes = record(10, [0, 0, 0]);
    expect(codeOf(() => readLabel(bytes, 0, LAYOUTS.cifar10, 'fine', 'f.bin', 4))).toBe(
      'data.error.labelRange {"file":"f.bin","record":4,"label":10,"max":9}',
    );
  });

  it('reads fine or coarse CIFAR-100 labels and checks both', () => {
    const bytes = new Uint8Array([19, 99]);
    expect(readLabel(bytes, 0, LAYOUTS.cifar100, 'fine', 'f', 0)).toBe(99);
    expect(readLabel(bytes, 0, LAYOUTS.cifar100, 'coarse', 'f', 0)).toBe(19);
    expect(
      codeOf(() => readLabel(new Uint8Array([20, 3]), 0, LAYOUTS.cifar100, 'fine', 'f', 0)),
    ).toContain('"max":19');
    expect(
      codeOf(() => readLabel(new Uint8Array([2, 100]), 0, LAYOUTS.cifar100, 'coarse', 'f', 0)),
    ).toContain('"max":99');
  });
});

describe('RecordSplitter', () => {
  it('gives the same records whatever the chunk sizes', () => {
    const file = new Uint8Array(3073 * 4);
    for (let r = 0; r < 4; r++) file.set(record(r, [r * 10, r * 20, r * 30]), r * 3073);
    for (const chunkSize of [1, 100, 3072, 3073, 3074, 5000, file.length]) {
      const seen: number[][] = [];
      const splitter = new RecordSplitter(
        'f.bin',
        LAYOUTS.cifar10,
        'fine',
        (bytes, offset, label) => {
          seen.push([label, bytes[offset]!, bytes[offset + 1024]!, bytes[offset + 2048]!]);
        },
      );
      for (let i = 0; i < file.length; i += chunkSize)
        splitter.push(file.subarray(i, i + chunkSize));
      splitter.finish();
      expect(seen).toEqual([
        [0, 0, 0, 0],
        [1, 10, 20, 30],
        [2, 20, 40, 60],
        [3, 30, 60, 90],
      ]);
    }
  });

  it('rejects a stream that stops inside a record', () => {
    const splitter = new RecordSplitter('cut.bin', LAYOUTS.cifar10, 'fine', () => undefined);
    splitter.push(record(1, [0, 0, 0]).subarray(0, 3000));
    expect(codeOf(() => splitter.finish())).toContain('data.error.recordSize');
  });
});
