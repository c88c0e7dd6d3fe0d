// PNG decoding for the parquet copies, whose images are 32x32 PNG files.
// A small decoder handles the non-interlaced 8-bit PNGs that those copies
// contain (PIL writes CIFAR images as 8-bit RGB), giving exact pixel values in
// the worker and in Node. Anything else goes to the browser's decoder
// (createImageBitmap and an OffscreenCanvas) where one exists.

import { unzlibSync } from 'fflate';
import { IMAGE_SIZE, PIXEL_BYTES } from './records';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Channels per pixel for each PNG colour type. */
const CHANNELS_OF_COLOR_TYPE: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export class PngFormatError extends Error {
  constructor(
    message: string,
    /** True when the file is a valid PNG that this decoder does not handle. */
    readonly unsupported = false,
  ) {
    super(message);
    this.name = 'PngFormatError';
  }
}

export interface DecodedImage {
  width: number;
  height: number;
  /** width x height x 3 bytes, interleaved RGB. */
  rgb: Uint8Array;
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset]! << 24) |
      (bytes[offset + 1]! << 16) |
      (bytes[offset + 2]! << 8) |
      bytes[offset + 3]!) >>>
    0
  );
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/** Reverses the per-row PNG filters in place; returns the raw scanlines without filter bytes. */
function unfilter(
  data: Uint8Array,
  width: number,
  height: number,
  bytesPerPixel: number,
): Uint8Array {
  const stride = width * bytesPerPixel;
  if (data.length < height * (stride + 1))
    throw new PngFormatError('image data is shorter than its size');
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)]!;
    const input = y * (stride + 1) + 1;
    const row = y * stride;
    const previous = row - stride;
    for (let x = 0; x < stride; x++) {
      const raw = data[input + x]!;
      const left = x >= bytesPerPixel ? out[row + x - bytesPerPixel]! : 0;
      const up = y > 0 ? out[previous + x]! : 0;
      const upLeft = y > 0 && x >= bytesPerPixel ? out[previous + x - bytesPerPixel]! : 0;
      let value: number;
      switch (filter) {
        case 0:
          value = raw;
          break;
        case 1:
          value = raw + left;
          break;
        case 2:
          value = raw + up;
          break;
        case 3:
          value = raw + ((left + up) >> 1);
          break;
        case 4:
          value = raw + paeth(left, up, upLeft);
          break;
        default:
          throw new PngFormatError(`unknown filter type ${filter}`);
      }
      out[row + x] = value & 0xff;
    }
  }
  return out;
}

/**
 * Decodes a non-interlaced 8-bit PNG (grey, RGB, palette, grey+alpha or RGBA)
 * to RGB; alpha is dropped. Throws PngFormatError for a damaged file, with
 * `unsupported` set for valid PNGs outside that set (16-bit, interlaced).
 */
export function decodePng(bytes: Uint8Array): DecodedImage {
  for (let i = 0; i < SIGNATURE.length; i++) {
    if (bytes[i] !== SIGNATURE[i]) throw new PngFormatError('missing PNG signature');
  }
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  let palette: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  while (offset + 8 <= bytes.length) {
    const length = readUint32(bytes, offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (data.length < length) throw new PngFormatError(`chunk ${type} is cut short`);
    if (type === 'IHDR') {
      width = readUint32(data, 0);
      height = readUint32(data, 4);
      const bitDepth = data[8]!;
      colorType = data[9]!;
      const interlace = data[12]!;
      if (!(colorType in CHANNELS_OF_COLOR_TYPE))
        throw new PngFormatError(`invalid colour type ${colorType}`);
      if (bitDepth !== 8 || interlace !== 0) {
        throw new PngFormatError(`bit depth ${bitDepth}, interlace ${interlace}`, true);
      }
    } else if (type === 'PLTE') {
      palette = data;
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  if (width === 0 || height === 0 || idat.length === 0)
    throw new PngFormatError('missing IHDR or IDAT chunk');
  const compressed = new Uint8Array(idat.reduce((sum, part) => sum + part.length, 0));
  let position = 0;
  for (const part of idat) {
    compressed.set(part, position);
    position += part.length;
  }
  let inflated: Uint8Array;
  try {
    inflated = unzlibSync(compressed);
  } catch {
    throw new PngFormatError('image data does not inflate');
  }
  const channels = CHANNELS_OF_COLOR_TYPE[colorType]!;
  const raw = unfilter(inflated, width, height, channels);
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const source = p * channels;
    const target = p * 3;
    if (colorType === 2 || colorType === 6) {
      rgb[target] = raw[source]!;
      rgb[target + 1] = raw[source + 1]!;
      rgb[target + 2] = raw[source + 2]!;
    } else if (colorType === 3) {
      if (!palette) throw new PngFormatError('palette image without PLTE chunk');
      const entry = raw[source]! * 3;
      rgb[target] = palette[entry] ?? 0;
      rgb[target + 1] = palette[entry + 1] ?? 0;
      rgb[target + 2] = palette[entry + 2] ?? 0;
    } else {
      rgb[target] = raw[source]!;
      rgb[target + 1] = raw[source]!;
      rgb[target + 2] = raw[source]!;
    }
  }
  return { width, height, rgb };
}

/** Decodes with the browser's image decoder; returns null where there is none (Node). */
async function decodeWithBrowser(bytes: Uint8Array): Promise<DecodedImage | null> {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') return null;
  const bitmap = await createImageBitmap(
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' }),
    {
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    },
  );
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = context.getImageData(0, 0, width, height).data;
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    rgb[p * 3] = rgba[p * 4]!;
    rgb[p * 3 + 1] = rgba[p * 4 + 1]!;
    rgb[p * 3 + 2] = rgba[p * 4 + 2]!;
  }
  return { width, height, rgb };
}

/**
 * Decodes a CIFAR image from PNG bytes to 3,072 interleaved RGB bytes.
 * Returns null when the bytes are not a 32x32 image either decoder can read.
 */
export async function decodeCifarPng(bytes: Uint8Array): Promise<Uint8Array | null> {
  let image: DecodedImage | null = null;
  try {
    image = decodePng(bytes);
  } catch (error) {
    if (!(error instanceof PngFormatError && error.unsupported)) return null;
    try {
      image = await decodeWithBrowser(bytes);
    } catch {
      return null;
    }
  }
  if (!image || image.width !== IMAGE_SIZE || image.height !== IMAGE_SIZE) return null;
  return image.rgb.length === PIXEL_BYTES ? image.rgb : null;
}
