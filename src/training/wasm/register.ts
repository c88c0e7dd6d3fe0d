// Registers the training kernels that TF.js 4.22's `wasm` backend lacks or
// runs slowly. A DenseNet training step (forward, backward, SGD with
// Nesterov momentum and Adam, dropout, on-device pad / crop / flip) was
// profiled on `cpu` with tf.profile, and each kernel it ran was looked up
// for `wasm`. Exactly one is missing: Conv2DBackpropFilter. register.test.ts
// repeats that probe. Profiling the same step on `wasm` then showed existing
// kernels that dominated it, which are replaced:
// - Tile (batch-norm gradients tile [1, 1, 1, C] up to [N, H, W, C]),
// - Conv2DBackpropInput (a plain C++ loop, about ten times the forward
//   convolution's time),
// - Sum and Mean over leading axes (a generic transpose before reducing),
// - Slice and SplitV (JavaScript copies; SplitV is the gradient of every
//   dense layer's concatenation),
// - Identity, same-type Cast and Concat (JavaScript copies),
// - FusedBatchNorm (one float at a time, a modulo per float),
// - AvgPoolGrad of the transitions' 2x2 pools.
// The gradients of Sum and Mean also stop filling ones in JavaScript.
// Each replacement handles the cases DenseNet needs and hands every other
// case to the kernel it replaced.

import '@tensorflow/tfjs-backend-wasm';
import {
  getKernel,
  type KernelConfig,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { avgPoolGradConfig } from './avg-pool-grad';
import { batchNormConfig } from './batch-norm';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { castConfig, concatConfig, identityConfig } from './copies';
import { conv2DConfig, fusedConv2DConfig } from './direct-conv';

export { type ConvolutionRoute, setConvolutionRoute } from './direct-conv';

import { registerWasmGradients } from './gradients';
import { meanConfig, sumConfig } from './reductions';
import { sliceConfig, splitVConfig } from './slice';
import { tileConfig } from './tile';

/** Kernels this module registers for `wasm` or replaces there. */
export const WASM_TRAINING_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'Conv2D',
  'FusedConv2D',
  'Tile',
  'Sum',
  'Mean',
  'Slice',
  'SplitV',
  'Identity',
  'Cast',
  'Concat',
  'FusedBatchNorm',
  'AvgPoolGrad',
] as const;

let registered = false;

function replaceKernel(name: string, build: (original: KernelConfig) => KernelConfig): void {
  const original = getKernel(name, 'wasm');
  if (original === undefined) {
    throw new Error(`wasm training kernels: @tensorflow/tfjs-backend-wasm registered no ${name}`);
  }
  unregisterKernel(name, 'wasm');
  registerKernel(build(original));
}

/**
 * Registers the kernels for the `wasm` backend. Call it before
 * `tf.setBackend('wasm')` so that their setup runs when the backend starts;
 * called later, each kernel sets itself up on first use. Repeated calls do
 * nothing.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  if (getKernel(conv2DBackpropFilterConfig.kernelName, 'wasm') === undefined) {
    registerKernel(conv2DBackpropFilterConfig);
  }
  replaceKernel('Conv2DBackpropInput', conv2DBackpropInputConfig);
  replaceKernel('Conv2D', conv2DConfig);
  replaceKernel('FusedConv2D', fusedConv2DConfig);
  replaceKernel('Tile', tileConfig);
  replaceKernel('Sum', sumConfig);
  replaceKernel('Mean', meanConfig);
  replaceKernel('Slice', sliceConfig);
  replaceKernel('SplitV', splitVConfig);
  replaceKernel('Identity', identityConfig);
  replaceKernel('Cast', castConfig);
  replaceKernel('Concat', concatConfig);
  replaceKernel('FusedBatchNorm', batchNormConfig);
  replaceKernel('AvgPoolGrad', avgPoolGradConfig);
  registerWasmGradients();
  registered = true;
}
