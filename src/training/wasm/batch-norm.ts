// FusedBatchNorm for the `wasm` backend. TF.js 4.22's kernel walks the
// output one float at a time and finds each float's channel with a modulo.
// A DenseNet step runs it on every layer's full concatenated input, and
// batchNorm.ts's gradient runs it twice more. In a DenseNet L=40 k=12 step
// at batch 16 it took about 3.5 ms per call (tf.profile), four times this one.
//
// Per channel c, batchNorm(x) = x·s[c] + t[c] with s = γ/√(var + ε) and
// t = β − mean·s. The few per-channel values are folded here in JavaScript
// (in float32, as the original kernel computes), then one SIMD pass writes
// the output. Shapes other than per-channel parameters (size C or 1 for an
// input whose last axis has C channels) go to the original kernel.

import {
  FusedBatchNorm,
  type FusedBatchNormAttrs,
  type FusedBatchNormInputs,
  type KernelConfig,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { backendMemory, type WasmBackendInternals } from './backend-internals';
import { kernelsFor, wasmKernelConfig } from './module';

type Args = {
  inputs: FusedBatchNormInputs;
  backend: WasmBackendInternals;
  attrs: FusedBatchNormAttrs;
};

/** Reads a float32 parameter of size `channels` or 1 as `channels` values, or null for any other size. */
function perChannel(
  backend: WasmBackendInternals,
  tensor: TensorInfo | undefined,
  channels: number,
  missing: number,
): Float32Array | null {
  if (tensor === undefined) return new Float32Array(channels).fill(missing);
  const size = util.sizeFromShape(tensor.shape);
  if (tensor.dtype !== 'float32' || (size !== channels && size !== 1)) return null;
  const offset = backend.dataIdMap.get(tensor.dataId)!.memoryOffset;
  const values = new Float32Array(backendMemory(backend).buffer, offset, size);
  return size === channels ? values.slice() : new Float32Array(channels).fill(values[0]!);
}

export function batchNormConfig(original: KernelConfig): KernelConfig {
  function batchNorm(args: Args): TensorInfo {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as TensorInfo;
    const channels = x.shape[x.shape.length - 1] ?? 0;
    const size = util.sizeFromShape(x.shape);
    const mean = x.dtype === 'float32' ? perChannel(backend, inputs.mean, channels, 0) : null;
    const variance = mean && perChannel(backend, inputs.variance, channels, 1);
    const scale = variance && perChannel(backend, inputs.scale, channels, 1);
    const offset = scale && perChannel(backend, inputs.offset, channels, 0);
    if (!mean || !variance || !scale || !offset || size === 0) {
      return original.kernelFunc(args as never) as TensorInfo;
    }

    // folded[0, C) is the scale s and folded[C, 2C) the shift t.
    const folded = new Float32Array(2 * channels);
    for (let c = 0; c < channels; c++) {
      const s = Math.fround(scale[c]! / Math.sqrt(variance[c]! + attrs.varianceEpsilon));
      folded[c] = s;
      folded[channels + c] = offset[c]! - mean[c]! * s;
    }
    const out = backend.makeOutput(x.shape, 'float32');
    const factors = backend.makeOutput([2 * channels], 'float32');
    try {
      const factorsOffset = backend.dataIdMap.get(factors.dataId)!.memoryOffset;
      // Viewed after both allocations, which may have grown (and replaced) the buffer.
      new Float32Array(backendMemory(backend).buffer, factorsOffset, 2 * channels).set(folded);
      kernelsFor(backend).scale_shift(
        backend.dataIdMap.get(x.dataId)!.memoryOffset,
        backend.dataIdMap.get(out.dataId)!.memoryOffset,
        size / channels,
        channels,
        factorsOffset,
        factorsOffset + 4 * channels,
      );
    } finally {
      backend.disposeData(factors.dataId);
    }
    return out;
  }

  return wasmKernelConfig(FusedBatchNorm, batchNorm, original);
}
