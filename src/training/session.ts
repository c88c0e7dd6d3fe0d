// The worker's training side: routes every training request of protocol.ts
// to the backend chooser, the current run, checkpoints and saved models. It
// owns the one live run, drops requests whose run id is not the current
// one (stale messages from a run the user already replaced), and keeps the
// loaded subset on the device, uploading it again only when the data or
// the backend changes.

import * as tf from '@tensorflow/tfjs';
import type { LoadedDataset } from '../data/types';
import { planDenseNet } from '../densenet/plan';
import type { DenseNetConfig } from '../densenet/types';
import { validateConfig } from '../densenet/validate';
import { DeviceSplit } from './augment';
import {
  activeBackend,
  type BackendSelection,
  backendFusedMultiplyAdd,
  backendThreads,
  errorMessage,
  forgetBackend,
  selectBackend,
  type WatchedDevice,
  webgpuDevice,
} from './backend';
import {
  applyCheckpoint,
  type CheckpointStore,
  captureCheckpoint,
  type DatasetIdentity,
  toCheckpointInfo,
} from './checkpoint';
import { measureBackends } from './chooser';
import { classifyError, classifyGpuError } from './failures';
import type {
  BackendChoice,
  BackendName,
  RunState,
  TrainingSettings,
  UserFacingError,
  WorkerEvent,
  WorkerRequest,
} from './protocol';
import { checkLearningRate, checkSettings } from './recipes';
import { type RunHistory, TrainingRun } from './run';
import { type SavedFile, saveModelFiles } from './save';
import { Trainer } from './trainer';

export interface SessionHost {
  post(event: WorkerEvent, transfer?: Transferable[]): void;
  /** The subset the data handlers loaded last, or null. */
  dataset(): LoadedDataset | null;
  yieldToEvents(): Promise<void>;
  now(): number;
  /** IndexedDB checkpoints; null where IndexedDB is unavailable. */
  checkpoints: CheckpointStore | null;
  /** True where the page is cross-origin isolated (reported with the backend). */
  crossOriginIsolated: boolean;
}

type RunRequest = Extract<WorkerRequest, { runId: number }>;

interface DeviceData {
  dataset: LoadedDataset;
  backend: BackendName;
  train: DeviceSplit;
  test: DeviceSplit | null;
}

/** A finished run's weights, kept on the host so "save" still works after its tensors are freed. */
interface FinishedRun {
  runId: number;
  files: SavedFile[] | null;
}

export class TrainingSession {
  private run: TrainingRun | null = null;
  /** The run the UI last started or restored; requests for other ids are stale. */
  private currentRunId: number | null = null;
  private runConfig: {
    config: DenseNetConfig;
    settings: TrainingSettings;
    data: DatasetIdentity;
  } | null = null;
  private finishedRun: FinishedRun | null = null;
  private selection: BackendSelection | null = null;
  private backendChoice: BackendChoice = 'auto';
  /**
   * Backend that must be created again before use, because its WebGPU device
   * was lost, or because it ran out of memory and its buffer pool may contain
   * buffers the device never allocated.
   */
  private staleBackend: BackendName | null = null;
  /** Device of the WebGPU backend that TF.js uses, the only device whose reports count. */
  private watchedDevice: WatchedDevice | null = null;
  private deviceData: DeviceData | null = null;
  /** Serialises requests that switch backends or build models. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly host: SessionHost) {}

  /** Handles a training request and returns true, or returns false for any other message. */
  handle(request: WorkerRequest): boolean {
    switch (request.type) {
      case 'select-backend':
        this.enqueue(() => this.selectBackend(request.backend, true));
        return true;
      case 'measure-backends':
        this.enqueue(() => this.measure(request.requestId, request.config, request.batchSize));
        return true;
      case 'list-checkpoints':
        void this.listCheckpoints(request.requestId);
        return true;
      case 'train':
        this.currentRunId = request.runId;
        this.enqueue(() => this.train(request.runId, request.config, request.settings));
        return true;
      case 'restore':
        this.currentRunId = request.runId;
        this.enqueue(() => this.restore(request.runId, request.checkpointId));
        return true;
      case 'pause':
      case 'resume':
      case 'step':
      case 'stop':
      case 'reset':
      case 'set-learning-rate':
      case 'evaluate':
      case 'save-model':
      case 'checkpoint':
      case 'debug-lose-device':
      case 'debug-device-error':
        this.handleRunRequest(request);
        return true;
      default:
        return false;
    }
  }

