// The CIFAR binary record layouts and the planar -> interleaved (NHWC)
// conversion. A CIFAR-10 record is 1 label byte followed by 1,024 red, 1,024
// green and 1,024 blue bytes, each plane a 32x32 image stored row by row. A
// CIFAR-100 record has a coarse label byte and a fine label byte, then the same
// 3,072 pixel bytes. Source: https://www.cs.toronto.edu/~kriz/cifar.html

import type { DatasetName, LabelMode } from '../training/protocol';
import { DataError } from './errors';

export const IMAGE_SIZE = 32;
export const CHANNELS = 3;
export const PLANE_BYTES = IMAGE_SIZE * IMAGE_SIZE;
export const PIXEL_BYTES = PLANE_BYTES * CHANNELS;

export interface RecordLayout {
  dataset: DatasetName;
  /** Bytes per record: label bytes plus 3,072 pixel bytes. */
  recordBytes: number;
  labelBytes: number;
}

export const LAYOUTS: Record<DatasetName, RecordLayout> = {
  cifar10: { dataset: 'cifar10', recordBytes: 1 + PIXEL_BYTES, labelBytes: 1 },
  cifar100: { dataset: 'cifar100', recordBytes: 2 + PIXEL_BYTES, labelBytes: 2 },
};

export const CLASS_COUNTS: Record<DatasetName, Record<LabelMode, number>> = {
  cifar10: { fine: 10, coarse: 10 },
  cifar100: { fine: 100, coarse: 20 },
};

/** Number of classes the labels of `dataset` take in `labelMode` (CIFAR-10 has one label). */
export function classCount(dataset: DatasetName, labelMode: LabelMode): number {
  return CLASS_COUNTS[dataset][labelMode];
}

/**
 * Copies one image from planar (CHW) order at `source[sourceOffset..]` into
 * interleaved (HWC) order at `target[targetOffset..]`. This is a transpose of a
 * 3 x 1024 matrix: pixel p of channel c moves from c * 1024 + p to p * 3 + c.
 */
export function planarToInterleaved(
  source: Uint8Array,
  sourceOffset: number,
  target: Uint8Array,
  targetOffset: number,
): void {
  const red = sourceOffset;
  const green = sourceOffset + PLANE_BYTES;
  const blue = sourceOffset + 2 * PLANE_BYTES;
  for (let p = 0, t = targetOffset; p < PLANE_BYTES; p++, t += 3) {
    target[t] = source[red + p]!;
    target[t + 1] = source[green + p]!;
    target[t + 2] = source[blue + p]!;
  }
}

/**
 * Throws `data.error.emptyFile` or `data.error.recordSize` when `byteLength`
 * cannot hold whole records of `layout`. The second names the other CIFAR
 * layout when the size fits it, because picking the wrong dataset is the
 * common cause.
 */
export function checkRecordSize(file: string, byteLength: number, layout: RecordLayout): number {
  if (byteLength === 0) throw new DataError('data.error.emptyFile', { file });
  if (byteLength % layout.recordBytes === 0) return byteLength / layout.recordBytes;
  const other = layout.dataset === 'cifar10' ? LAYOUTS.cifar100 : LAYOUTS.cifar10;
  if (byteLength % other.recordBytes === 0) {
    throw new DataError('data.error.recordSizeOtherDataset', {
      file,
      size: byteLength,
      recordBytes: layout.recordBytes,
      otherRecordBytes: other.recordBytes,
      otherDataset: other.dataset === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100',
    });
  }
  throw new DataError('data.error.recordSize', {
    file,
    size: byteLength,
    recordBytes: layout.recordBytes,
    remainder: byteLength % layout.recordBytes,
  });
}

/**
 * Returns the class of the record at `offset`, checking every label byte
 * against its range. `record` is the 0-based record number used in the error.
 */
export function readLabel(
  bytes: Uint8Array,
  offset: number,
  layout: RecordLayout,
  labelMode: LabelMode,
  file: string,
  record: number,
): number {
  if (layout.dataset === 'cifar10') {
    const label = bytes[offset]!;
    if (label >= 10) throw new DataError('data.error.labelRange', { file, record, label, max: 9 });
    return label;
  }
  const coarse = bytes[offset]!;
  const fine = bytes[offset + 1]!;
  if (coarse >= 20) {
    throw new DataError('data.error.labelRange', { file, record, label: coarse, max: 19 });
  }
  if (fine >= 100) {
    throw new DataError('data.error.labelRange', { file, record, label: fine, max: 99 });
  }
  return labelMode === 'coarse' ? coarse : fine;
}

/** Receives whole records: the byte array, the offset of the record's 3,072 pixel bytes in it, and its class. */
export type RecordConsumer = (bytes: Uint8Array, pixelOffset: number, label: number) => void;

/**
 * Splits a byte stream that arrives in chunks of any size into whole records,
 * validates each label, and passes records to `consume`. Call `finish()` after
 * the last chunk: it throws when bytes are left over (a file truncated mid-record).
 */
export class RecordSplitter {
  private readonly carry: Uint8Array;
  private carried = 0;
  private bytesSeen = 0;
  records = 0;

  constructor(
    private readonly file: string,
    private readonly layout: RecordLayout,
    private readonly labelMode: LabelMode,
    private readonly consume: RecordConsumer,
  ) {
    this.carry = new Uint8Array(layout.recordBytes);
  }

  push(chunk: Uint8Array): void {
    const size = this.layout.recordBytes;
    this.bytesSeen += chunk.length;
    let position = 0;
    if (this.carried > 0) {
      const needed = Math.min(size - this.carried, chunk.length);
      this.carry.set(chunk.subarray(0, needed), this.carried);
      this.carried += needed;
      position = needed;
      if (this.carried < size) return;
      this.emit(this.carry, 0);
      this.carried = 0;
    }
    while (position + size <= chunk.length) {
      this.emit(chunk, position);
      position += size;
    }
    if (position < chunk.length) {
      this.carry.set(chunk.subarray(position), 0);
      this.carried = chunk.length - position;
    }
  }

  finish(): void {
    checkRecordSize(this.file, this.bytesSeen, this.layout);
  }

  private emit(bytes: Uint8Array, offset: number): void {
    const label = readLabel(bytes, offset, this.layout, this.labelMode, this.file, this.records);
    this.records++;
    this.consume(bytes, offset + this.layout.labelBytes, label);
  }
}
