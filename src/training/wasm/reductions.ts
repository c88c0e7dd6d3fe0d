// Sum and Mean for the `wasm` backend when the reduced axes are the leading
// ones, as in batch-norm statistics and their gradients (axes [0, 1, 2] of
// an NHWC activation). TF.js 4.22's kernels first transpose the input so
// that the reduced axes come last, a full extra pass through a generic
// transpose; here the input is read once as a rows x cols matrix and summed
// column-wise with SIMD. Other axis sets go to the original kernels.

import {
  type KernelConfig,
  Mean,
  type MeanAttrs,
  type MeanInputs,
  Sum,
  type SumAttrs,
  type SumInputs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from './backend-internals';
import { kernelsFor, wasmKernelConfig } from './module';

type Args = {
  inputs: SumInputs | MeanInputs;
  backend: WasmBackendInternals;
  attrs: SumAttrs | MeanAttrs;
};

/** Returns how many leading axes `axis` reduces, or null unless it is exactly axes [0, k) with k >= 1. */
export function leadingAxesCount(axis: number | number[], shape: number[]): number | null {
  const axes = [...new Set(util.parseAxisParam(axis, shape))].sort((a, b) => a - b);
  if (axes.length === 0) return null;
  for (let i = 0; i < axes.length; i++) {
    if (axes[i] !== i) return null;
  }
  return axes.length;
}

function reductionConfig(kind: 'sum' | 'mean', original: KernelConfig): KernelConfig {
  function reduce(args: Args): TensorInfo {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as TensorInfo;
    const { axis, keepDims } = attrs;
    const leading = x.dtype === 'float32' ? leadingAxesCount(axis, x.shape) : null;
    const size = util.sizeFromShape(x.shape);
    // All axes reduced leaves one column, which the original kernel sums as fast.
    if (leading === null || leading === x.shape.length || size === 0) {
      return original.kernelFunc(args as never) as TensorInfo;
    }

    const rows = util.sizeFromShape(x.shape.slice(0, leading));
    const cols = size / rows;
    const reduced = x.shape.slice(leading);
    const outShape = keepDims ? [...x.shape.slice(0, leading).map(() => 1), ...reduced] : reduced;
    const out = backend.makeOutput(outShape, 'float32');
    kernelsFor(backend).column_sum(
      backend.dataIdMap.get(x.dataId)!.memoryOffset,
      backend.dataIdMap.get(out.dataId)!.memoryOffset,
      rows,
      cols,
      kind === 'mean' ? 1 / rows : 1,
    );
    return out;
  }

  return wasmKernelConfig(kind === 'sum' ? Sum : Mean, reduce, original);
}

export function sumConfig(original: KernelConfig): KernelConfig {
  return reductionConfig('sum', original);
}

export function meanConfig(original: KernelConfig): KernelConfig {
  return reductionConfig('mean', original);
}
