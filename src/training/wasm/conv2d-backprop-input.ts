// Conv2DBackpropInput for the `wasm` backend. TF.js 4.22 ships one, but it is
// a plain C++ loop: on a DenseNet 3x3 layer (16x32x32x168 input, 12 filters)
// it took 289 ms where the forward convolution (XNNPACK) took 25 ms.
//
// For stride 1 the input gradient is itself a convolution: dx is dy
// convolved with the filter rotated by 180 degrees and with its in and out
// channels swapped, padded by (kernel - 1 - pad) on each side. kernels.wat
// builds that filter (kh·kw·C·O floats, small) and the backend's own Conv2D
// does the work. Strided convolutions, which DenseNet uses only in an
// ImageNet-layout stem whose input needs no gradient, go to the original
// kernel.

import {
  backend_util,
  type Conv2DAttrs,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type Conv2DBackpropInputInputs,
  getKernel,
  type KernelConfig,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { memoryOffsetOf, type WasmBackendInternals } from './backend-internals';
import { kernelsFor, wasmKernelConfig } from './module';

type Args = {
  inputs: Conv2DBackpropInputInputs;
  backend: WasmBackendInternals;
  attrs: Conv2DBackpropInputAttrs;
};

/** Builds the kernel config; `original` handles the cases the fast path does not. */
export function conv2DBackpropInputConfig(original: KernelConfig): KernelConfig {
  function conv2DBackpropInput(args: Args): TensorInfo {
    const { inputs, backend, attrs } = args;
    const dy = inputs.dy as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;

    const convInfo = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(dataFormat),
    );
    const { filterHeight, filterWidth, inChannels, outChannels, padInfo } = convInfo;
    const padTop = filterHeight - 1 - padInfo.top;
    const padBottom = filterHeight - 1 - padInfo.bottom;
    const padLeft = filterWidth - 1 - padInfo.left;
    const padRight = filterWidth - 1 - padInfo.right;
    const fastPath =
      convInfo.dataFormat === 'channelsLast' &&
      convInfo.strideHeight === 1 &&
      convInfo.strideWidth === 1 &&
      padTop >= 0 &&
      padBottom >= 0 &&
      padLeft >= 0 &&
      padRight >= 0;
    if (!fastPath) return original.kernelFunc(args as never) as TensorInfo;

    const conv2D = getKernel('Conv2D', 'wasm');
    if (conv2D === undefined) throw new Error('wasm training kernels: Conv2D is not registered');
    const kernels = kernelsFor(backend);
    const flipped = backend.makeOutput(
      [filterHeight, filterWidth, outChannels, inChannels],
      'float32',
    );
    kernels.flip_filter(
      memoryOffsetOf(backend, filter),
      memoryOffsetOf(backend, flipped),
      filterHeight,
      filterWidth,
      inChannels,
      outChannels,
    );
    const convAttrs: Conv2DAttrs = {
      strides: [1, 1],
      pad: [
        [0, 0],
        [padTop, padBottom],
        [padLeft, padRight],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    };
    const dx = conv2D.kernelFunc({
      inputs: { x: dy, filter: flipped },
      backend,
      attrs: convAttrs as unknown as NamedAttrMap,
    }) as TensorInfo;
    backend.disposeData(flipped.dataId);
    return dx;
  }

  return wasmKernelConfig(Conv2DBackpropInput, conv2DBackpropInput, original);
}
