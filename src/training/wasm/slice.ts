// Slice and SplitV for the `wasm` backend. TF.js 4.22's Slice runs in
// JavaScript: it copies the whole input out of the heap (readSync) and then
// copies each innermost row with its own TypedArray.set call. SplitV, the
// gradient of every dense layer's concatenation, calls that Slice once per
// part, so a DenseNet step spent more time splitting gradients than in any
// kernel but the convolutions.
//
// Here a slice is one strided 2-D copy in kernels.wat per index of its
// outer axes. The innermost sliced axis and the full axes inside it form a
// row. The axes outside it that one stride can step over form the rows. Slicing one axis of an NHWC tensor (SplitV along
// channels, a crop) is one or a few calls.

import {
  backend_util,
  type KernelConfig,
  Slice,
  type SliceAttrs,
  type SliceInputs,
  SplitV,
  type SplitVAttrs,
  type SplitVInputs,
  slice_util,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from './backend-internals';
import { type KernelExports, kernelsFor, wasmKernelConfig } from './module';

/** A slice as rows: outer index loops in JS, then `rows` rows of rowLength values per call. */
export interface SlicePlan {
  /** Sizes of the axes looped over in JavaScript (outermost first). */
  outerSizes: number[];
  /** Input strides (in values) of those axes. */
  outerStrides: number[];
  rows: number;
  rowLength: number;
  /** Input stride between rows, in values. */
  rowStride: number;
  /** Offset of the first value read, in values. */
  startOffset: number;
}

/** Plans how to copy the box [begin, begin + size) out of a row-major tensor of `shape`. */
export function planSlice(shape: number[], begin: number[], size: number[]): SlicePlan {
  const rank = shape.length;
  const strides = [...util.computeStrides(shape), 1];
  let startOffset = 0;
  for (let axis = 0; axis < rank; axis++) startOffset += begin[axis]! * strides[axis]!;
  const full = (axis: number) => size[axis] === shape[axis];

  // Innermost axis that is not taken whole; axes inside it are contiguous.
  let rowAxis = rank - 1;
  while (rowAxis > 0 && full(rowAxis)) rowAxis--;
  const rowLength = size[rowAxis]! * strides[rowAxis]!;

  // Axes just outside the row, merged while the axis inside them is whole.
  let rows = 1;
  let rowStride = rowLength;
  let outer = rowAxis;
  if (rowAxis > 0) {
    outer = rowAxis - 1;
    rows = size[outer]!;
    rowStride = strides[outer]!;
    while (outer > 0 && full(outer)) {
      outer--;
      rows *= size[outer]!;
    }
  }
  return {
    outerSizes: size.slice(0, outer),
    outerStrides: strides.slice(0, outer),
    rows,
    rowLength,
    rowStride,
    startOffset,
  };
}

function copySlice(kernels: KernelExports, source: number, target: number, plan: SlicePlan): void {
  const { outerSizes, outerStrides, rows, rowLength, rowStride } = plan;
  const index = outerSizes.map(() => 0);
  let written = 0;
  const blockValues = rows * rowLength;
  for (;;) {
    let offset = plan.startOffset;
    for (let axis = 0; axis < index.length; axis++) offset += index[axis]! * outerStrides[axis]!;
    kernels.copy_rows(
      source + offset * 4,
      target + written * 4,
      rows,
      rowLength,
      rowStride,
      rowLength,
    );
    written += blockValues;
    // Odometer over the outer axes, innermost fastest.
    let axis = index.length - 1;
    while (axis >= 0) {
      index[axis]! += 1;
      if (index[axis]! < outerSizes[axis]!) break;
      index[axis] = 0;
      axis--;
    }
    if (axis < 0) return;
  }
}

function sliceInto(
  backend: WasmBackendInternals,
  x: TensorInfo,
  begin: number[],
  size: number[],
): TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  if (util.sizeFromShape(size) === 0) return out;
  copySlice(
    kernelsFor(backend),
    backend.dataIdMap.get(x.dataId)!.memoryOffset,
    backend.dataIdMap.get(out.dataId)!.memoryOffset,
    planSlice(x.shape, begin, size),
  );
  return out;
}

/** float32 and int32 are 4 bytes; bool (1 byte) and string stay with the original kernels. */
function fourByte(x: TensorInfo): boolean {
  return x.dtype === 'float32' || x.dtype === 'int32';
}

export function sliceConfig(original: KernelConfig): KernelConfig {
  function slice(args: { inputs: SliceInputs; backend: WasmBackendInternals; attrs: SliceAttrs }) {
    const x = args.inputs.x as TensorInfo;
    if (!fourByte(x) || x.shape.length === 0) return original.kernelFunc(args as never);
    const [begin, size] = slice_util.parseSliceParams(x, args.attrs.begin, args.attrs.size);
    return sliceInto(args.backend, x, begin!, size!);
  }
  return wasmKernelConfig(Slice, slice, original);
}

export function splitVConfig(original: KernelConfig): KernelConfig {
  function splitV(args: {
    inputs: SplitVInputs;
    backend: WasmBackendInternals;
    attrs: SplitVAttrs;
  }) {
    const x = args.inputs.x as TensorInfo;
    if (!fourByte(x)) return original.kernelFunc(args as never);
    const axis = util.parseAxisParam(args.attrs.axis, x.shape)[0]!;
    const splitSizes = backend_util.prepareSplitSize(x, args.attrs.numOrSizeSplits, axis);
    const begin = x.shape.map(() => 0);
    return splitSizes.map((splitSize) => {
      const size = [...x.shape];
      size[axis] = splitSize;
      const part = sliceInto(args.backend, x, [...begin], size);
      begin[axis]! += splitSize;
      return part;
    });
  }
  return wasmKernelConfig(SplitV, splitV, original);
}
