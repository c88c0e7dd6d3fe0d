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
  backendMemory,
  makeView,
  memoryOffsetOf,
  releaseView,
  type WasmBackendInternals,
} from './backend-internals';
import {
  type Grid,
  geometryOf,
  gridOf,
  partsFor,
  runParts,
  splitRange,
  takesDirectRoute,
} from './direct-conv';
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

/**
 * Rows 2^k floats apart map to the same cache sets and made the transpose
 * about twice as slow; 16 zero floats more per row break that.
 */
function rowStrideFor(floats: number): number {
  return floats % 1024 === 0 ? floats + 16 : floats;
}

function stride1Gradient(
  backend: WasmBackendInternals,
  x: TensorInfo,
  dy: TensorInfo,
  convInfo: backend_util.Conv2DInfo,
  filterShape: [number, number, number, number],
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, filterHeight, filterWidth } = convInfo;
  const kernels = kernelsFor(backend);
  const grid = gridOf(geometryOf(convInfo));
  const direct = filterHeight === 3 && filterWidth === 3 && takesDirectRoute(kernels);
  // The direct kernel reads four positions at a time.
  const positions = direct ? Math.ceil(grid.positions / 4) * 4 : grid.positions;
  const rowStride = rowStrideFor(positions);

  // x_t: x transposed to channel-major rows on the grid, zero elsewhere. The
  // tail lets the last row's shifted reads (and the direct kernel's
  // four-wide loads) stay inside the buffer.
  const xTFloats = inChannels * rowStride + grid.maxShift + 16;
  const xT = backend.makeOutput([xTFloats], 'float32');
  const xTOffset = memoryOffsetOf(backend, xT);
  kernels.zero(xTOffset, xTFloats);
  kernels.pad_transpose(
    memoryOffsetOf(backend, x),
    xTOffset,
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    grid.pitchHeight,
    grid.pitchWidth,
    grid.gapRows,
    grid.gapCols,
    rowStride,
  );
  try {
    return direct
      ? directGradient(backend, xTOffset, rowStride, dy, convInfo, grid, positions, filterShape)
      : matMulGradient(backend, xTOffset, rowStride, dy, convInfo, grid, filterShape);
  } finally {
    backend.disposeData(xT.dataId);
  }
}

/**
 * Computes the gradient with one BatchMatMul per tap: x_t's rows shifted by
 * the tap's offset, as a [C, positions] view, times dy placed on the grid as
 * [positions, O].
 * Positions where a shift wraps into the next row or image meet zeros of dy.
 */
