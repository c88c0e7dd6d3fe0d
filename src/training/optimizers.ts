// SGD with (Nesterov) momentum and Adam, written against TF.js ops instead of
// tf.train's optimizers for three reasons. The learning rate lives in one
// scalar variable, so changing it mid-run uploads one number and allocates
// nothing. Weight decay is added to the gradient of the kernels only. And
// `dispose` frees every slot, whereas TF.js 4.22's MomentumOptimizer.dispose
// leaves its learning-rate scalar alive.

import * as tf from '@tensorflow/tfjs';

export interface OptimizerOptions {
  kind: 'sgd' | 'adam';
  learningRate: number;
  momentum: number;
  nesterov: boolean;
  /** L2 coefficient λ: λ·w is added to the gradient of every decayed variable. */
  weightDecay: number;
}

/** A named slot tensor, for checkpoints. */
export interface OptimizerSlot {
  name: string;
  tensor: tf.Tensor;
}

export interface TrainingOptimizer {
  /** Number of updates applied so far. */
  readonly iterations: number;
  setLearningRate(learningRate: number): void;
  /**
   * Applies one update. `decayed[i]` is true when `variables[i]` gets weight
   * decay: convolution and dense kernels do, BN parameters and biases do not.
   */
  applyGradients(variables: tf.Variable[], gradients: tf.Tensor[], decayed: boolean[]): void;
  /** Slot tensors in a fixed order; the caller must not dispose them. */
  slots(): OptimizerSlot[];
  /** Replaces the slots with copies of `values` (same order and shapes as `slots()` after the first update). */
  restoreSlots(values: tf.Tensor[], iterations: number): void;
  dispose(): void;
}

export function createOptimizer(
  options: OptimizerOptions,
  variables: tf.Variable[],
): TrainingOptimizer {
  return options.kind === 'adam'
    ? new Adam(options, variables)
    : new MomentumSgd(options, variables);
}

function zeroSlots(variables: tf.Variable[]): tf.Variable[] {
  return variables.map((variable) => tf.variable(tf.zerosLike(variable), false));
}

function withDecay(gradient: tf.Tensor, variable: tf.Variable, decay: tf.Scalar | null): tf.Tensor {
  return decay ? tf.add(gradient, tf.mul(decay, variable)) : gradient;
}

/**
 * SGD as in Torch's optim.sgd with dampening 0: v ← μ·v + g, then
 * w ← w − lr·(g + μ·v) with Nesterov momentum, or w ← w − lr·v without.
 */
class MomentumSgd implements TrainingOptimizer {
  iterations = 0;
  private readonly learningRate: tf.Variable;
  private readonly momentum: tf.Scalar;
  private readonly decay: tf.Scalar | null;
  private velocity: tf.Variable[];

  constructor(
    private readonly options: OptimizerOptions,
    variables: tf.Variable[],
  ) {
    this.learningRate = tf.tidy(() => tf.variable(tf.scalar(options.learningRate), false));
    this.momentum = tf.scalar(options.momentum);
    this.decay = options.weightDecay > 0 ? tf.scalar(options.weightDecay) : null;
    this.velocity = options.momentum > 0 ? tf.tidy(() => zeroSlots(variables)) : [];
  }

  setLearningRate(learningRate: number): void {
    tf.tidy(() => {
      this.learningRate.assign(tf.scalar(learningRate));
    });
  }

  applyGradients(variables: tf.Variable[], gradients: tf.Tensor[], decayed: boolean[]): void {
    tf.tidy(() => {
      variables.forEach((variable, i) => {
        const gradient = withDecay(gradients[i]!, variable, decayed[i] ? this.decay : null);
        const velocity = this.velocity[i];
        let update: tf.Tensor = gradient;
        if (velocity) {
          const next = tf.add(tf.mul(this.momentum, velocity), gradient);
          velocity.assign(next);
          update = this.options.nesterov ? tf.add(gradient, tf.mul(this.momentum, next)) : next;
        }
        variable.assign(tf.sub(variable, tf.mul(this.learningRate, update)));
      });
    });
    this.iterations += 1;
  }

  slots(): OptimizerSlot[] {
    return this.velocity.map((tensor, i) => ({ name: `velocity/${i}`, tensor }));
  }

  restoreSlots(values: tf.Tensor[], iterations: number): void {
    if (values.length !== this.velocity.length) {
      throw new RangeError(`expected ${this.velocity.length} momentum slots, got ${values.length}`);
    }
    values.forEach((value, i) => {
      this.velocity[i]!.assign(value);
    });
    this.iterations = iterations;
  }

