// Test helper: reads the real CIFAR-10 subset beside the repository
// (../shared/data/cifar10) into the interleaved layout the data loader produces.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PIXEL_BYTES, planarToInterleaved } from '../data/records';

export const CIFAR10_DIRECTORY = path.resolve(process.cwd(), '../shared/data/cifar10');

export interface LoadedSplit {
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** Reads the first `count` records of `train.bin` or `test.bin`. */
export function readCifar10(file: 'train.bin' | 'test.bin', count: number): LoadedSplit {
  const bytes = readFileSync(path.join(CIFAR10_DIRECTORY, file));
  const recordBytes = PIXEL_BYTES + 1;
  const available = Math.floor(bytes.length / recordBytes);
  if (count > available)
    throw new RangeError(`${file} has ${available} records, ${count} requested`);
  const pixels = new Uint8Array(count * PIXEL_BYTES);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = bytes[i * recordBytes]!;
    planarToInterleaved(bytes, i * recordBytes + 1, pixels, i * PIXEL_BYTES);
  }
  return { pixels, labels, count };
}
