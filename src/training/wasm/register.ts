// Registers the training kernels that TF.js 4.22's `wasm` backend lacks or
// runs slowly. Probing a DenseNet training step (forward, backward, SGD with
// Nesterov momentum and Adam, dropout, on-device pad / crop / flip) on the
// `cpu` backend with tf.profile and looking each kernel up for `wasm` finds
// exactly one missing kernel: Conv2DBackpropFilter. Conv2DBackpropInput
// exists but is about ten times slower than the forward convolution, so it
// is replaced for stride-1 convolutions. register.test.ts repeats the probe.

import '@tensorflow/tfjs-backend-wasm';
import {
  getKernel,
  type KernelConfig,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';

let registered = false;

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

  const original: KernelConfig | undefined = getKernel('Conv2DBackpropInput', 'wasm');
  if (original === undefined) {
    throw new Error(
      'wasm training kernels: @tensorflow/tfjs-backend-wasm registered no Conv2DBackpropInput',
    );
  }
  unregisterKernel('Conv2DBackpropInput', 'wasm');
  registerKernel(conv2DBackpropInputConfig(original));

  registered = true;
}