  dispose(): void {
    this.learningRate.dispose();
    this.momentum.dispose();
    this.decay?.dispose();
    tf.dispose(this.velocity);
    this.velocity = [];
  }
}

/** Adam (Kingma and Ba, 2015) with β1 = 0.9, β2 = 0.999, ε = 1e-7 as in Keras. */
class Adam implements TrainingOptimizer {
  iterations = 0;
  private readonly learningRate: tf.Variable;
  private readonly beta1 = 0.9;
  private readonly beta2 = 0.999;
  private readonly constants: Record<
    'one' | 'beta1' | 'beta2' | 'oneMinusBeta1' | 'oneMinusBeta2' | 'epsilon',
    tf.Scalar
  >;
  private readonly decay: tf.Scalar | null;
  /** β1^t and β2^t, for the bias correction. */
  private readonly powers: { beta1: tf.Variable; beta2: tf.Variable };
  private firstMoment: tf.Variable[];
  private secondMoment: tf.Variable[];

  constructor(options: OptimizerOptions, variables: tf.Variable[]) {
    this.learningRate = tf.tidy(() => tf.variable(tf.scalar(options.learningRate), false));
    this.constants = {
      one: tf.scalar(1),
      beta1: tf.scalar(this.beta1),
      beta2: tf.scalar(this.beta2),
      oneMinusBeta1: tf.scalar(1 - this.beta1),
      oneMinusBeta2: tf.scalar(1 - this.beta2),
      epsilon: tf.scalar(1e-7),
    };
    this.decay = options.weightDecay > 0 ? tf.scalar(options.weightDecay) : null;
    this.powers = tf.tidy(() => ({
      beta1: tf.variable(tf.scalar(1), false),
      beta2: tf.variable(tf.scalar(1), false),
    }));
    this.firstMoment = tf.tidy(() => zeroSlots(variables));
    this.secondMoment = tf.tidy(() => zeroSlots(variables));
  }

  setLearningRate(learningRate: number): void {
    tf.tidy(() => {
      this.learningRate.assign(tf.scalar(learningRate));
    });
  }

  applyGradients(variables: tf.Variable[], gradients: tf.Tensor[], decayed: boolean[]): void {
    tf.tidy(() => {
      const { one, beta1, beta2, oneMinusBeta1, oneMinusBeta2, epsilon } = this.constants;
      const power1 = tf.mul(this.powers.beta1, beta1);
      const power2 = tf.mul(this.powers.beta2, beta2);
      this.powers.beta1.assign(power1);
      this.powers.beta2.assign(power2);
      // lr_t = lr·sqrt(1 − β2^t)/(1 − β1^t), folded into one scalar per step.
      const stepSize = tf.div(
        tf.mul(this.learningRate, tf.sqrt(tf.sub(one, power2))),
        tf.sub(one, power1),
      );
      variables.forEach((variable, i) => {
        const gradient = withDecay(gradients[i]!, variable, decayed[i] ? this.decay : null);
        const m = this.firstMoment[i]!;
        const v = this.secondMoment[i]!;
        const nextM = tf.add(tf.mul(beta1, m), tf.mul(oneMinusBeta1, gradient));
        const nextV = tf.add(tf.mul(beta2, v), tf.mul(oneMinusBeta2, tf.square(gradient)));
        m.assign(nextM);
        v.assign(nextV);
        variable.assign(
          tf.sub(variable, tf.div(tf.mul(stepSize, nextM), tf.add(tf.sqrt(nextV), epsilon))),
        );
      });
    });
    this.iterations += 1;
  }

  slots(): OptimizerSlot[] {
    return [
      { name: 'beta1-power', tensor: this.powers.beta1 },
      { name: 'beta2-power', tensor: this.powers.beta2 },
      ...this.firstMoment.map((tensor, i) => ({ name: `m/${i}`, tensor })),
      ...this.secondMoment.map((tensor, i) => ({ name: `v/${i}`, tensor })),
    ];
  }

  restoreSlots(values: tf.Tensor[], iterations: number): void {
    const targets = this.slots();
    if (values.length !== targets.length) {
      throw new RangeError(`expected ${targets.length} Adam slots, got ${values.length}`);
    }
    values.forEach((value, i) => {
      (targets[i]!.tensor as tf.Variable).assign(value);
    });
    this.iterations = iterations;
  }

  dispose(): void {
    this.learningRate.dispose();
    tf.dispose(Object.values(this.constants));
    this.decay?.dispose();
    tf.dispose([this.powers.beta1, this.powers.beta2]);
    tf.dispose(this.firstMoment);
    tf.dispose(this.secondMoment);
    this.firstMoment = [];
    this.secondMoment = [];
  }
}
