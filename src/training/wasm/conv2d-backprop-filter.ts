// Conv2DBackpropFilter for the `wasm` backend, which TF.js 4.22 does not ship
// (so without it no convolution can be trained there).
//
// dW[ky, kx, c, o] = sum over (n, y, x) of x[n, y*s - pad + ky, x*s - pad + kx, c] * dy[n, y, x, o]
//
// Flattening the filter taps gives dW = cols^T · dy, where cols is the im2col
// matrix of x (one row per output pixel, kh·kw·C columns). The backend's
// BatchMatMul (XNNPACK) is several times slower when asked to transpose an
// operand, and slow when the large operand is B (it repacks B on every
// call), so the large operand is always A = (part of) cols^T and B = dy.
//
// Stride 1 (every DenseNet convolution but an ImageNet-layout stem): x is
// transposed once into a zero-padded, channel-major buffer x_t [C, Q] with
// Q = N·Hp·Wp positions of the padded grid, and dy is placed on the same
// grid (zero outside the output). Then tap (ky, kx) of dW is
// x_t shifted by ky·Wp + kx positions, times dy: one BatchMatMul on a view
// into x_t per tap, with no im2col buffer at all. Positions where the shift
// wraps into the next row or image meet zeros of the padded dy.
//
// Other strides: kernels.wat writes cols^T directly ("transposed im2col"),
// split into chunks of taps when it would exceed the chunk bound
// (MAX_COLS_FLOATS by default); each chunk's product is a block of rows of dW.