  /** Reports an error nothing else caught (an unhandled rejection) against the live run. */
  reportUnexpected(error: unknown): void {
    const detail = errorMessage(error);
    console.error('training worker: unexpected error', error);
    if (this.currentRunId === null) return;
    if (this.run?.isLive) {
      this.run.failWith(
        classifyError(error, { backend: activeBackend(), batchSize: this.run.trainer.batchSize }),
      );
      return;
    }
    this.post({
      type: 'run-error',
      runId: this.currentRunId,
      error: { code: 'run.unexpected', params: { detail } },
    });
  }

  /** Called when the device of the WebGPU backend is lost. */
  deviceLost(detail: string): void {
    console.warn('WebGPU device lost:', detail);
    this.staleBackend = 'webgpu';
    this.watchedDevice = null;
    // The device's buffers are gone with it; nothing to dispose.
    if (this.deviceData?.backend === 'webgpu') this.deviceData = null;
    if (this.run?.backend === 'webgpu') {
      this.run.failWith({ code: 'run.deviceLost', params: { backend: 'webgpu', detail } });
    }
  }

  private post(event: WorkerEvent, transfer?: Transferable[]): void {
    this.host.post(event, transfer);
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error) => this.reportUnexpected(error));
  }

  private handleRunRequest(request: RunRequest): void {
    if (request.runId !== this.currentRunId) {
      console.debug(
        `dropping stale ${request.type} for run ${request.runId}; current is ${this.currentRunId}`,
      );
      return;
    }
    const run = this.run?.runId === request.runId ? this.run : null;
    switch (request.type) {
      case 'pause':
        run?.pause();
        break;
      case 'resume':
        run?.resume();
        break;
      case 'step':
        run?.stepOnce();
        break;
      case 'stop':
        run?.stop();
        break;
      case 'evaluate':
        run?.evaluate();
        break;
      case 'set-learning-rate': {
        const problem = checkLearningRate(request.learningRate);
        if (problem) this.post({ type: 'run-error', runId: request.runId, error: problem });
        else run?.setLearningRate(request.learningRate);
        break;
      }
      case 'reset':
        this.enqueue(() => this.reset(request.runId));
        break;
      case 'save-model':
        void this.saveModel(request.runId);
        break;
      case 'checkpoint':
        void this.checkpoint(request.runId);
        break;
      case 'debug-lose-device':
        this.loseDevice();
        break;
      case 'debug-device-error':
        this.raiseDeviceError(request.kind);
        break;
    }
  }

  // ---- backend ----------------------------------------------------------

  private async selectBackend(choice: BackendChoice, always: boolean): Promise<void> {
    if (!always && this.selection && choice === this.backendChoice && !this.staleBackend) return;
    await this.stopRun();
    this.forgetStaleBackend();
    this.backendChoice = choice;
    this.selection = await selectBackend(choice);
    this.watchDevice();
    this.post({
      type: 'backend',
      backend: this.selection.backend,
      fallbackFrom: this.selection.fallbackFrom,
      reason: this.selection.reason,
      attempts: this.selection.attempts,
      threads: backendThreads(this.selection.backend),
      fusedMultiplyAdd: backendFusedMultiplyAdd(this.selection.backend),
      crossOriginIsolated: this.host.crossOriginIsolated,
    });
  }

  /** Drops a backend marked stale, with the subset uploaded to it, so its next use starts afresh. */
  private forgetStaleBackend(): void {
    const stale = this.staleBackend;
    if (!stale) return;
    if (this.deviceData?.backend === stale) this.releaseDeviceData();
    if (stale === 'webgpu') this.watchedDevice = null;
    forgetBackend(stale);
    this.staleBackend = null;
  }

  /** Listens for the loss of, and errors from, the WebGPU device that TF.js now uses. */
  private watchDevice(): void {
    const device = webgpuDevice();
    if (!device || device === this.watchedDevice) return;
    this.watchedDevice = device;
    void device.lost.then((info) => {
      // Only the device TF.js still uses matters, because an older one was replaced on purpose.
      if (this.watchedDevice === device) {
        this.deviceLost(info.message || info.reason || 'unknown reason');
      }
    });
    device.addEventListener('uncapturederror', (event) => {
      const error = { name: event.error.constructor.name, message: event.error.message };
      console.warn(`WebGPU ${error.name}: ${error.message}`);
      if (this.watchedDevice !== device) return;
      const run = this.run;
      if (run?.backend === 'webgpu' && run.isLive) {
        run.failWith(classifyGpuError(error, { batchSize: run.trainer.batchSize }));
      }
    });
  }

  private loseDevice(): void {
    const device = webgpuDevice();
    if (!device) {
      console.warn('debug-lose-device: the active backend is not WebGPU');
      return;
    }
    device.destroy();
  }

  /**
   * Makes the WebGPU device report an error during a run, the way a real one
   * arrives: 'out-of-memory' delivers a GPUOutOfMemoryError to the device's
   * 'uncapturederror' listeners, and 'oversize-tensor' requests from TF.js a
   * tensor one element larger than the device's maxBufferSize, which the
   * device rejects with a GPUValidationError without allocating anything.
   */
  private raiseDeviceError(kind: 'out-of-memory' | 'oversize-tensor'): void {
    const device = webgpuDevice();
    if (!device) {
      console.warn('debug-device-error: the active backend is not WebGPU');
      return;
    }
    if (kind === 'out-of-memory') {
      const gpu = globalThis as unknown as {
        GPUOutOfMemoryError: new (message: string) => object;
        GPUUncapturedErrorEvent: new (type: string, init: { error: object }) => Event;
      };
      const error = new gpu.GPUOutOfMemoryError('test hook: allocation failed');
      device.dispatchEvent(new gpu.GPUUncapturedErrorEvent('uncapturederror', { error }));
      return;
    }
    // tf.fill runs on the device; tf.zeros would first fill a typed array of that size on the host.
    const elements = Math.floor(device.limits.maxBufferSize / 4) + 1;
    tf.fill([elements], 0).dispose();
  }

  private async measure(
    requestId: number,
    config: DenseNetConfig,
    batchSize: number,
  ): Promise<void> {
    await this.stopRun();
    this.releaseDeviceData();
    this.forgetStaleBackend();
    let result: Awaited<ReturnType<typeof measureBackends>>;
    let chosen: BackendName;
    try {
      result = await measureBackends(config, batchSize);
      chosen = result.chosen ?? (await selectBackend('auto')).backend;
    } catch (error) {
      console.error('training worker: measuring backends failed', error);
      this.post({
        type: 'backend-measure-failed',
        requestId,
        error: { code: 'backend.measureAllFailed', params: { detail: errorMessage(error) } },
      });
      return;
    }
    this.post({
      type: 'backend-measurements',
      requestId,
      imagesPerSecond: result.imagesPerSecond,
      chosen,
    });
    // A later 'auto' keeps the measured backend instead of repeating the automatic order.
    this.backendChoice = 'auto';
    this.selection = { backend: chosen, fallbackFrom: null, reason: null, attempts: [] };
    this.watchDevice();
    this.post({
      type: 'backend',
      backend: chosen,
      fallbackFrom: null,
      reason: null,
      threads: backendThreads(chosen),
      fusedMultiplyAdd: backendFusedMultiplyAdd(chosen),
      crossOriginIsolated: this.host.crossOriginIsolated,
    });
  }

  // ---- data on the device -----------------------------------------------

  private releaseDeviceData(): void {
    if (!this.deviceData) return;
    this.deviceData.train.dispose();
    this.deviceData.test?.dispose();
    this.deviceData = null;
  }

  /** Returns the loaded subset on the active backend, uploading it once per dataset and backend. */
  private deviceSplits(dataset: LoadedDataset): DeviceData {
    const backend = activeBackend();
    const current = this.deviceData;
    if (current && current.dataset === dataset && current.backend === backend) return current;
    this.releaseDeviceData();
    const train = DeviceSplit.upload(dataset.train.images, dataset.train.labels);
    const test =
      dataset.test.count > 0 ? DeviceSplit.upload(dataset.test.images, dataset.test.labels) : null;
    this.deviceData = { dataset, backend, train, test };
    return this.deviceData;
  }

  // ---- runs ---------------------------------------------------------------

  private async stopRun(): Promise<void> {
    const run = this.run;
    if (!run) return;
    run.stop();
    await run.finished();
  }

  private fail(runId: number, error: UserFacingError, state: RunState = 'failed'): void {
    this.post({ type: 'run-error', runId, error });
    this.post({ type: 'run-state', runId, state });
  }

  /** Checks a train request; returns the problem, or the plan and dataset to train with. */
  private checkTrainRequest(
    config: DenseNetConfig,
    settings: TrainingSettings,
  ): { error: UserFacingError } | { dataset: LoadedDataset } {
    const settingsProblem = checkSettings(settings);
    if (settingsProblem) return { error: settingsProblem };
    const validation = validateConfig(config);
    if (!validation.ok) {
      const issue = validation.issues[0]!;
      return {
        error: { code: issue.code, params: { field: String(issue.field), ...issue.params } },
      };
    }
    const dataset = this.host.dataset();
    if (!dataset) return { error: { code: 'run.noData', params: {} } };
    if (dataset.train.count < 1)
      return {
        error: { code: 'run.tooFewImages', params: { count: dataset.train.count, minimum: 1 } },
      };
    if (config.numClasses !== dataset.classNames.length) {
      return {
        error: {
          code: 'run.classMismatch',
          params: { configClasses: config.numClasses, dataClasses: dataset.classNames.length },
        },
      };
    }
    return { dataset };
  }

  private async train(
    runId: number,
    config: DenseNetConfig,
    settings: TrainingSettings,
  ): Promise<void> {
    const checked = this.checkTrainRequest(config, settings);
    await this.stopRun();
    if (runId !== this.currentRunId) return;
    if ('error' in checked) {
      this.fail(runId, checked.error);
      return;
    }
    const dataset = checked.dataset;
    this.finishedRun = null;
    this.post({ type: 'run-state', runId, state: 'building' });
    await this.selectBackend(settings.backend, false);

    let trainer: Trainer;
    try {
      const data = this.deviceSplits(dataset);
      trainer = new Trainer({
        plan: planDenseNet(config),
        settings,
        train: data.train,
        test: data.test,
      });
    } catch (error) {
      const problem = classifyError(error, {
        backend: activeBackend(),
        batchSize: settings.batchSize,
      });
      this.noteFailure(problem, activeBackend());
      this.fail(runId, problem);
      return;
    }
    this.runConfig = { config, settings, data: datasetIdentity(dataset) };
    this.startRun(runId, trainer, dataset, null, false);
  }

  private startRun(
    runId: number,
    trainer: Trainer,
    dataset: LoadedDataset,
    history: RunHistory | null,
    paused: boolean,
  ): void {
    const run = new TrainingRun(
      runId,
      trainer,
      {
        emit: (event, transfer) => this.post(event, transfer),
        yieldToEvents: () => this.host.yieldToEvents(),
        now: () => this.host.now(),
        memory: () => {
          const memory = tf.memory();
          return { numTensors: memory.numTensors, numBytes: memory.numBytes };
        },
        testThumbnail: (index) => thumbnail(dataset, index),
      },
      {
        backend: activeBackend(),
        ...(history ? { history } : {}),
        beforeDispose: async (finished, state) => {
          // Keep the weights on the host so the model can still be saved after its tensors are freed.
          if (state === 'stopped' || state === 'done') {
            this.finishedRun = { runId, files: await this.modelFiles(finished.trainer, dataset) };
          }
        },
        onFinished: (finished) => {
          if (this.run === finished) this.run = null;
          this.noteFailure(finished.error, finished.backend);
        },
      },
    );
    this.run = run;
    void run.start(paused);
  }

  /** Marks a WebGPU backend that ran out of memory to be created again before its next use. */
  private noteFailure(error: UserFacingError | null, backend: BackendName): void {
    if (error?.code === 'run.outOfMemory' && backend === 'webgpu') this.staleBackend = backend;
  }

  private async reset(runId: number): Promise<void> {
    await this.stopRun();
    if (this.finishedRun?.runId === runId) this.finishedRun = null;
    const memory = tf.memory();
    this.post({ type: 'memory', runId, numTensors: memory.numTensors, numBytes: memory.numBytes });
    this.post({ type: 'run-state', runId, state: 'idle' });
  }

  // ---- saving -------------------------------------------------------------

  private modelFiles(trainer: Trainer, dataset: LoadedDataset): Promise<SavedFile[]> {
    return saveModelFiles(trainer.model, {
      classNames: dataset.classNames,
      trainedSteps: trainer.step,
    });
  }

  private async saveModel(runId: number): Promise<void> {
    try {
      let files: SavedFile[] | null = null;
      const run = this.run;
      const dataset = this.host.dataset();
      if (run?.runId === runId && run.isLive && dataset) {
        files = await this.modelFiles(run.trainer, dataset);
      } else if (this.finishedRun?.runId === runId) {
        files =
          this.finishedRun.files?.map((file) => ({ name: file.name, data: file.data.slice(0) })) ??
          null;
      }
      if (!files) {
        this.post({ type: 'run-error', runId, error: { code: 'run.notFound', params: { runId } } });
        return;
      }
      this.post(
        { type: 'model-saved', runId, files },
        files.map((file) => file.data),
      );
    } catch (error) {
      this.post({
        type: 'run-error',
        runId,
        error: { code: 'save.failed', params: { detail: errorMessage(error) } },
      });
    }
  }

  private async checkpoint(runId: number): Promise<void> {
    const store = this.host.checkpoints;
    const run = this.run;
    if (!store) {
      this.post({
        type: 'run-error',
        runId,
        error: { code: 'checkpoint.unavailable', params: {} },
      });
      return;
    }
    if (run?.runId !== runId || !run.isLive || !this.runConfig) {
      this.post({ type: 'run-error', runId, error: { code: 'run.notFound', params: { runId } } });
      return;
    }
    try {
      const checkpoint = await captureCheckpoint(run.trainer, run, {
        ...this.runConfig,
        now: Date.now(),
      });
      const summary = await store.save(checkpoint);
      this.post({ type: 'checkpoint-saved', runId, checkpoint: toCheckpointInfo(summary) });
    } catch (error) {
      this.post({
        type: 'run-error',
        runId,
        error: { code: 'checkpoint.failed', params: { detail: errorMessage(error) } },
      });
    }
  }

  private async listCheckpoints(requestId: number): Promise<void> {
    const store = this.host.checkpoints;
    let entries: Awaited<ReturnType<CheckpointStore['list']>> = [];
    if (store) {
      try {
        entries = await store.list();
      } catch (error) {
        console.warn('listing checkpoints failed', error);
      }
    }
    this.post({ type: 'checkpoint-list', requestId, entries: entries.map(toCheckpointInfo) });
  }

  private async restore(runId: number, checkpointId: string): Promise<void> {
    await this.stopRun();
    if (runId !== this.currentRunId) return;
    const store = this.host.checkpoints;
    if (!store) {
      this.fail(runId, { code: 'checkpoint.unavailable', params: {} });
      return;
    }
    let checkpoint: Awaited<ReturnType<CheckpointStore['load']>>;
    try {
      checkpoint = await store.load(checkpointId);
    } catch (error) {
      this.fail(runId, { code: 'checkpoint.failed', params: { detail: errorMessage(error) } });
      return;
    }
    if (!checkpoint) {
      this.fail(runId, { code: 'checkpoint.notFound', params: { checkpointId } });
      return;
    }
    const { summary, data } = checkpoint;
    const checked = this.checkTrainRequest(summary.config, summary.settings);
    if ('error' in checked) {
      this.fail(runId, checked.error);
      return;
    }
    const dataset = checked.dataset;
    const identity = datasetIdentity(dataset);
    if (
      identity.trainCount !== summary.data.trainCount ||
      identity.dataset !== summary.data.dataset
    ) {
      this.fail(runId, { code: 'checkpoint.incompatible', params: { checkpointId } });
      return;
    }

    this.finishedRun = null;
    this.post({ type: 'run-state', runId, state: 'building' });
    await this.selectBackend(summary.settings.backend, false);
    let trainer: Trainer | null = null;
    try {
      const splits = this.deviceSplits(dataset);
      trainer = new Trainer({
        plan: planDenseNet(summary.config),
        settings: summary.settings,
        train: splits.train,
        test: splits.test,
      });
      applyCheckpoint(trainer, data);
    } catch (error) {
      trainer?.dispose();
      this.fail(runId, {
        code: 'checkpoint.incompatible',
        params: { checkpointId, detail: errorMessage(error) },
      });
      return;
    }
    this.runConfig = { config: summary.config, settings: summary.settings, data: summary.data };
    this.post({
      type: 'run-restored',
      runId,
      checkpointId,
      config: summary.config,
      settings: summary.settings,
      history: data.history,
    });
    this.startRun(runId, trainer, dataset, data.history, true);
  }
}

function datasetIdentity(dataset: LoadedDataset): DatasetIdentity {
  return {
    dataset: dataset.dataset,
    trainCount: dataset.train.count,
    testCount: dataset.test.count,
    seed: dataset.seed,
  };
}

/** Test image `index` as 32x32 RGBA. */
function thumbnail(dataset: LoadedDataset, index: number): Uint8ClampedArray | null {
  const { images, count } = dataset.test;
  if (index < 0 || index >= count) return null;
  const rgba = new Uint8ClampedArray(32 * 32 * 4);
  const offset = index * 32 * 32 * 3;
  for (let p = 0; p < 32 * 32; p++) {
    rgba[p * 4] = images[offset + p * 3]!;
    rgba[p * 4 + 1] = images[offset + p * 3 + 1]!;
    rgba[p * 4 + 2] = images[offset + p * 3 + 2]!;
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}
