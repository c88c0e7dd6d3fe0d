// The training core: one model, its optimizer and the device-side batch
// pipeline. It takes tensors and returns tensors or plain numbers, sends no
// messages, and runs the same in Node (CPU backend) as in the worker, so the
// unit tests exercise the code the browser runs.

import * as tf from '@tensorflow/tfjs';
import type { DenseNetPlan } from '../densenet/types';
import { BatchPipeline, BatchSampler, type DeviceSplit, drawAugmentation } from './augment';
import { computeFeatureReuse } from './featureReuse';
import { buildModel, featureReuseKernels } from './model';
import { createOptimizer, type TrainingOptimizer } from './optimizers';
import type { FeatureReuseMatrix, TrainingSettings } from './protocol';
import { deriveSeed, SeededRandom } from './random';
import { learningRateAt } from './recipes';

/** Streams derived from the run seed, so each draws its own sequence. */
const SEED_STREAM = { weights: 0, batches: 1, augmentation: 2, dropout: 3 } as const;

export interface TrainerOptions {
  plan: DenseNetPlan;
  settings: TrainingSettings;
  train: DeviceSplit;
  /** Held-out split for `evaluate`; null when the dataset has none. */
  test: DeviceSplit | null;
}

export interface Evaluation {
  loss: number;
  accuracy: number;
  perClassAccuracy: number[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  /** Per test image, in split order. */
  predicted: Int32Array;
  confidence: Float32Array;
}

/** The host-side state needed to continue a run exactly where it stopped. */
export interface TrainerState {
  step: number;
  baseLearningRate: number;
  optimizerIterations: number;
  sampler: { order: Int32Array; position: number };
  batchRandom: number;
  augmentationRandom: number;
}

export class Trainer {
  readonly model: tf.LayersModel;
  readonly plan: DenseNetPlan;
  readonly sampler: BatchSampler;
  readonly numClasses: number;
  /** Completed (enqueued) training steps. */
  step = 0;

  private readonly settings: TrainingSettings;
  private readonly train: DeviceSplit;
  private readonly test: DeviceSplit | null;
  private readonly pipeline: BatchPipeline;
  private readonly optimizer: TrainingOptimizer;
  private readonly variables: tf.Variable[];
  private readonly decayed: boolean[];
  private readonly batchRandom: SeededRandom;
  private readonly augmentationRandom: SeededRandom;
  private baseLearningRate: number;
  private appliedLearningRate: number;
  private disposed = false;

  constructor(options: TrainerOptions) {
    const { plan, settings, train, test } = options;
    this.plan = plan;
    this.settings = settings;
    this.train = train;
    this.test = test;
    this.numClasses = plan.config.numClasses;
    this.batchRandom = new SeededRandom(deriveSeed(settings.seed, SEED_STREAM.batches));
    this.augmentationRandom = new SeededRandom(deriveSeed(settings.seed, SEED_STREAM.augmentation));
    this.sampler = new BatchSampler(train.count, settings.batchSize, this.batchRandom);
    this.baseLearningRate = settings.learningRate;

    this.pipeline = new BatchPipeline(this.numClasses);
    try {
      this.model = buildModel(plan, {
        seed: deriveSeed(settings.seed, SEED_STREAM.weights),
        dropoutSeed: {
          seed: deriveSeed(settings.seed, SEED_STREAM.dropout),
          step: () => this.step,
        },
        closedFormBatchNorm: true,
      });
    } catch (error) {
      this.pipeline.dispose();
      throw error;
    }
    this.variables = this.model.trainableWeights.map((weight) => weight.read() as tf.Variable);
    // L2 weight decay applies to convolution and dense kernels (rank >= 2), not to BN scales, shifts or biases.
    this.decayed = this.variables.map((variable) => variable.rank >= 2);
    this.appliedLearningRate = this.learningRate();
    this.optimizer = createOptimizer(
      {
        kind: settings.optimizer,
        learningRate: this.appliedLearningRate,
        momentum: settings.momentum,
        nesterov: settings.nesterov,
        weightDecay: settings.weightDecay,
      },
      this.variables,
    );
  }

  get batchSize(): number {
    return this.sampler.batchSize;
  }

  get stepsPerEpoch(): number {
    return this.sampler.stepsPerEpoch;
  }

  get totalSteps(): number {
    return this.settings.epochs * this.sampler.stepsPerEpoch;
  }

  /** 0-based epoch of the next step. */
  get epoch(): number {
    return Math.floor(this.step / this.sampler.stepsPerEpoch);
  }

  /** Returns the scheduled learning rate for the next step. */
  learningRate(): number {
    return learningRateAt(
      this.baseLearningRate,
      this.settings.schedule,
      this.settings.epochs,
      this.epoch,
    );
  }

  /** Changes the base rate; the schedule's divisions still apply on top of it. */
  setBaseLearningRate(learningRate: number): void {
    this.baseLearningRate = learningRate;
  }

