// Stride-1 convolutions computed directly by kernels.wat (conv_positions and
// filter_grad_3x3) with fused multiply-adds, instead of by XNNPACK.
//
// TF.js 4.22's wasm binary predates relaxed SIMD, so its XNNPACK kernels
// multiply and add separately. On one thread they ran DenseNet's
// convolutions at about 23 GFLOP/s. f32x4.relaxed_madd, which Chromium
// lowers to one fused multiply-add where the processor has one, doubles the
// arithmetic per instruction: the direct kernels ran the same shapes at 45
// to 52 GFLOP/s (bench figures in docs/benchmarks.md). Where relaxed SIMD is
// missing, or its multiply-add is not fused (V8 on x86 without FMA3),
// 'auto' keeps XNNPACK, which is then as fast or faster.
//
// The layout both directions share is a grid of positions (Grid below):
// the images stacked into one tall picture whose zero rows and columns pad
// every image, so that each filter tap is a fixed offset along the grid.

import {
  backend_util,
  Conv2D,
  type Conv2DAttrs,
  type Conv2DInputs,
  FusedConv2D,
  type FusedConv2DAttrs,
  type FusedConv2DInputs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { backendMemory, memoryOffsetOf, type WasmBackendInternals } from './backend-internals';
import { kernelPoolFor, type PoolKernel } from './kernel-pool';
import { type BoundKernels, kernelsFor, wasmKernelConfig } from './module';

/** The kernels that run stride-1 convolutions and their filter gradients (tests force each one). */
export type ConvolutionRoute = 'auto' | 'direct' | 'xnnpack';

let route: ConvolutionRoute = 'auto';

/**
 * 'direct' runs kernels.wat's direct kernels whatever the multiply-add;
 * 'xnnpack' the backend's convolution and matrix multiply; 'auto' the direct
 * kernels when their multiply-adds are fused (relaxed SIMD on a processor with FMA).
 */
export function setConvolutionRoute(next: ConvolutionRoute): void {
  route = next;
}

/** Tells whether stride-1 convolutions on `kernels` go through the direct kernels. */
export function takesDirectRoute(kernels: BoundKernels): boolean {
  return route === 'direct' || (route === 'auto' && kernels.fusedMultiplyAdd);
}

/** The shape of a stride-1 convolution, without dilation. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  pad: { top: number; bottom: number; left: number; right: number };
}

/**
 * The layout of a stride-1 convolution's positions. Images are stacked into
 * one tall grid whose rows are `pitchWidth` positions and whose images are
 * `pitchHeight` rows apart. The data of image n starts at grid row
 * n · pitchHeight + gapRows, column gapCols.
 *
 * The zero rows between images pad the bottom of one image and the top of
 * the next, and a row's right padding is the next row's left padding. So
 * the grid carries max(top, bottom) zero rows per image, not top + bottom.
 *
 * Output pixel (n, y, x) sits at position q = (n · pitchHeight + y) ·
 * pitchWidth + x, and tap (ky, kx) reads the input at q + base + ky ·
 * pitchWidth + kx. Reads for valid outputs that leave an image land on zeros.
 */
export interface Grid {
  gapRows: number;
  gapCols: number;
  pitchHeight: number;
  pitchWidth: number;
  /** batch · pitchHeight · pitchWidth. */
  positions: number;
  /** Offset of tap (0, 0) from an output pixel's position. */
  base: number;
  /** Offset of the last tap: base + (kh - 1) · pitchWidth + kw - 1. */
  maxShift: number;
}

export function gridOf(g: ConvGeometry): Grid {
  const gapRows = Math.max(g.pad.top, g.pad.bottom);
  const gapCols = Math.max(g.pad.left, g.pad.right);
  const pitchHeight = Math.max(g.inHeight + gapRows, g.outHeight);
  const pitchWidth = Math.max(g.inWidth + gapCols, g.outWidth);
  const base = (gapRows - g.pad.top) * pitchWidth + (gapCols - g.pad.left);
  return {
    gapRows,
    gapCols,
    pitchHeight,
    pitchWidth,
    positions: g.batch * pitchHeight * pitchWidth,
    base,
    maxShift: base + (g.filterHeight - 1) * pitchWidth + g.filterWidth - 1,
  };
}

/** Returns the geometry of a stride-1, undilated convolution from TF.js's Conv2DInfo. */
export function geometryOf(convInfo: backend_util.Conv2DInfo): ConvGeometry {
  const { padInfo } = convInfo;
  return {
    batch: convInfo.batchSize,
    inHeight: convInfo.inHeight,
    inWidth: convInfo.inWidth,
    outHeight: convInfo.outHeight,
    outWidth: convInfo.outWidth,
    filterHeight: convInfo.filterHeight,
    filterWidth: convInfo.filterWidth,
    pad: { top: padInfo.top, bottom: padInfo.bottom, left: padInfo.left, right: padInfo.right },
  };
}

function int32OffsetOf(backend: WasmBackendInternals, tensor: TensorInfo): number {
  const data = backend.dataIdMap.get(tensor.dataId);
  if (data === undefined || data.dtype !== 'int32') {
    throw new Error('wasm training kernels: expected an int32 tensor on the wasm backend');
  }
  return data.memoryOffset;
}

/**
 * Splits [0, total) into `parts` consecutive ranges of about equal length
 * whose bounds are multiples of `multiple` (but for the last), dropping
 * empty ones.
 */
export function splitRange(total: number, parts: number, multiple: number): [number, number][] {
  const ranges: [number, number][] = [];
  let first = 0;
  for (let part = 1; part <= parts && first < total; part++) {
    const last =
      part === parts
        ? total
        : Math.min(total, Math.round((total * part) / parts / multiple) * multiple);
    if (last > first) ranges.push([first, last]);
    first = Math.max(first, last);
  }
  return ranges;
}

/** Counts the threads that can run a direct kernel's parts now: this one and the ready helpers. */
export function partsFor(backend: WasmBackendInternals, kernels: BoundKernels): number {
  const pool = kernelPoolFor(backend, kernels.fusedMultiplyAdd);
  return 1 + (pool === null ? 0 : pool.readyHelpers());
}

/** Runs one kernel per part, part 0 on this thread and the others on the pool's helpers. */
export function runParts(
  backend: WasmBackendInternals,
  kernels: BoundKernels,
  kernel: PoolKernel,
  parts: number[][],
): void {
  const pool = kernelPoolFor(backend, kernels.fusedMultiplyAdd);
  if (parts.length > 1 && pool !== null) {
    pool.run(kernel, kernels, parts);
    return;
  }
  for (const args of parts) (kernels[kernel] as (...values: number[]) => void)(...args);
}

/** Output channels per conv_positions call. */
const OUTPUTS_PER_CALL = 12;
/**
 * Positions per call. The input rows that one call reads, with the 3x3
 * halo, then fit a 512 KB L2 cache while every tile of twelve outputs passes
 * over them (an estimate: about 370 KB for DenseNet L=40 k=12's widest
 * layer). Of 96, 192 and 600, 192 ran fastest in a one-thread measurement.
 */
const POSITIONS_PER_CALL = 192;

/**
 * out = x convolved with weights, stride 1, for x NHWC with `inChannels`
 * channels and out NHWC with `outChannels`. The weights lie on the heap at
 * `weightsOffset` as [taps][inChannels][weightStride] floats, with
 * weightStride a multiple of twelve, at least outChannels, and zeros in
 * the columns past outChannels.
 */
function directConvolution(
  backend: WasmBackendInternals,
  x: TensorInfo,
  inChannels: number,
  weightsOffset: number,
  weightStride: number,
  outChannels: number,
  g: ConvGeometry,
): TensorInfo {
  const kernels = kernelsFor(backend);
  const grid = gridOf(g);
  const taps = g.filterHeight * g.filterWidth;
  const positions = Math.ceil(grid.positions / 3) * 3;

  // x on the grid, zero between images, with room for the last shifted reads.
  const gridFloats = (positions + grid.maxShift + 1) * inChannels;
  const xGrid = backend.makeOutput([gridFloats], 'float32');
  const shifts = backend.makeOutput([taps], 'int32');
  const outGrid = backend.makeOutput([positions * weightStride], 'float32');
  try {
    const xGridOffset = memoryOffsetOf(backend, xGrid);
    kernels.zero(xGridOffset, gridFloats);
    const imageFloats = g.inHeight * g.inWidth * inChannels;
    const xOffset = memoryOffsetOf(backend, x);
    for (let n = 0; n < g.batch; n++) {
      kernels.copy_rows(
        xOffset + n * imageFloats * 4,
        xGridOffset +
          ((n * grid.pitchHeight + grid.gapRows) * grid.pitchWidth + grid.gapCols) * inChannels * 4,
        g.inHeight,
        g.inWidth * inChannels,
        g.inWidth * inChannels,
        grid.pitchWidth * inChannels,
      );
    }
    const shiftsOffset = int32OffsetOf(backend, shifts);
    const shiftTable = new Int32Array(backendMemory(backend).buffer, shiftsOffset, taps);
    for (let ky = 0; ky < g.filterHeight; ky++) {
      for (let kx = 0; kx < g.filterWidth; kx++) {
        shiftTable[ky * g.filterWidth + kx] = grid.base + ky * grid.pitchWidth + kx;
      }
    }

    const outGridOffset = memoryOffsetOf(backend, outGrid);
    const ranges = splitRange(positions, partsFor(backend, kernels), 3);
    const parts = ranges.map(([first, last]) => [
      xGridOffset,
      weightsOffset,
      outGridOffset,
      first,
      last,
      POSITIONS_PER_CALL,
      inChannels,
      weightStride,
      shiftsOffset,
      taps,
    ]);
    runParts(backend, kernels, 'conv_span', parts);

    // The valid outputs, from their grid positions to NHWC.
    const out = backend.makeOutput([g.batch, g.outHeight, g.outWidth, outChannels], 'float32');
    const outOffset = memoryOffsetOf(backend, out);
    const rowFloats = g.outWidth * outChannels;
    for (let n = 0; n < g.batch; n++) {
      for (let y = 0; y < g.outHeight; y++) {
        kernels.copy_rows(
          outGridOffset + (n * grid.pitchHeight + y) * grid.pitchWidth * weightStride * 4,
          outOffset + (n * g.outHeight + y) * rowFloats * 4,
          g.outWidth,
          outChannels,
          weightStride,
          outChannels,
        );
      }
    }
    return out;
  } finally {
    backend.disposeData(xGrid.dataId);
    backend.disposeData(shifts.dataId);
    backend.disposeData(outGrid.dataId);
  }
}

/**
 * Convolves x with filter [kh, kw, inChannels, outChannels], stride 1,
 * through the direct kernel. When outChannels is not a multiple of twelve,
 * the filter is first copied to a stride that is.
 */
export function convolveDirect(
  backend: WasmBackendInternals,
  x: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const [filterHeight, filterWidth, inChannels, outChannels] = filter.shape as [
    number,
    number,
    number,
    number,
  ];
  const kernels = kernelsFor(backend);
  const weightStride = Math.ceil(outChannels / OUTPUTS_PER_CALL) * OUTPUTS_PER_CALL;
  if (weightStride === outChannels) {
    return directConvolution(
      backend,
      x,
      inChannels,
      memoryOffsetOf(backend, filter),
      weightStride,
      outChannels,
      g,
    );
  }
  const rows = filterHeight * filterWidth * inChannels;
  const padded = backend.makeOutput([rows * weightStride], 'float32');
  try {
    const paddedOffset = memoryOffsetOf(backend, padded);
    kernels.zero(paddedOffset, rows * weightStride);
    kernels.copy_rows(
      memoryOffsetOf(backend, filter),
      paddedOffset,
      rows,
      outChannels,
      outChannels,
      weightStride,
    );
    return directConvolution(backend, x, inChannels, paddedOffset, weightStride, outChannels, g);
  } finally {
    backend.disposeData(padded.dataId);
  }
}

/** Returns the geometry of a stride-1, undilated NHWC Conv2D, or null when the direct kernel does not apply. */
function directGeometry(
  x: TensorInfo,
  filter: TensorInfo,
  attrs: Conv2DAttrs,
): ConvGeometry | null {
  const convInfo = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  const plain =
    convInfo.dataFormat === 'channelsLast' &&
    convInfo.strideHeight === 1 &&
    convInfo.strideWidth === 1 &&
    convInfo.dilationHeight === 1 &&
    convInfo.dilationWidth === 1 &&
    x.dtype === 'float32' &&
    filter.dtype === 'float32';
  return plain ? geometryOf(convInfo) : null;
}

/**
 * Builds the config of a forward convolution kernel for `wasm`: the direct
 * kernel where takesDirectRoute allows it and `direct(inputs, attrs)` holds,
 * `original` otherwise.
 */
function forwardConvConfig<Inputs extends Conv2DInputs, Attrs extends Conv2DAttrs>(
  kernelName: string,
  original: KernelConfig,
  direct: (inputs: Inputs, attrs: Attrs) => boolean,
): KernelConfig {
  function convolve(args: {
    inputs: Inputs;
    backend: WasmBackendInternals;
    attrs: Attrs;
  }): TensorInfo {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    const geometry =
      takesDirectRoute(kernelsFor(backend)) && direct(inputs, attrs)
        ? directGeometry(x, filter, attrs)
        : null;
    if (geometry === null) return original.kernelFunc(args as never) as TensorInfo;
    return convolveDirect(backend, x, filter, geometry);
  }
  return wasmKernelConfig(kernelName, convolve, original);
}

/** Builds Conv2D for `wasm` (see forwardConvConfig). */
export function conv2DConfig(original: KernelConfig): KernelConfig {
  return forwardConvConfig<Conv2DInputs, Conv2DAttrs>(Conv2D, original, () => true);
}

/**
 * Builds FusedConv2D for `wasm`: the direct kernel only when nothing is fused
 * (no bias, linear activation), as in DenseNet's convolutions.
 */
export function fusedConv2DConfig(original: KernelConfig): KernelConfig {
  return forwardConvConfig<FusedConv2DInputs, FusedConv2DAttrs>(
    FusedConv2D,
    original,
    (inputs, attrs) =>
      inputs.bias == null &&
      inputs.preluActivationWeights == null &&
      (attrs.activation === undefined || attrs.activation === 'linear'),
  );
}