function matMulGradient(
  backend: WasmBackendInternals,
  xTOffset: number,
  rowStride: number,
  dy: TensorInfo,
  convInfo: backend_util.Conv2DInfo,
  grid: Grid,
  filterShape: [number, number, number, number],
): TensorInfo {
  const { batchSize, inChannels, outHeight, outWidth, outChannels } = convInfo;
  const { filterHeight, filterWidth } = convInfo;
  const kernels = kernelsFor(backend);
  const onGrid =
    grid.pitchHeight === outHeight && grid.pitchWidth === outWidth && rowStride === grid.positions;
  let dyOnGrid: TensorInfo;
  if (onGrid) {
    // dy already lies on the grid: BatchMatMul takes its own reference to this reshape and drops it.
    dyOnGrid = { dataId: dy.dataId, shape: [1, rowStride, outChannels], dtype: 'float32' };
  } else {
    dyOnGrid = backend.makeOutput([1, rowStride, outChannels], 'float32');
    const target = memoryOffsetOf(backend, dyOnGrid);
    const source = memoryOffsetOf(backend, dy);
    kernels.zero(target, rowStride * outChannels);
    const imageFloats = outHeight * outWidth * outChannels;
    for (let n = 0; n < batchSize; n++) {
      kernels.copy_rows(
        source + n * imageFloats * 4,
        target + n * grid.pitchHeight * grid.pitchWidth * outChannels * 4,
        outHeight,
        outWidth * outChannels,
        outWidth * outChannels,
        grid.pitchWidth * outChannels,
      );
    }
  }

  const out = backend.makeOutput(filterShape, 'float32');
  const tapFloats = inChannels * outChannels;
  try {
    for (let ky = 0; ky < filterHeight; ky++) {
      for (let kx = 0; kx < filterWidth; kx++) {
        const shift = grid.base + ky * grid.pitchWidth + kx;
        const view = makeView(backend, xTOffset + shift * 4, [1, inChannels, rowStride]);
        let product: TensorInfo;
        try {
          product = batchMatMul(backend, view, dyOnGrid);
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
    if (!onGrid) backend.disposeData(dyOnGrid.dataId);
  }
  return out;
}

/**
 * 3x3 filters through kernels.wat's filter_grad_3x3: dy is transposed onto
 * the grid too (dy_t, one row per output channel, rounded up to a multiple
 * of three rows of zeros), and each tap's sum over positions runs four
 * positions per SIMD lane. The lanes are added up here.
 */
function directGradient(
  backend: WasmBackendInternals,
  xTOffset: number,
  rowStride: number,
  dy: TensorInfo,
  convInfo: backend_util.Conv2DInfo,
  grid: Grid,
  positions: number,
  filterShape: [number, number, number, number],
): TensorInfo {
  const { batchSize, inChannels, outHeight, outWidth, outChannels } = convInfo;
  const kernels = kernelsFor(backend);
  const groupsOfThree = Math.ceil(outChannels / 3);
  const dyStride = rowStrideFor(positions);
  const dyTFloats = groupsOfThree * 3 * dyStride;
  const dyT = backend.makeOutput([dyTFloats], 'float32');
  const accFloats = inChannels * 3 * groupsOfThree * 9 * 4;
  const acc = backend.makeOutput([accFloats], 'float32');
  try {
    const dyTOffset = memoryOffsetOf(backend, dyT);
    const accOffset = memoryOffsetOf(backend, acc);
    kernels.zero(dyTOffset, dyTFloats);
    kernels.pad_transpose(
      memoryOffsetOf(backend, dy),
      dyTOffset,
      batchSize,
      outHeight,
      outWidth,
      outChannels,
      grid.pitchHeight,
      grid.pitchWidth,
      0,
      0,
      dyStride,
    );
    kernels.zero(accOffset, accFloats);
    // Each thread takes a range of input channels, with their rows of x_t and acc.
    const accBytesPerChannel = 3 * groupsOfThree * 9 * 16;
    const parts = splitRange(inChannels, partsFor(backend, kernels), 1).map(([first, last]) => [
      xTOffset + grid.base * 4 + first * rowStride * 4,
      dyTOffset,
      accOffset + first * accBytesPerChannel,
      last - first,
      groupsOfThree,
      positions / 4,
      rowStride * 4,
      dyStride * 4,
      grid.pitchWidth * 4,
    ]);
    runParts(backend, kernels, 'filter_grad_3x3', parts);

    const out = backend.makeOutput(filterShape, 'float32');
    // Read the heap only now: an allocation above may have grown it.
    const heap = new Float32Array(backendMemory(backend).buffer);
    const sums = heap.subarray(accOffset / 4, accOffset / 4 + accFloats);
    const dw = heap.subarray(
      memoryOffsetOf(backend, out) / 4,
      memoryOffsetOf(backend, out) / 4 + 9 * inChannels * outChannels,
    );
    let a = 0;
    for (let c = 0; c < inChannels; c++) {
      for (let ky = 0; ky < 3; ky++) {
        for (let group = 0; group < groupsOfThree; group++) {
          for (let kx = 0; kx < 3; kx++) {
            const row = ((ky * 3 + kx) * inChannels + c) * outChannels;
            for (let j = 0; j < 3; j++, a += 4) {
              const o = group * 3 + j;
              if (o < outChannels) {
                dw[row + o] =
                  (sums[a] as number) +
                  (sums[a + 1] as number) +
                  (sums[a + 2] as number) +
                  (sums[a + 3] as number);
              }
            }
          }
        }
      }
    }
    return out;
  } finally {
    backend.disposeData(dyT.dataId);
    backend.disposeData(acc.dataId);
  }
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
