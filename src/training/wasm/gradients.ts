// Gradients of Sum and Mean for the `wasm` backend. TF.js 4.22 computes
// both as dy · ones(x.shape): the ones are filled in JavaScript and copied
// into the heap, then multiplied, for every batch-norm statistic of every
// step (one full activation each). Broadcasting dy with BroadcastTo (our
// Tile) writes the same values in one pass. Gradients are registered per
// kernel for all backends, so these check the active backend and use the
// original gradient elsewhere.

import {
  broadcastTo,
  div,
  type GradConfig,
  getBackend,
  getGradient,
  Mean,
  registerGradient,
  reshape,
  Sum,
  type Tensor,
  util,
} from '@tensorflow/tfjs-core';

function expandedShape(
  shape: number[],
  axis: number | number[],
): { shape: number[]; size: number } {
  const axes = util.parseAxisParam(axis, shape);
  const expanded = [...shape];
  let size = 1;
  for (const reduced of axes) {
    size *= shape[reduced]!;
    expanded[reduced] = 1;
  }
  return { shape: expanded, size };
}

function broadcastGradient(kind: 'sum' | 'mean', original: GradConfig): GradConfig {
  return {
    kernelName: kind === 'sum' ? Sum : Mean,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      if (getBackend() !== 'wasm') return original.gradFunc(dy, saved, attrs);
      const x = saved[0]!;
      const { shape, size } = expandedShape(x.shape, (attrs as { axis: number | number[] }).axis);
      return {
        x: () => {
          const expanded = reshape(dy as Tensor, shape);
          const scaled = kind === 'mean' ? div(expanded, size) : expanded;
          return broadcastTo(scaled, x.shape);
        },
      };
    },
  };
}

let registered = false;

/** Registers the broadcasting gradients of Sum and Mean; repeated calls do nothing. */
export function registerWasmGradients(): void {
  if (registered) return;
  for (const kind of ['sum', 'mean'] as const) {
    const original = getGradient(kind === 'sum' ? Sum : Mean);
    if (original === undefined) throw new Error(`TF.js registered no gradient for ${kind}`);
    registerGradient(broadcastGradient(kind, original));
  }
  registered = true;
}
