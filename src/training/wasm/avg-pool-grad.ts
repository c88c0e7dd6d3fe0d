// AvgPoolGrad for the `wasm` backend, for the 2x2 pool with stride 2 that
// ends every DenseNet transition. TF.js 4.22's kernel took about 20 ms per
// call in a DenseNet L=40 k=12 step at batch 16 (tf.profile). The gradient
// spreads each dy value, divided by 4, over its 2x2 block of dx, which here
// is one SIMD pass in kernels.wat. Other pools go to the original kernel.

import {
  AvgPoolGrad,
  type AvgPoolGradAttrs,
  type AvgPoolGradInputs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { memoryOffsetOf, type WasmBackendInternals } from './backend-internals';
import { kernelsFor, wasmKernelConfig } from './module';

type Args = { inputs: AvgPoolGradInputs; backend: WasmBackendInternals; attrs: AvgPoolGradAttrs };

/** True for a size or stride given as 2, or as [2, 2]. */
function isTwo(value: number | [number, number]): boolean {
  return Array.isArray(value) ? value[0] === 2 && value[1] === 2 : value === 2;
}

export function avgPoolGradConfig(original: KernelConfig): KernelConfig {
  function avgPoolGrad(args: Args): TensorInfo {
    const { inputs, backend, attrs } = args;
    const dy = inputs.dy as TensorInfo;
    const input = inputs.input as TensorInfo;
    const [batch, height, width, channels] = input.shape as [number, number, number, number];
    const [, outHeight, outWidth] = dy.shape as [number, number, number, number];
    const halves =
      input.shape.length === 4 &&
      height === 2 * outHeight &&
      width === 2 * outWidth &&
      dy.shape[0] === batch &&
      dy.shape[3] === channels;
    if (
      dy.dtype !== 'float32' ||
      !halves ||
      !isTwo(attrs.filterSize) ||
      !isTwo(attrs.strides) ||
      attrs.pad !== 'valid'
    ) {
      return original.kernelFunc(args as never) as TensorInfo;
    }

    const dx = backend.makeOutput(input.shape, 'float32');
    if (batch * outHeight * outWidth * channels > 0) {
      kernelsFor(backend).avg_pool_grad_2x2(
        memoryOffsetOf(backend, dy),
        memoryOffsetOf(backend, dx),
        batch * outHeight,
        outWidth,
        channels,
      );
    }
    return dx;
  }

  return wasmKernelConfig(AvgPoolGrad, avgPoolGrad, original);
}
