import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../scripts/make-fixtures';
import { decodeCifarPng, decodePng, PngFormatError } from './png';
import { expectedPixels, SHARED_DATA } from './testSupport';

describe('decodePng', () => {
  it('returns the exact pixels of real CIFAR images under all five filters', () => {
    const train = new Uint8Array(readFileSync(path.join(SHARED_DATA, 'cifar10/train.bin')));
    for (const index of [0, 1, 2, 500, 3999]) {
      const rgb = expectedPixels(train, 3073, index);
      const decoded = decodePng(encodePng(rgb));
      expect(decoded.width).toBe(32);
      expect(decoded.height).toBe(32);
      expect(Buffer.from(decoded.rgb).equals(Buffer.from(rgb))).toBe(true);
    }
  });

  it('rejects bytes that are not a PNG', () => {
    expect(() => decodePng(new Uint8Array(100))).toThrow(PngFormatError);
  });

  it('rejects a PNG whose image data is damaged', () => {
    const png = encodePng(new Uint8Array(3072).fill(9));
    const idatStart = png.indexOf('IDAT') + 4;
    for (let i = idatStart; i < idatStart + 20; i++) png[i] = 0xff;
    expect(() => decodePng(png)).toThrow(PngFormatError);
  });

  it('marks a 16-bit PNG as unsupported rather than damaged', () => {
    const png = encodePng(new Uint8Array(3072));
    png[8 + 8 + 8] = 16; // IHDR bit depth
    try {
      decodePng(png);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PngFormatError);
      expect((error as PngFormatError).unsupported).toBe(true);
    }
  });
});

describe('decodeCifarPng', () => {
  it('returns null for an image that is not 32x32', async () => {
    expect(await decodeCifarPng(encodePng(new Uint8Array(16 * 16 * 3), 16, 16))).toBeNull();
  });

  it('returns null for random bytes', async () => {
    expect(await decodeCifarPng(new Uint8Array(300).fill(3))).toBeNull();
  });
});
