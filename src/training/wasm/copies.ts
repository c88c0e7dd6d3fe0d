// Identity, same-type Cast, and Concat for the `wasm` backend. TF.js 4.22
// runs all three in JavaScript. Identity and Cast call TypedArray.set
// between two views of the same heap, and Concat calls set once per row of
// every input (N·H·W rows for a channel concatenation). In a DenseNet
// training step these copies took longer than the batch norms. Here
// Identity and same-type Cast share the input's data, as on the cpu and
// webgl backends, and Concat is one strided row copy per input, in
// kernels.wat.

import {
  backend_util,
  Cast,
  type CastAttrs,
  type CastInputs,
  Concat,
  type ConcatAttrs,
  type ConcatInputs,
  Identity,
  type IdentityInputs,
  type KernelConfig,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from './backend-internals';
import { kernelsFor, wasmKernelConfig } from './module';

function offsetOf(backend: WasmBackendInternals, tensor: TensorInfo): number {
  return backend.dataIdMap.get(tensor.dataId)!.memoryOffset;
}

function fourByte(dtype: string): boolean {
  return dtype === 'float32' || dtype === 'int32';
}

/**
 * Returns `x` under a new reference to the same heap data, as the cpu and
 * webgl backends' Identity does. Nothing on the wasm heap is written in
 * place, since every kernel allocates its output, so sharing is safe and
 * costs no copy.
 */
function shareTensor(backend: WasmBackendInternals, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function identityConfig(original: KernelConfig): KernelConfig {
  function identity(args: { inputs: IdentityInputs; backend: WasmBackendInternals }) {
    const x = args.inputs.x as TensorInfo;
    if (!fourByte(x.dtype)) return original.kernelFunc(args as never);
    return shareTensor(args.backend, x);
  }
  return wasmKernelConfig(Identity, identity, original);
}

export function castConfig(original: KernelConfig): KernelConfig {
  function cast(args: { inputs: CastInputs; backend: WasmBackendInternals; attrs: CastAttrs }) {
    const x = args.inputs.x as TensorInfo;
    // Only a same-type cast is a plain copy; conversions stay with the original.
    if (!fourByte(x.dtype) || args.attrs.dtype !== x.dtype)
      return original.kernelFunc(args as never);
    return shareTensor(args.backend, x);
  }
  return wasmKernelConfig(Cast, cast, original);
}

export function concatConfig(original: KernelConfig): KernelConfig {
  function concat(args: {
    inputs: ConcatInputs;
    backend: WasmBackendInternals;
    attrs: ConcatAttrs;
  }) {
    const { backend } = args;
    const inputs = args.inputs as TensorInfo[];
    const first = inputs[0];
    if (
      first === undefined ||
      !fourByte(first.dtype) ||
      inputs.some((t) => t.dtype !== first.dtype)
    ) {
      return original.kernelFunc(args as never);
    }
    const axis = util.parseAxisParam(args.attrs.axis, first.shape)[0]!;
    backend_util.assertParamsConsistent(
      inputs.map((t) => t.shape),
      axis,
    );
    const outShape = backend_util.computeOutShape(
      inputs.map((t) => t.shape),
      axis,
    );
    const out = backend.makeOutput(outShape, first.dtype);
    if (util.sizeFromShape(outShape) === 0) return out;

    // Rows: everything outside `axis`; each input contributes a run per row.
    const rows = util.sizeFromShape(first.shape.slice(0, axis));
    const outRow = util.sizeFromShape(outShape.slice(axis));
    const kernels = kernelsFor(backend);
    const target = offsetOf(backend, out);
    let column = 0;
    for (const input of inputs) {
      const run = util.sizeFromShape(input.shape.slice(axis));
      if (run > 0) {
        kernels.copy_rows(offsetOf(backend, input), target + column * 4, rows, run, run, outRow);
      }
      column += run;
    }
    return out;
  }
  return wasmKernelConfig(Concat, concat, original);
}
