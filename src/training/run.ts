// One training run: the loop around a Trainer that turns requests (pause,
// step, resume, stop, evaluate, new learning rate) into steps and steps into
// events. It never waits on requestAnimationFrame, so training goes on in a
// hidden tab, and it yields to the event loop after every step so control
// messages are handled between batches.

import type * as tf from '@tensorflow/tfjs';
import { classifyError, DivergedError } from './failures';
import type {
  BackendName,
  EpochRecord,
  RunHistory,
  RunState,
  StepRecord,
  TestPrediction,
  UserFacingError,
  WorkerEvent,
} from './protocol';
import type { Trainer } from './trainer';

/** Services a run uses from the worker around it. */
export interface RunHost {
  emit(event: WorkerEvent, transfer?: Transferable[]): void;
  /** Resolves after pending messages have been handled (a macrotask, not a frame). */
  yieldToEvents(): Promise<void>;
  now(): number;
  memory(): { numTensors: number; numBytes: number };
  /** 32x32 RGBA of test image `index`, for prediction thumbnails; null when unavailable. */
  testThumbnail?(index: number): Uint8ClampedArray | null;
}

export type { EpochRecord, RunHistory, StepRecord };

export interface RunOptions {
  backend: BackendName;
  /** Minimum time between progress events; steps in between are averaged into one point. */
  progressIntervalMs?: number;
  /** Misclassified and correct test predictions sent with each epoch event. */
  misclassifiedSamples?: number;
  correctSamples?: number;
  /** Series restored from a checkpoint. */
  history?: RunHistory;
  /** Called when the run has ended, before its tensors are freed (to keep a copy of the weights). */
  beforeDispose?(run: TrainingRun, state: RunState): Promise<void>;
  /** Called once the run has ended and released its tensors. */
  onFinished?(run: TrainingRun): void;
}

/**
 * A batch loss above this many times ln(classes), the loss of a uniform
 * guess, counts as divergence even while finite. At learning rate 10 the
 * tiny test network's loss jumps from 2.2 to 90-400 within five steps but
 * stays finite for many more, so waiting for NaN would keep training a
 * broken network.
 */
export const DIVERGENCE_FACTOR = 20;

/** How long a failed step waits for a device-lost report before it is classified. */
const DEVICE_LOST_GRACE_MS = 250;

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Shortest progress window, in seconds, whose images per second update the estimate. */
const MIN_RATE_WINDOW_S = 0.25;

/** Steps enqueued on the device beyond the one whose loss is being read. */
const MAX_STEPS_IN_FLIGHT = 2;

interface PendingStep {
  step: number;
  epoch: number;
  learningRate: number;
  images: number;
  values: Promise<Float32Array | Int32Array | Uint8Array>;
}

export class TrainingRun {
  state: RunState = 'building';
  readonly history: RunHistory;
  /** Error that ended the run when it failed or diverged, else null. */
  error: UserFacingError | null = null;

  private readonly inFlight: PendingStep[] = [];
  private pauseRequested = false;
  private stopRequested = false;
  private evaluationRequested = false;
  private singleSteps = 0;
  private fatal: UserFacingError | null = null;
  private wake: (() => void) | null = null;
  private loopDone: Promise<void> | null = null;

  /** Steps averaged into the next progress event. */
  private window = { steps: 0, lossSum: 0, correct: 0, images: 0 };
  /** Images read back since `startedAt`, for the throughput estimate; spans several progress points. */
  private rate = { images: 0, startedAt: 0 };
  private lastProgressAt = -Infinity;
  private imagesPerSecond = 0;
  private readonly progressIntervalMs: number;
  private readonly divergenceLoss: number;

  constructor(
    readonly runId: number,
    readonly trainer: Trainer,
    private readonly host: RunHost,
    private readonly options: RunOptions,
  ) {
    this.progressIntervalMs = options.progressIntervalMs ?? 100;
    this.divergenceLoss = DIVERGENCE_FACTOR * Math.log(Math.max(2, trainer.numClasses));
    this.history = options.history ?? { steps: [], epochs: [] };
  }

