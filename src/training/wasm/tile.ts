// Tile for the `wasm` backend. TF.js 4.22's own computes every output index
// with divisions; in a DenseNet training step it took 60 ns per output float
// and was the most expensive kernel, because the gradient of each batch norm
// tiles [1, 1, 1, C] statistics up to the full [N, H, W, C] activation.
//
// Row-major tiling runs here as one pass per axis, innermost first: first
// every input row is written `reps[last]` times in a row, then for each
// outer axis d (from the inside out) the blocks built so far are expanded
// in place, each repeated `reps[d]` times. Every step is a WebAssembly
// function, so the work is a handful of SIMD copies and memory.copy calls.

import {
  type KernelConfig,
  type TensorInfo,
  Tile,
  type TileAttrs,
  type TileInputs,
} from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from './backend-internals';
import { kernelsFor, wasmKernelConfig } from './module';

type Args = { inputs: TileInputs; backend: WasmBackendInternals; attrs: TileAttrs };

/** Builds the kernel config; `original` handles what this one does not (1-byte bool, strings). */
export function tileConfig(original: KernelConfig): KernelConfig {
  function tile(args: Args): TensorInfo {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as TensorInfo;
    const reps = attrs.reps;
    const rank = x.shape.length;
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || rank === 0 || reps.length !== rank) {
      return original.kernelFunc(args as never) as TensorInfo;
    }

    const outShape = x.shape.map((size, axis) => size * reps[axis]!);
    const out = backend.makeOutput(outShape, x.dtype);
    if (outShape.some((size) => size === 0)) return out;

    const kernels = kernelsFor(backend);
    const source = backend.dataIdMap.get(x.dataId)!.memoryOffset;
    const target = backend.dataIdMap.get(out.dataId)!.memoryOffset;
    const shape = x.shape;

    let rows = 1;
    for (let axis = 0; axis < rank - 1; axis++) rows *= shape[axis]!;
    kernels.tile_rows(source, target, rows, shape[rank - 1]!, reps[rank - 1]!);

    // blockLength: floats per block of axis d once the axes inside d are expanded.
    let innerLength = outShape[rank - 1]!;
    for (let axis = rank - 2; axis >= 0; axis--) {
      const blockLength = shape[axis]! * innerLength;
      rows /= shape[axis]!;
      if (reps[axis]! > 1) kernels.repeat_blocks(target, rows, blockLength, reps[axis]!);
      innerLength *= outShape[axis]!;
    }
    return out;
  }

  return wasmKernelConfig(Tile, tile, original);
}
