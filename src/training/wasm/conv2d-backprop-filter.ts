// Conv2DBackpropFilter for the `wasm` backend, which TF.js 4.22 does not ship
// (so without it no convolution can be trained there).
//
// dW[ky, kx, c, o] = sum over (n, y, x) of x[n, y*s - pad + ky, x*s - pad + kx, c] * dy[n, y, x, o]
//
// Flattening the filter taps gives dW = cols^T · dy, where cols is the im2col
// matrix of x (one row per output pixel, kh·kw·C columns). The backend's
// BatchMatMul (XNNPACK) is several times slower when asked to transpose an
// operand, and slow when the large operand is B (it repacks B on every call),
// so kernels.wat writes cols^T directly ("transposed im2col", one SIMD
// transpose per tap and image row) and BatchMatMul multiplies cols^T (A) by
// dy (B, small), whose product is dW in its [kh, kw, C, O] layout.
//
// When cols^T would exceed the chunk bound (MAX_COLS_FLOATS by default), the taps are split into chunks;
// each chunk's product is a contiguous block of rows of dW.

import {
  type BatchMatMulAttrs,
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { memoryOffsetOf, type WasmBackendInternals } from './backend-internals';
import { kernelsFor } from './module';

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

  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    padInfo,
  } = convInfo;
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

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  setupFunc: (backend) => {
    kernelsFor(backend as WasmBackendInternals);
  },
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
