// The image pipeline on the device: the subset lives there as one packed
// integer tensor, and each batch is gathered, unpacked, standardised and
// augmented by TF.js ops, so only a few hundred index bytes cross the bus per
// step.

import * as tf from '@tensorflow/tfjs';
import type { SeededRandom } from './random';

export const IMAGE_SIZE = 32;
export const PIXELS_PER_IMAGE = IMAGE_SIZE * IMAGE_SIZE;
export const BYTES_PER_IMAGE = PIXELS_PER_IMAGE * 3;

/** Per-channel CIFAR-10 training-set mean and standard deviation of pixel/255 (R, G, B). */
export const CIFAR10_MEAN = [0.4914, 0.4822, 0.4465] as const;
export const CIFAR10_STD = [0.247, 0.2435, 0.2616] as const;

/** Zero padding on each side before the random 32x32 crop. */
export const CROP_PADDING = 4;

/**
 * Packs interleaved RGB images (32x32x3 bytes each, row by row, as the data
 * loader's subsets store them) into one int32 per pixel, r + 256·g + 65536·b.
 * TF.js has no uint8 dtype, so this keeps the subset at 4 bytes per pixel on
 * the device instead of 12. Every packed value is below 2^24 and so stays
 * exact on backends that store int32 as float32 (WebGL).
 */
export function packImages(pixels: Uint8Array, count: number): Int32Array {
  if (pixels.length < count * BYTES_PER_IMAGE) {
    throw new RangeError(
      `packImages: ${pixels.length} bytes hold fewer than ${count} images of ${BYTES_PER_IMAGE} bytes`,
    );
  }
  const packed = new Int32Array(count * PIXELS_PER_IMAGE);
  for (let p = 0, byte = 0; p < packed.length; p++, byte += 3) {
    packed[p] = pixels[byte]! + (pixels[byte + 1]! << 8) + (pixels[byte + 2]! << 16);
  }
  return packed;
}

/** One split of the subset on the device: packed pixels [N, 1024] and labels [N]. */
export class DeviceSplit {
  readonly count: number;

  private constructor(
    readonly images: tf.Tensor2D,
    readonly labels: tf.Tensor1D,
    /** The labels on the CPU, for confusion matrices without a read-back. */
    readonly hostLabels: Int32Array,
  ) {
    this.count = labels.shape[0];
  }

  /** Uploads interleaved RGB pixels (count x 32 x 32 x 3 bytes) and labels once. */
  static upload(pixels: Uint8Array, labels: ArrayLike<number>): DeviceSplit {
    const count = labels.length;
    const hostLabels = Int32Array.from(labels);
    const packed = packImages(pixels, count);
    const images = tf.tensor2d(packed, [count, PIXELS_PER_IMAGE], 'int32');
    const labelTensor = tf.tensor1d(hostLabels, 'int32');
    return new DeviceSplit(images, labelTensor, hostLabels);
  }

  dispose(): void {
    this.images.dispose();
    this.labels.dispose();
  }
}

/** Random crop offsets in [0, 2·padding] and flips for one batch, drawn on the CPU from the seeded generator. */
export interface AugmentationDraw {
  offsetY: Int32Array;
  offsetX: Int32Array;
  flip: Uint8Array;
}

export function drawAugmentation(
  random: SeededRandom,
  batchSize: number,
  padding = CROP_PADDING,
): AugmentationDraw {
  const offsetY = new Int32Array(batchSize);
  const offsetX = new Int32Array(batchSize);
  const flip = new Uint8Array(batchSize);
  for (let i = 0; i < batchSize; i++) {
    offsetY[i] = random.nextInt(2 * padding + 1);
    offsetX[i] = random.nextInt(2 * padding + 1);
    flip[i] = random.next() < 0.5 ? 1 : 0;
  }
  return { offsetY, offsetX, flip };
}

/**
 * Index of each output pixel's source in the padded batch viewed as
 * [B·P·P, channels] pixels, with P = size + 2·padding: pixel (i, j) of image b
 * comes from row offsetY[b] + i and column offsetX[b] + j of that image's
 * padded copy, the column mirrored (size − 1 − j) when the image is flipped.
 * One gather with these indices crops and flips the whole batch.
 */
export function cropIndices(
  draw: AugmentationDraw,
  size = IMAGE_SIZE,
  padding = CROP_PADDING,
): Int32Array {
  const batchSize = draw.flip.length;
  const padded = size + 2 * padding;
  const indices = new Int32Array(batchSize * size * size);
  let k = 0;
  for (let b = 0; b < batchSize; b++) {
    const dy = draw.offsetY[b]!;
    const dx = draw.offsetX[b]!;
    const flipped = draw.flip[b] === 1;
    for (let i = 0; i < size; i++) {
      const rowStart = (b * padded + dy + i) * padded + dx;
      for (let j = 0; j < size; j++) {
        indices[k++] = rowStart + (flipped ? size - 1 - j : j);
      }
    }
  }
  return indices;
}