import {
  type BatchMatMulAttrs,
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  getKernel,
  type KernelConfig,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import {
  makeView,
  memoryOffsetOf,
  releaseView,
  type WasmBackendInternals,
} from './backend-internals';
import { kernelsFor, wasmKernelConfig } from './module';

/** Default upper bound on the im2col buffer of one chunk: 8 Mi floats (32 MiB). */
export const MAX_COLS_FLOATS = 8 * 1024 * 1024;

let maxColsFloats = MAX_COLS_FLOATS;

/** Sets the chunk bound (in floats); tests lower it to exercise chunking on small inputs. */
export function setMaxColsFloats(floats: number): void {
  if (!Number.isInteger(floats) || floats < 1) {
    throw new RangeError(`maxColsFloats must be a positive integer, got ${floats}`);
  }
  maxColsFloats = floats;
}

function batchMatMul(backend: WasmBackendInternals, a: TensorInfo, b: TensorInfo): TensorInfo {
  const kernel = getKernel('BatchMatMul', 'wasm');
  if (kernel === undefined) throw new Error('wasm training kernels: BatchMatMul is not registered');
  const attrs: BatchMatMulAttrs = { transposeA: false, transposeB: false };
  return kernel.kernelFunc({
    inputs: { a, b },
    backend,
    attrs: attrs as unknown as NamedAttrMap,
  }) as TensorInfo;
}

function conv2DBackpropFilter(args: {
  inputs: Conv2DBackpropFilterInputs;
  backend: WasmBackendInternals;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;

  const convInfo = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (convInfo.dataFormat !== 'channelsLast') {
    // The backend's own forward Conv2D rejects NCHW too.
    throw new Error(
      `wasm backend Conv2DBackpropFilter does not support dataFormat '${dataFormat}'; use 'NHWC'.`,
    );
  }

  if (convInfo.strideHeight === 1 && convInfo.strideWidth === 1) {
    return stride1Gradient(backend, x, dy, convInfo, filterShape);
  }
  return im2colGradient(backend, x, dy, convInfo, filterShape);
}

function stride1Gradient(
  backend: WasmBackendInternals,
  x: TensorInfo,
  dy: TensorInfo,
  convInfo: backend_util.Conv2DInfo,
  filterShape: [number, number, number, number],
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = convInfo;
  const { filterHeight, filterWidth, padInfo } = convInfo;
  const kernels = kernelsFor(backend);
  const paddedHeight = outHeight + filterHeight - 1;
  const paddedWidth = outWidth + filterWidth - 1;
  const positions = batchSize * paddedHeight * paddedWidth;
  // Rows of x_t 2^k floats apart map to the same cache sets and made the
  // transpose about twice as slow; 16 zero columns (and 16 zero rows of the
  // padded dy) break that without changing the product.
  const rowStride = positions % 1024 === 0 ? positions + 16 : positions;
  const maxShift = (filterHeight - 1) * paddedWidth + (filterWidth - 1);

  const xT = backend.makeOutput([inChannels * rowStride + maxShift], 'float32');
  const xTOffset = memoryOffsetOf(backend, xT);
  kernels.zero(xTOffset, inChannels * rowStride + maxShift);
  kernels.pad_transpose(
    memoryOffsetOf(backend, x),
    xTOffset,
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    paddedHeight,
    paddedWidth,
    padInfo.top,
    padInfo.left,
    rowStride,
  );

  const onGrid = paddedHeight === outHeight && paddedWidth === outWidth && rowStride === positions;
  let dyPadded: TensorInfo;
  if (onGrid) {
    // dy already lies on the grid: BatchMatMul takes its own reference to this reshape and drops it.
    dyPadded = { dataId: dy.dataId, shape: [1, positions, outChannels], dtype: 'float32' };
  } else {
    dyPadded = backend.makeOutput([1, rowStride, outChannels], 'float32');
    const target = memoryOffsetOf(backend, dyPadded);
    const source = memoryOffsetOf(backend, dy);
    kernels.zero(target, rowStride * outChannels);
    const imageFloats = outHeight * outWidth * outChannels;
    for (let n = 0; n < batchSize; n++) {
      kernels.copy_rows(
        source + n * imageFloats * 4,
        target + n * paddedHeight * paddedWidth * outChannels * 4,
        outHeight,
        outWidth * outChannels,
        outWidth * outChannels,
        paddedWidth * outChannels,
      );
    }
  }

  const out = backend.makeOutput(filterShape, 'float32');
  const tapFloats = inChannels * outChannels;
  try {
    for (let ky = 0; ky < filterHeight; ky++) {
      for (let kx = 0; kx < filterWidth; kx++) {
        const shift = ky * paddedWidth + kx;
        const view = makeView(backend, xTOffset + shift * 4, [1, inChannels, rowStride]);
        let product: TensorInfo;
        try {
          product = batchMatMul(backend, view, dyPadded);
        } finally {
          releaseView(backend, view);
        }
        kernels.copy(
          memoryOffsetOf(backend, out) + (ky * filterWidth + kx) * tapFloats * 4,
          memoryOffsetOf(backend, product),
          tapFloats,
        );
        backend.disposeData(product.dataId);
      }
    }
  } finally {
    backend.disposeData(xT.dataId);
    if (!onGrid) backend.disposeData(dyPadded.dataId);
  }
  return out;
}

function im2colGradient(
  backend: WasmBackendInternals,
  x: TensorInfo,
  dy: TensorInfo,
  convInfo: backend_util.Conv2DInfo,
  filterShape: [number, number, number, number],
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = convInfo;
  const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = convInfo;
  const kernels = kernelsFor(backend);
  const taps = filterHeight * filterWidth;
  const pixels = batchSize * outHeight * outWidth;
  const tapsPerChunk = Math.max(
    1,
    Math.min(taps, Math.floor(maxColsFloats / (inChannels * pixels))),
  );
  // dy viewed as a [1, pixels, O] matrix: BatchMatMul takes its own reference and drops it.
  const dyMatrix: TensorInfo = {
    dataId: dy.dataId,
    shape: [1, pixels, outChannels],
    dtype: 'float32',
  };

  const productOfTaps = (tapFirst: number, tapCount: number): TensorInfo => {
    const colsT = backend.makeOutput([1, tapCount * inChannels, pixels], 'float32');
    kernels.im2col_t(
      memoryOffsetOf(backend, x),
      memoryOffsetOf(backend, colsT),
      batchSize,
      inHeight,
      inWidth,
      inChannels,
      outHeight,
      outWidth,
      filterWidth,
      strideHeight,
      strideWidth,
      padInfo.top,
      padInfo.left,
      tapFirst,
      tapCount,
    );
    const product = batchMatMul(backend, colsT, dyMatrix);
    backend.disposeData(colsT.dataId);
    return product;
  };

  if (tapsPerChunk >= taps) {
    // The product's data is dW already; only the shape differs.
    const product = productOfTaps(0, taps);
    return { dataId: product.dataId, shape: filterShape, dtype: 'float32' };
  }

  const out = backend.makeOutput(filterShape, 'float32');
  const rowFloats = inChannels * outChannels;
  for (let tapFirst = 0; tapFirst < taps; tapFirst += tapsPerChunk) {
    const tapCount = Math.min(tapsPerChunk, taps - tapFirst);
    const product = productOfTaps(tapFirst, tapCount);
    kernels.copy(
      memoryOffsetOf(backend, out) + tapFirst * rowFloats * 4,
      memoryOffsetOf(backend, product),
      tapCount * rowFloats,
    );
    backend.disposeData(product.dataId);
  }
  return out;
}

export const conv2DBackpropFilterConfig: KernelConfig = wasmKernelConfig(
  Conv2DBackpropFilter,
  conv2DBackpropFilter,
);