  /** Starts the loop, paused when `paused` is set (a restored checkpoint starts paused). */
  start(paused = false): Promise<void> {
    this.host.emit({
      type: 'run-started',
      runId: this.runId,
      backend: this.options.backend,
      trainableParams: this.trainer.plan.trainableParams,
      totalParams: this.trainer.plan.totalParams,
      stepsPerEpoch: this.trainer.stepsPerEpoch,
    });
    this.setState(paused ? 'paused' : 'training');
    this.emitMemory();
    this.loopDone = this.loop();
    return this.loopDone;
  }

  /** Resolves when the loop has ended and the run's tensors are freed. */
  finished(): Promise<void> {
    return this.loopDone ?? Promise.resolve();
  }

  /** The backend the run trains on. */
  get backend(): BackendName {
    return this.options.backend;
  }

  get isLive(): boolean {
    return this.state === 'training' || this.state === 'paused' || this.state === 'building';
  }

  pause(): void {
    if (this.state === 'training') {
      this.pauseRequested = true;
      this.signal();
    }
  }

  resume(): void {
    if (this.state === 'paused') {
      this.pauseRequested = false;
      this.setState('training');
      this.signal();
    }
  }

  /** Runs one batch while paused. */
  stepOnce(): void {
    if (this.state === 'paused') {
      this.singleSteps += 1;
      this.signal();
    }
  }

  stop(): void {
    if (!this.isLive) return;
    this.stopRequested = true;
    this.signal();
  }

  evaluate(): void {
    if (!this.isLive) return;
    this.evaluationRequested = true;
    this.signal();
  }

  /** Takes effect from the next step; the schedule's divisions still apply. */
  setLearningRate(learningRate: number): void {
    if (this.isLive) this.trainer.setBaseLearningRate(learningRate);
  }