/** Unpacks packed pixels [B, 1024] into float RGB values 0..255, shaped [B, 32, 32, 3]. */
export function unpackPixels(packed: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    // Float arithmetic is exact here: values are below 2^24 and the divisors are powers of two.
    const value = tf.cast(packed, 'float32');
    const blue = tf.floor(tf.mul(value, 1 / 65536));
    const redGreen = tf.sub(value, tf.mul(blue, 65536));
    const green = tf.floor(tf.mul(redGreen, 1 / 256));
    const red = tf.sub(redGreen, tf.mul(green, 256));
    const batch = packed.shape[0];
    return tf.reshape(tf.stack([red, green, blue], 2), [batch, IMAGE_SIZE, IMAGE_SIZE, 3]);
  });
}

/**
 * Builds batches on the device. The standardisation constants are uploaded
 * once and live until `dispose`.
 */
export class BatchPipeline {
  private readonly scale: tf.Tensor1D;
  private readonly shift: tf.Tensor1D;

  constructor(
    readonly numClasses: number,
    readonly padding = CROP_PADDING,
  ) {
    // (x/255 - mean)/std = x·scale + shift, one multiply and one add per pixel.
    this.scale = tf.tensor1d(CIFAR10_STD.map((std) => 1 / (255 * std)));
    this.shift = tf.tensor1d(CIFAR10_MEAN.map((mean, c) => -mean / CIFAR10_STD[c]!));
  }

  /** Standardises float RGB 0..255 per channel with the CIFAR-10 mean and std. */
  standardize(rgb: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => tf.add(tf.mul(rgb, this.scale), this.shift));
  }

  /**
   * Pads by `padding` zeros (after standardisation, so padding is the mean
   * colour, as in fb.resnet.torch which the DenseNet authors trained with),
   * then crops 32x32 at each image's offset and flips where drawn.
   */
  cropAndFlip(images: tf.Tensor4D, draw: AugmentationDraw): tf.Tensor4D {
    return tf.tidy(() => {
      const [batch, height, width, channels] = images.shape;
      const p = this.padding;
      const padded = tf.pad(images, [
        [0, 0],
        [p, p],
        [p, p],
        [0, 0],
      ]);
      // A plain gather over all padded pixels: TF.js 4.22's wasm GatherV2
      // computes wrong offsets when batchDims > 0 (tensorflow/tfjs#8658).
      const pixels = tf.reshape(padded, [batch * (height + 2 * p) * (width + 2 * p), channels]);
      const index = tf.tensor1d(cropIndices(draw, height, p), 'int32');
      return tf.reshape(tf.gather(pixels, index), [batch, height, width, channels]) as tf.Tensor4D;
    });
  }

  /** A training batch: standardised (and augmented when `draw` is given) images and one-hot labels. */
  trainBatch(
    split: DeviceSplit,
    indices: Int32Array,
    draw: AugmentationDraw | null,
  ): { images: tf.Tensor4D; labels: tf.Tensor1D; oneHot: tf.Tensor2D } {
    return tf.tidy(() => {
      const index = tf.tensor1d(indices, 'int32');
      const packed = tf.gather(split.images, index) as tf.Tensor2D;
      const standardized = this.standardize(unpackPixels(packed));
      const images = draw ? this.cropAndFlip(standardized, draw) : standardized;
      const labels = tf.gather(split.labels, index) as tf.Tensor1D;
      const oneHot = tf.oneHot(labels, this.numClasses) as tf.Tensor2D;
      return { images, labels, oneHot };
    });
  }

  /** Standardised images [start, start + size) of a split, without augmentation. */
  evaluationBatch(
    split: DeviceSplit,
    start: number,
    size: number,
  ): { images: tf.Tensor4D; labels: tf.Tensor1D } {
    return tf.tidy(() => {
      const packed = tf.slice(split.images, [start, 0], [size, PIXELS_PER_IMAGE]);
      const images = this.standardize(unpackPixels(packed));
      const labels = tf.slice(split.labels, [start], [size]);
      return { images, labels };
    });
  }

  dispose(): void {
    this.scale.dispose();
    this.shift.dispose();
  }
}

/**
 * Seeded batch order: a fresh permutation of the split every epoch, cut into
 * `floor(N / batchSize)` full batches. The last partial batch is dropped so
 * every step has one shape (a new shape costs a shader compile on WebGPU).
 */
export class BatchSampler {
  readonly batchSize: number;
  readonly stepsPerEpoch: number;
  private order: Int32Array;
  private position = 0;

  constructor(
    readonly count: number,
    requestedBatchSize: number,
    private readonly random: SeededRandom,
  ) {
    if (count < 1) throw new RangeError('BatchSampler: the split has no images');
    this.batchSize = Math.min(requestedBatchSize, count);
    this.stepsPerEpoch = Math.floor(count / this.batchSize);
    this.order = random.permutation(count);
  }

  /** Indices of the next batch; starts a new permutation after the epoch's last full batch. */
  next(): Int32Array {
    if (this.position + this.batchSize > this.stepsPerEpoch * this.batchSize) {
      this.order = this.random.permutation(this.count);
      this.position = 0;
    }
    const batch = this.order.slice(this.position, this.position + this.batchSize);
    this.position += this.batchSize;
    return batch;
  }

  /** Position within the current epoch's permutation, for checkpoints. */
  getState(): { order: Int32Array; position: number } {
    return { order: this.order.slice(), position: this.position };
  }

  setState(state: { order: Int32Array; position: number }): void {
    this.order = state.order.slice();
    this.position = state.position;
  }
}
