import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchPipeline,
  BatchSampler,
  CIFAR10_MEAN,
  CIFAR10_STD,
  DeviceSplit,
  drawAugmentation,
  packImages,
  unpackPixels,
} from './augment';
import { SeededRandom } from './random';
import { readCifar10 } from './testData';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('packImages', () => {
  it('round-trips every byte through unpackPixels', async () => {
    const pixels = new Uint8Array(2 * 3072);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919) % 256;
    const packed = tf.tensor2d(packImages(pixels, 2), [2, 1024], 'int32');
    const unpacked = unpackPixels(packed);
    expect(unpacked.shape).toEqual([2, 32, 32, 3]);
    expect(Array.from(await unpacked.data())).toEqual(Array.from(pixels));
    tf.dispose([packed, unpacked]);
  });

  it('rejects a buffer shorter than the image count', () => {
    expect(() => packImages(new Uint8Array(3071), 1)).toThrow(/3071 bytes/);
  });
});

describe('BatchPipeline', () => {
  const pipeline = new BatchPipeline(10);
  afterAll(() => pipeline.dispose());

  it('standardises with the CIFAR-10 mean and std per channel', async () => {
    const rgb = tf.tensor4d([255, 0, 128], [1, 1, 1, 3]);
    const out = await pipeline.standardize(rgb).data();
    const expected = [255, 0, 128].map((v, c) => (v / 255 - CIFAR10_MEAN[c]!) / CIFAR10_STD[c]!);
    for (let c = 0; c < 3; c++) expect(out[c]).toBeCloseTo(expected[c]!, 5);
    rgb.dispose();
  });

  it('pads with zeros, crops at the offset and flips', async () => {
    // Pixel value encodes its position: 1000·c + 32·row + column + 1, so 0 means padding.
    const values = new Float32Array(32 * 32 * 3);
    for (let row = 0; row < 32; row++)
      for (let column = 0; column < 32; column++)
        for (let c = 0; c < 3; c++)
          values[(row * 32 + column) * 3 + c] = 1000 * c + 32 * row + column + 1;
    const image = tf.tensor4d(values, [1, 32, 32, 3]);
    const cases = [
      { dy: 0, dx: 8, flip: 0 },
      { dy: 4, dx: 4, flip: 0 },
      { dy: 8, dx: 1, flip: 1 },
      { dy: 4, dx: 4, flip: 1 },
    ];
    for (const { dy, dx, flip } of cases) {
      const draw = {
        offsetY: Int32Array.of(dy),
        offsetX: Int32Array.of(dx),
        flip: Uint8Array.of(flip),
      };
      const cropped = pipeline.cropAndFlip(image, draw);
      expect(cropped.shape).toEqual([1, 32, 32, 3]);
      const out = await cropped.data();
      cropped.dispose();
      const mismatches: string[] = [];
      for (let i = 0; i < 32; i++) {
        for (let j = 0; j < 32; j++) {
          // Output (i, j) reads padded (dy + i, dx + j'), j' mirrored when flipped; padded = original shifted by 4.
          const column = flip ? dx + 31 - j : dx + j;
          const sourceRow = dy + i - 4;
          const sourceColumn = column - 4;
          const inside = sourceRow >= 0 && sourceRow < 32 && sourceColumn >= 0 && sourceColumn < 32;
          for (let c = 0; c < 3; c++) {
            const expected = inside ? 1000 * c + 32 * sourceRow + sourceColumn + 1 : 0;
            const actual = out[(i * 32 + j) * 3 + c];
            if (actual !== expected) mismatches.push(`(${i},${j},${c}) ${actual} != ${expected}`);
          }
        }
      }
      expect({ dy, dx, flip, mismatches: mismatches.slice(0, 5) }).toEqual({
        dy,
        dx,
        flip,
        mismatches: [],
      });
    }
    image.dispose();
  });

  // Batches above and below 32, on cpu and on wasm, whose GatherV2 with
  // batchDims > 0 scrambled such batches in TF.js 4.22.
  it.each([
    { backend: 'cpu', batch: 5 },
    { backend: 'wasm', batch: 16 },
    { backend: 'wasm', batch: 33 },
    { backend: 'wasm', batch: 64 },
  ])('crops and flips every image of a batch ($backend, $batch)', async ({ backend, batch }) => {
    // Imported here: loading the wasm backend makes it the default, and the
    // tensors this file builds while collecting its tests must stay on cpu.
    const { registerWasmTrainingKernels } = await import('./wasm/register');
    registerWasmTrainingKernels();
    await tf.setBackend(backend);
    try {
      // Pixel value encodes image, position and channel: 1 + c + 3·(column + 32·(row + 32·b)).
      const encode = (b: number, row: number, column: number, c: number) =>
        1 + c + 3 * (column + 32 * (row + 32 * b));
      const values = new Float32Array(batch * 32 * 32 * 3).map((_, i) => i + 1);
      const random = new SeededRandom(batch);
      const draw = drawAugmentation(random, batch);
      const images = tf.tensor4d(values, [batch, 32, 32, 3]);
      const local = new BatchPipeline(10);
      const cropped = local.cropAndFlip(images, draw);
      const out = await cropped.data();
      tf.dispose([images, cropped]);
      local.dispose();
      let mismatches = 0;
      for (let b = 0; b < batch; b++) {
        for (let i = 0; i < 32; i++) {
          for (let j = 0; j < 32; j++) {
            const column = draw.flip[b] ? draw.offsetX[b]! + 31 - j : draw.offsetX[b]! + j;
            const row = draw.offsetY[b]! + i - 4;
            const inside = row >= 0 && row < 32 && column - 4 >= 0 && column - 4 < 32;
            for (let c = 0; c < 3; c++) {
              const expected = inside ? encode(b, row, column - 4, c) : 0;
              if (out[((b * 32 + i) * 32 + j) * 3 + c] !== expected) mismatches += 1;
            }
          }
        }
      }
      expect(mismatches).toBe(0);
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it('keeps labels and shapes on real CIFAR-10 images', async () => {
    const data = readCifar10('train.bin', 64);
    const split = DeviceSplit.upload(data.pixels, data.labels);
    const indices = Int32Array.of(5, 0, 63, 17, 17, 42);
    const random = new SeededRandom(3);
    const batch = pipeline.trainBatch(split, indices, drawAugmentation(random, indices.length));
    expect(batch.images.shape).toEqual([6, 32, 32, 3]);
    expect(batch.oneHot.shape).toEqual([6, 10]);
    expect(Array.from(await batch.labels.data())).toEqual(
      Array.from(indices, (i) => data.labels[i]!),
    );
    const hot = await batch.oneHot.argMax(1).data();
    expect(Array.from(hot)).toEqual(Array.from(indices, (i) => data.labels[i]!));
    tf.dispose([batch.images, batch.labels, batch.oneHot]);

    // Without augmentation, the batch is exactly the standardised source pixels.
    const plain = pipeline.trainBatch(split, Int32Array.of(7), null);
    const values = await plain.images.data();
    for (const p of [0, 100, 1023]) {
      for (let c = 0; c < 3; c++) {
        const byte = data.pixels[7 * 3072 + p * 3 + c]!;
        expect(values[p * 3 + c]).toBeCloseTo((byte / 255 - CIFAR10_MEAN[c]!) / CIFAR10_STD[c]!, 5);
      }
    }
    tf.dispose([plain.images, plain.labels, plain.oneHot]);
    split.dispose();
  });

  it('frees every intermediate tensor', () => {
    const data = readCifar10('test.bin', 8);
    const split = DeviceSplit.upload(data.pixels, data.labels);
    const before = tf.memory().numTensors;
    const random = new SeededRandom(1);
    for (let i = 0; i < 3; i++) {
      const batch = pipeline.trainBatch(
        split,
        Int32Array.of(1, 2, 3, 4),
        drawAugmentation(random, 4),
      );
      tf.dispose([batch.images, batch.labels, batch.oneHot]);
      const evaluation = pipeline.evaluationBatch(split, 2, 4);
      tf.dispose([evaluation.images, evaluation.labels]);
    }
    expect(tf.memory().numTensors).toBe(before);
    split.dispose();
  });
});

describe('drawAugmentation', () => {
  it('draws offsets in 0..8 and both flips', () => {
    const draw = drawAugmentation(new SeededRandom(11), 2000);
    expect(Math.min(...draw.offsetY)).toBe(0);
    expect(Math.max(...draw.offsetY)).toBe(8);
    expect(Math.min(...draw.offsetX)).toBe(0);
    expect(Math.max(...draw.offsetX)).toBe(8);
    const flips = draw.flip.reduce((sum, f) => sum + f, 0);
    expect(flips).toBeGreaterThan(900);
    expect(flips).toBeLessThan(1100);
  });
});

describe('BatchSampler', () => {
  it('visits each image at most once per epoch and drops the partial batch', () => {
    const sampler = new BatchSampler(100, 32, new SeededRandom(5));
    expect(sampler.stepsPerEpoch).toBe(3);
    const seen = new Set<number>();
    for (let step = 0; step < 3; step++) for (const i of sampler.next()) seen.add(i);
    expect(seen.size).toBe(96);
    const nextEpoch = sampler.next();
    expect(nextEpoch.length).toBe(32);
  });

  it('repeats the same order for the same seed', () => {
    const a = new BatchSampler(50, 8, new SeededRandom(9));
    const b = new BatchSampler(50, 8, new SeededRandom(9));
    for (let i = 0; i < 10; i++) expect(Array.from(a.next())).toEqual(Array.from(b.next()));
  });

  it('caps the batch at the split size', () => {
    const sampler = new BatchSampler(5, 64, new SeededRandom(1));
    expect(sampler.batchSize).toBe(5);
    expect(sampler.stepsPerEpoch).toBe(1);
  });
});