  /** Ends the run with `error` as soon as the current batch is done (device lost, out of memory). */
  failWith(error: UserFacingError): void {
    if (!this.isLive) return;
    this.fatal ??= error;
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private waitForSignal(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private setState(state: RunState): void {
    this.state = state;
    this.host.emit({ type: 'run-state', runId: this.runId, state });
  }

  private emitMemory(): void {
    this.host.emit({ type: 'memory', runId: this.runId, ...this.host.memory() });
  }

  private async loop(): Promise<void> {
    let ending: { state: RunState; error: UserFacingError | null } = {
      state: 'stopped',
      error: null,
    };
    try {
      ending = await this.runSteps();
    } catch (error) {
      // A destroyed WebGPU device fails the pending read-back before its `lost`
      // promise resolves, so give the device-lost report a moment to arrive.
      if (!(error instanceof DivergedError) && !this.fatal) await delay(DEVICE_LOST_GRACE_MS);
      ending = this.classify(error);
    }
    await this.finish(ending);
  }

  private classify(error: unknown): { state: RunState; error: UserFacingError } {
    if (error instanceof DivergedError) {
      return {
        state: 'diverged',
        error: {
          code: 'run.diverged',
          params: {
            step: error.step,
            loss: Number.isFinite(error.loss) ? Number(error.loss.toFixed(3)) : String(error.loss),
            learningRate: error.learningRate,
          },
        },
      };
    }
    if (this.fatal) return { state: 'failed', error: this.fatal };
    return {
      state: 'failed',
      error: classifyError(error, {
        backend: this.options.backend,
        batchSize: this.trainer.batchSize,
      }),
    };
  }

  private async runSteps(): Promise<{ state: RunState; error: UserFacingError | null }> {
    const trainer = this.trainer;
    let paused = this.state === 'paused';
    this.restartRate();

    while (true) {
      if (this.fatal) return { state: 'failed', error: this.fatal };
      if (this.stopRequested) {
        await this.drain(0);
        this.flushProgress();
        return { state: 'stopped', error: null };
      }
      if (this.pauseRequested && !paused) {
        await this.drain(0);
        this.flushProgress();
        paused = true;
        this.pauseRequested = false;
        this.setState('paused');
        this.emitMemory();
      }
      if (this.state === 'training' && paused) {
        // resume() set the state; restart the throughput window so paused time does not count.
        paused = false;
        this.restartRate();
      }
      if (this.evaluationRequested) {
        this.evaluationRequested = false;
        await this.drain(0);
        this.flushProgress();
        await this.evaluateAndEmit(trainer.step / trainer.stepsPerEpoch);
        // Evaluation time is not training time.
        this.restartRate();
        continue;
      }
      if (trainer.step >= trainer.totalSteps) {
        await this.drain(0);
        this.flushProgress();
        return { state: 'done', error: null };
      }
      if (paused && this.singleSteps === 0) {
        await this.waitForSignal();
        continue;
      }

      const single = paused;
      if (single) {
        this.singleSteps -= 1;
        this.restartRate();
      }
      this.enqueueStep();
      await this.drain(single ? 0 : MAX_STEPS_IN_FLIGHT - 1);
      if (single) this.flushProgress();

      if (trainer.step % trainer.stepsPerEpoch === 0) {
        await this.drain(0);
        this.flushProgress();
        await this.evaluateAndEmit(trainer.step / trainer.stepsPerEpoch);
        // Evaluation time is not training time.
        this.restartRate();
      }
      await this.host.yieldToEvents();
    }
  }

  private enqueueStep(): void {
    const trainer = this.trainer;
    const learningRate = trainer.learningRate();
    const epoch = trainer.epoch + 1;
    const metrics: tf.Tensor = trainer.trainStep();
    const values = metrics.data().finally(() => metrics.dispose());
    // A rejection is handled when the step is drained; this stops it counting as unhandled meanwhile.
    values.catch(() => undefined);
    this.inFlight.push({
      step: trainer.step,
      epoch,
      learningRate,
      images: trainer.batchSize,
      values,
    });
  }

  /** Reads back steps until at most `keep` remain in flight, checking each loss on the host. */
  private async drain(keep: number): Promise<void> {
    while (this.inFlight.length > keep) {
      const pending = this.inFlight.shift()!;
      const [loss, correct] = await pending.values;
      // A failure reported while this step was on the device (out of memory,
      // a lost device) leaves its result untrustworthy, so it is not drawn.
      if (this.fatal) throw new Error(`step ${pending.step} read back after ${this.fatal.code}`);
      if (!Number.isFinite(loss) || loss! > this.divergenceLoss) {
        throw new DivergedError(pending.step, loss!, pending.learningRate);
      }
      this.window.steps += 1;
      this.window.lossSum += loss!;
      this.window.correct += correct!;
      this.window.images += pending.images;
      this.rate.images += pending.images;
      this.lastDrained = pending;
      const now = this.host.now();
      if (now - this.lastProgressAt >= this.progressIntervalMs) this.flushProgress();
    }
  }

  private lastDrained: PendingStep | null = null;

  /** Starts a new throughput window, dropping time spent paused or evaluating. */
  private restartRate(): void {
    this.rate = { images: 0, startedAt: this.host.now() };
  }

  /** Emits one progress point for the steps read back since the last one. */
  private flushProgress(): void {
    const last = this.lastDrained;
    if (this.window.steps === 0 || !last) return;
    const now = this.host.now();
    const elapsed = (now - this.rate.startedAt) / 1000;
    // A window of a few milliseconds (a point forced by a pause or an epoch
    // end right after another) tells little about throughput, so it keeps
    // accumulating until it is long enough.
    if (elapsed >= MIN_RATE_WINDOW_S || (this.imagesPerSecond === 0 && elapsed > 0)) {
      const rate = this.rate.images / elapsed;
      this.imagesPerSecond =
        this.imagesPerSecond === 0 ? rate : 0.7 * this.imagesPerSecond + 0.3 * rate;
      this.rate = { images: 0, startedAt: now };
    }
    const remainingImages = (this.trainer.totalSteps - last.step) * this.trainer.batchSize;
    // The first steps include shader compilation, so the estimate waits for a few.
    const etaSeconds =
      last.step >= 3 && this.imagesPerSecond > 0 ? remainingImages / this.imagesPerSecond : null;
    const point: StepRecord = {
      step: last.step,
      epoch: last.epoch,
      loss: this.window.lossSum / this.window.steps,
      accuracy: this.window.correct / this.window.images,
      learningRate: last.learningRate,
    };
    this.history.steps.push(point);
    this.host.emit({
      type: 'progress',
      runId: this.runId,
      ...point,
      imagesPerSecond: this.imagesPerSecond,
      etaSeconds,
    });
    this.window = { steps: 0, lossSum: 0, correct: 0, images: 0 };
    this.lastProgressAt = now;
    if (last.step === 1) this.emitMemory();
  }

  private async evaluateAndEmit(epoch: number): Promise<void> {
    const evaluation = await this.trainer.evaluate(() => this.stopRequested || this.fatal !== null);
    if (!evaluation) return;
    const featureReuse = await this.trainer.featureReuse();
    const predictions = this.samplePredictions(evaluation.predicted, evaluation.confidence);
    const record: EpochRecord = {
      epoch,
      step: this.trainer.step,
      testLoss: evaluation.loss,
      testAccuracy: evaluation.accuracy,
    };
    this.history.epochs.push(record);
    const transfer = predictions.flatMap((prediction) =>
      prediction.rgba ? [prediction.rgba.buffer] : [],
    );
    this.host.emit(
      {
        type: 'epoch',
        runId: this.runId,
        ...record,
        perClassAccuracy: evaluation.perClassAccuracy,
        confusion: evaluation.confusion,
        predictions,
        featureReuse,
      },
      transfer as Transferable[],
    );
    this.emitMemory();
  }

  /**
   * Picks the most confident mistakes and a few correct predictions, each
   * with its thumbnail, so the UI can show which classes the network confuses.
   */
  private samplePredictions(predicted: Int32Array, confidence: Float32Array): TestPrediction[] {
    const labels = this.trainer.testLabels();
    const wrong: number[] = [];
    const right: number[] = [];
    for (let i = 0; i < predicted.length; i++) (predicted[i] === labels[i] ? right : wrong).push(i);
    wrong.sort((a, b) => confidence[b]! - confidence[a]!);
    const chosen = [
      ...wrong.slice(0, this.options.misclassifiedSamples ?? 40),
      ...right.slice(0, this.options.correctSamples ?? 24),
    ];
    return chosen.map((index) => {
      const prediction: TestPrediction = {
        index,
        label: labels[index]!,
        predicted: predicted[index]!,
        confidence: confidence[index]!,
      };
      const rgba = this.host.testThumbnail?.(index);
      if (rgba) prediction.rgba = rgba;
      return prediction;
    });
  }

  private async finish(ending: { state: RunState; error: UserFacingError | null }): Promise<void> {
    // Steps still on the device are abandoned; their read-backs settle on their own.
    this.inFlight.length = 0;
    this.error = ending.error;
    if (ending.state === 'diverged') this.setState('diverged');
    if (ending.error) {
      console.warn(`run ${this.runId} ended: ${ending.error.code}`, ending.error.params);
      this.host.emit({ type: 'run-error', runId: this.runId, error: ending.error });
    }
    try {
      await this.options.beforeDispose?.(this, ending.state);
    } catch (error) {
      console.warn(`run ${this.runId}: keeping the trained model failed`, error);
    }
    try {
      this.trainer.dispose();
    } catch (error) {
      // A lost WebGPU device can make buffer release throw; the tensors are gone either way.
      console.warn(`run ${this.runId}: freeing tensors failed`, error);
    }
    if (ending.state !== 'diverged') this.setState(ending.state);
    this.emitMemory();
    this.options.onFinished?.(this);
  }
}