  /**
   * Enqueues one training step and returns a [loss, correct] tensor without
   * waiting for it: mean cross-entropy over the batch (weight decay excluded)
   * and the number of correctly classified images. The caller reads it with
   * `data()` whenever it likes and must dispose it.
   */
  trainStep(): tf.Tensor1D {
    this.assertLive();
    const rate = this.learningRate();
    if (rate !== this.appliedLearningRate) {
      this.optimizer.setLearningRate(rate);
      this.appliedLearningRate = rate;
    }
    const indices = this.sampler.next();
    const draw = this.settings.augment
      ? drawAugmentation(this.augmentationRandom, indices.length)
      : null;

    const metrics = tf.tidy(() => {
      const batch = this.pipeline.trainBatch(this.train, indices, draw);
      let correct: tf.Scalar | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const logits = this.model.apply(batch.images, { training: true }) as tf.Tensor2D;
        // Kept so it survives the gradient scope; disposed below after stacking.
        correct = tf.keep(
          tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), batch.labels), 'float32')) as tf.Scalar,
        );
        return tf.losses.softmaxCrossEntropy(batch.oneHot, logits) as tf.Scalar;
      }, this.variables);
      const gradients = this.variables.map((variable) => grads[variable.name]!);
      this.optimizer.applyGradients(this.variables, gradients, this.decayed);
      const result = tf.stack([value, correct!]) as tf.Tensor1D;
      (correct as tf.Scalar | null)?.dispose();
      return result;
    });
    this.step += 1;
    return metrics;
  }

  /**
   * Evaluates the test split with inference-mode BN (moving statistics), in
   * batches whose results are read back asynchronously. `shouldStop` is
   * checked between batches so a stop request does not wait for the whole split.
   */
  async evaluate(shouldStop: () => boolean = () => false): Promise<Evaluation | null> {
    this.assertLive();
    const test = this.test;
    if (!test) return null;
    const batchSize = Math.min(test.count, Math.max(this.settings.batchSize, 100));
    const predicted = new Int32Array(test.count);
    const confidence = new Float32Array(test.count);
    let lossSum = 0;

    const pending: { start: number; size: number; result: tf.Tensor2D }[] = [];
    for (let start = 0; start < test.count; start += batchSize) {
      const size = Math.min(batchSize, test.count - start);
      const result = tf.tidy(() => {
        const batch = this.pipeline.evaluationBatch(test, start, size);
        const logits = this.model.apply(batch.images, { training: false }) as tf.Tensor2D;
        const oneHot = tf.oneHot(batch.labels, this.numClasses);
        const losses = tf.losses.softmaxCrossEntropy(
          oneHot,
          logits,
          undefined,
          undefined,
          tf.Reduction.NONE,
        );
        const probabilities = tf.softmax(logits);
        // Columns: predicted class, its probability, the image's loss.
        return tf.stack(
          [tf.cast(tf.argMax(logits, 1), 'float32'), tf.max(probabilities, 1), losses],
          1,
        ) as tf.Tensor2D;
      });
      pending.push({ start, size, result });
    }

    try {
      for (const { start, size, result } of pending) {
        if (shouldStop()) return null;
        const values = await result.data();
        for (let i = 0; i < size; i++) {
          predicted[start + i] = values[i * 3]!;
          confidence[start + i] = values[i * 3 + 1]!;
          lossSum += values[i * 3 + 2]!;
        }
      }
    } finally {
      for (const { result } of pending) result.dispose();
    }
    return summarise(test.hostLabels, predicted, confidence, lossSum, this.numClasses);
  }

  /** Computes the feature-reuse heatmap of the current weights. */
  featureReuse(): Promise<FeatureReuseMatrix> {
    this.assertLive();
    return computeFeatureReuse(featureReuseKernels(this.model, this.plan));
  }

  /** Host copy of the counters and generators; the tensors are saved separately. */
  getState(): TrainerState {
    return {
      step: this.step,
      baseLearningRate: this.baseLearningRate,
      optimizerIterations: this.optimizer.iterations,
      sampler: this.sampler.getState(),
      batchRandom: this.batchRandom.getState(),
      augmentationRandom: this.augmentationRandom.getState(),
    };
  }

  /** Restores weights (model order), optimizer slots and counters saved from a trainer of the same plan. */
  restore(state: TrainerState, weights: tf.Tensor[], slots: tf.Tensor[]): void {
    this.assertLive();
    this.model.setWeights(weights);
    this.optimizer.restoreSlots(slots, state.optimizerIterations);
    this.step = state.step;
    this.baseLearningRate = state.baseLearningRate;
    this.sampler.setState(state.sampler);
    this.batchRandom.setState(state.batchRandom);
    this.augmentationRandom.setState(state.augmentationRandom);
    this.appliedLearningRate = this.learningRate();
    this.optimizer.setLearningRate(this.appliedLearningRate);
  }

  /** Labels of the test split on the host, in split order (empty without a test split). */
  testLabels(): Int32Array {
    return this.test?.hostLabels ?? new Int32Array(0);
  }

  /** Returns the optimizer's slot tensors, which the optimizer owns. */
  optimizerSlots(): tf.Tensor[] {
    return this.optimizer.slots().map((slot) => slot.tensor);
  }

  /** Frees the model, optimizer slots and pipeline constants. The splits belong to the caller. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.optimizer.dispose();
    this.pipeline.dispose();
    this.model.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('Trainer used after dispose');
  }
}

function summarise(
  labels: Int32Array,
  predicted: Int32Array,
  confidence: Float32Array,
  lossSum: number,
  numClasses: number,
): Evaluation {
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const truth = labels[i]!;
    const guess = predicted[i]!;
    confusion[truth]![guess]! += 1;
    if (truth === guess) correct += 1;
  }
  const perClassAccuracy = confusion.map((row, c) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    return total === 0 ? 0 : row[c]! / total;
  });
  return {
    loss: lossSum / labels.length,
    accuracy: correct / labels.length,
    perClassAccuracy,
    confusion,
    predicted,
    confidence,
  };
}
