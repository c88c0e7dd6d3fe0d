import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFeatureReuse } from './featureReuse';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A [1, 1, in, out] kernel whose input channel c has absolute value |values[c]| for every output. */
function kernelWithChannels(values: number[], outputs: number): tf.Tensor {
  const data: number[] = [];
  for (const value of values)
    for (let o = 0; o < outputs; o++) data.push(o % 2 === 0 ? value : -value);
  return tf.tensor4d(data, [1, 1, values.length, outputs]);
}

describe('computeFeatureReuse', () => {
  it('averages |w| over each source channel range', async () => {
    // Block input has 2 channels, growth rate 1: layer 1 reads [2], layer 2 reads [2, 1], the exit reads [2, 1, 1].
    const layer1 = kernelWithChannels([1, 3], 2);
    const layer2 = kernelWithChannels([2, 2, 5], 2);
    const classifier = tf.tensor2d([0.5, -0.5, 1.5, -1.5, 4, 4, -8, 8], [4, 2]);
    const matrix = await computeFeatureReuse([
      {
        block: 0,
        layers: [
          { kernel: layer1, sourceChannels: [2] },
          { kernel: layer2, sourceChannels: [2, 1] },
        ],
        exit: { kernel: classifier, sourceChannels: [2, 1, 1] },
      },
    ]);
    expect(matrix.blocks).toHaveLength(1);
    const block = matrix.blocks[0]!;
    expect(block.block).toBe(0);
    expect(block.weights).toHaveLength(3);
    expect(block.weights[0]).toEqual([]);
    expect(block.weights[1]).toEqual([2]);
    expect(block.weights[2]).toEqual([2, 5]);
    expect(block.transition).toEqual([1, 4, 8]);
    tf.dispose([layer1, layer2, classifier]);
  });

  it('rejects a split that does not match the kernel', async () => {
    const kernel = kernelWithChannels([1, 1, 1], 1);
    await expect(
      computeFeatureReuse([
        {
          block: 0,
          layers: [{ kernel, sourceChannels: [2] }],
          exit: { kernel, sourceChannels: [3] },
        },
      ]),
    ).rejects.toThrow(/3 input channels but its sources add up to 2/);
    kernel.dispose();
  });

  it('leaves no tensors behind', async () => {
    const kernel = kernelWithChannels([1, 2, 3], 4);
    const before = tf.memory().numTensors;
    await computeFeatureReuse([
      {
        block: 0,
        layers: [{ kernel, sourceChannels: [1, 2] }],
        exit: { kernel, sourceChannels: [1, 1, 1] },
      },
    ]);
    expect(tf.memory().numTensors).toBe(before);
    kernel.dispose();
  });
});
