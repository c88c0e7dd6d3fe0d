// The feature-reuse heatmap of Huang et al. (2017), Figure 5: how strongly
// each layer of a dense block weighs the feature maps from each earlier
// source (the block input or an earlier layer), measured as the mean absolute
// weight of its first convolution over the input channels from that source.

import * as tf from '@tensorflow/tfjs';
import type { FeatureReuseMatrix } from './protocol';

/** A kernel that reads a concatenation of sources, and how many input channels come from each. */
export interface SourcedKernel {
  /** [h, w, in, out] for a convolution, [in, out] for the classifier. */
  kernel: tf.Tensor;
  /** Input channels per source in concatenation order: source 0 is the block input, source j the output of layer j. */
  sourceChannels: number[];
}

export interface BlockKernels {
  block: number;
  /** Layer ℓ's first convolution (the 1x1 bottleneck in DenseNet-B, else the 3x3), for ℓ = 1..L in order. */
  layers: SourcedKernel[];
  /** The following transition's convolution, or the classifier's kernel after the last block. */
  exit: SourcedKernel;
}

/** Mean |w| per source on the device: one scalar per source, in order. */
function sourceMeans(entry: SourcedKernel): tf.Tensor1D {
  return tf.tidy(() => {
    const axis = entry.kernel.rank - 2;
    const total = entry.sourceChannels.reduce((sum, channels) => sum + channels, 0);
    if (entry.kernel.shape[axis] !== total) {
      throw new RangeError(
        `kernel has ${entry.kernel.shape[axis]} input channels but its sources add up to ${total}`,
      );
    }
    const parts = tf.split(tf.abs(entry.kernel), entry.sourceChannels, axis);
    return tf.stack(parts.map((part) => tf.mean(part))) as tf.Tensor1D;
  });
}

/**
 * Computes the matrix for every block with one read-back. Row `target` of a
 * block's `weights` has one value per source 0..target-1; row 0 is empty
 * because the block input has no kernel of its own.
 */
export async function computeFeatureReuse(blocks: BlockKernels[]): Promise<FeatureReuseMatrix> {
  const entries = blocks.flatMap((block) => [...block.layers, block.exit]);
  const flat = tf.tidy(() => tf.concat(entries.map(sourceMeans)));
  let values: Float32Array;
  try {
    values = (await flat.data()) as Float32Array;
  } finally {
    flat.dispose();
  }

  let offset = 0;
  const take = (count: number) => {
    const row = Array.from(values.subarray(offset, offset + count));
    offset += count;
    return row;
  };
  return {
    blocks: blocks.map((block) => {
      const weights: number[][] = [[]];
      for (const layer of block.layers) weights.push(take(layer.sourceChannels.length));
      const transition = take(block.exit.sourceChannels.length);
      return { block: block.block, weights, transition };
    }),
  };
}
