// Training-mode batch normalisation with a hand-written gradient.
//
// Every DenseNet layer starts with BN over the concatenation of all earlier
// maps in its block, so BN touches more data than any convolution, and its
// backward pass is where TF.js 4.22's automatic differentiation is most
// wasteful: the gradient of `tf.batchNorm` tiles the per-channel statistics
// to the full input size, and the gradients through `tf.moments` (a mean and
// a squared difference) add several more full-size passes and a sum of three
// partial gradients. The closed form needs far fewer:
//
//   x̂ = (x − μ) / σ,   y = γ·x̂ + β,   N = batch · height · width
//   ∂β = Σ dy,   ∂γ = Σ dy·x̂
//   ∂x = γ/σ · (dy − ∂β/N − x̂·∂γ/N)
//
// computed here as dy·(γ/σ) + x̂·(−γ·∂γ/(σN)) − γ·∂β/(σN), where the last two
// terms are one `tf.batchNorm` call with a per-channel scale and offset.
// The forward pass and the moving-statistics update are those of TF.js's
// BatchNormalization layer (biased batch variance, moving = m·moving +
// (1 − m)·batch), so a model trains to the same numbers either way, up to
// floating-point rounding.

import * as tf from '@tensorflow/tfjs';

/** Output of `batchNormTraining`: the normalised tensor and the batch statistics it used. */
export interface BatchNormTrainingResult {
  y: tf.Tensor;
  /** Per-channel batch mean, shape [C]. */
  mean: tf.Tensor1D;
  /** Per-channel biased batch variance, shape [C]. */
  variance: tf.Tensor1D;
}

/**
 * Normalises `x` (channels last, any rank >= 2) with its own batch
 * statistics, scales by `gamma` and shifts by `beta`. Gradients flow to x,
 * gamma and beta through the closed form above; the returned statistics are
 * for the moving averages and carry no gradient.
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): BatchNormTrainingResult {
  const axes = x.shape.slice(0, -1).map((_, axis) => axis);
  let mean: tf.Tensor1D | null = null;
  let variance: tf.Tensor1D | null = null;

  const normalise = tf.customGrad((input, scale, offset, save) => {
    const xs = input as tf.Tensor;
    const moments = tf.moments(xs, axes);
    // The forward pass runs inside the engine's own tidy, so the statistics are kept to outlive it.
    mean = tf.keep(moments.mean as tf.Tensor1D);
    variance = tf.keep(moments.variance as tf.Tensor1D);
    const value = tf.batchNorm(
      xs,
      mean,
      variance,
      offset as tf.Tensor1D,
      scale as tf.Tensor1D,
      epsilon,
    );
    (save as tf.GradSaveFunc)([xs, mean, variance, scale as tf.Tensor]);
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        batchNormGradients(dy as tf.Tensor, saved, axes, epsilon),
    };
  });

  const y = normalise(x, gamma, beta);
  // Clones in the caller's scope share the data, so the kept originals can go.
  const originals: tf.Tensor1D[] = [mean!, variance!];
  const [batchMean, batchVariance] = originals.map((tensor) => tf.clone(tensor));
  tf.dispose(originals);
  return { y, mean: batchMean!, variance: batchVariance! };
}

function batchNormGradients(
  dy: tf.Tensor,
  saved: tf.Tensor[],
  axes: number[],
  epsilon: number,
): tf.Tensor[] {
  const [x, mean, variance, gamma] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  const count = x.size / x.shape[x.rank - 1]!;
  const normalised = tf.batchNorm(x, mean, variance, undefined, undefined, epsilon);
  const dBeta = tf.sum(dy, axes) as tf.Tensor1D;
  const dGamma = tf.sum(tf.mul(dy, normalised), axes) as tf.Tensor1D;
  // γ/σ, the factor of dy in ∂x.
  const dyScale = tf.mul(gamma, tf.rsqrt(tf.add(variance, epsilon))) as tf.Tensor1D;
  const perElement = tf.div(dyScale, -count);
  const dx = tf.add(
    tf.mul(dy, dyScale),
    // x̂·(−γ·∂γ/(σN)) − γ·∂β/(σN), as batchNorm(x) with that scale and offset.
    tf.batchNorm(
      x,
      mean,
      variance,
      tf.mul(perElement, dBeta) as tf.Tensor1D,
      tf.mul(perElement, dGamma) as tf.Tensor1D,
      epsilon,
    ),
  );
  return [dx, dGamma, dBeta];
}

/** The parts of a TF.js BatchNormalization layer that the training call needs. */
interface BatchNormLayer {
  trainableWeights: { read(): tf.Tensor }[];
  nonTrainableWeights: { read(): tf.Tensor; write(value: tf.Tensor): unknown }[];
  getConfig(): tf.serialization.ConfigDict;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
}

/**
 * Makes a channels-last TF.js BatchNormalization layer train through
 * `batchNormTraining`. Inference, the weights and the saved format stay the
 * layer's own, so a saved model loads as a plain TF.js model.
 */
export function trainWithClosedFormGradient(layer: tf.layers.Layer): void {
  const bn = layer as unknown as BatchNormLayer;
  const config = bn.getConfig();
  const axis = config.axis as number;
  const momentum = config.momentum as number;
  const epsilon = config.epsilon as number;
  if (axis !== -1 || config.center !== true || config.scale !== true) {
    throw new RangeError(
      `closed-form BN gradient: expected axis -1 with scale and center, got axis ${axis}, scale ${config.scale}, center ${config.center}`,
    );
  }
  const inference = bn.call.bind(bn);
  bn.call = (inputs, kwargs) => {
    if (kwargs.training !== true) return inference(inputs, kwargs);
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const [gamma, beta] = bn.trainableWeights.map((weight) => weight.read()) as tf.Tensor1D[];
      const { y, mean, variance } = batchNormTraining(x, gamma!, beta!, epsilon);
      const [movingMean, movingVariance] = bn.nonTrainableWeights;
      for (const [moving, batch] of [
        [movingMean!, mean],
        [movingVariance!, variance],
      ] as const) {
        // moving − (moving − batch)·(1 − m), the same arithmetic as TF.js's layer.
        const old = moving.read();
        moving.write(tf.sub(old, tf.mul(tf.sub(old, batch), 1 - momentum)));
      }
      return y;
    });
  };
}
