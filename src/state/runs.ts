// Runs and their metric series, and the pure reducer that folds worker events
// into them. The store calls `reduceWorkerEvent`; unit tests call it directly.

import type { DenseNetConfig } from '../densenet/types';
import type {
  BackendFallbackStep,
  BackendName,
  CheckpointInfo,
  FeatureReuseMatrix,
  RunState,
  TestPrediction,
  TrainingSettings,
  UserFacingError,
  WorkerEvent,
} from '../training/protocol';

export interface StepPoint {
  step: number;
  epoch: number;
  loss: number;
  accuracy: number;
  learningRate: number;
}

export interface EpochPoint {
  epoch: number;
  step: number;
  testLoss: number;
  testAccuracy: number;
}

export interface EpochEvaluation {
  epoch: number;
  perClassAccuracy: number[];
  confusion: number[][];
  predictions: TestPrediction[];
  featureReuse: FeatureReuseMatrix;
}

export interface RunRecord {
  id: number;
  config: DenseNetConfig;
  settings: TrainingSettings;
  /** Index into the run palette, fixed when the run starts so colours never shift. */
  colorIndex: number;
  visible: boolean;
  state: RunState;
  backend: BackendName | null;
  trainableParams: number | null;
  totalParams: number | null;
  stepsPerEpoch: number | null;
  /**
   * Append-only series. The reducer pushes into these arrays in place and
   * bumps `version`, so appending a point costs O(1) instead of copying the
   * whole history on every progress event.
   */
  steps: StepPoint[];
  epochs: EpochPoint[];
  evaluation: EpochEvaluation | null;
  imagesPerSecond: number | null;
  etaSeconds: number | null;
  learningRate: number;
  error: UserFacingError | null;
  memory: { numTensors: number; numBytes: number } | null;
  version: number;
}

export interface BackendInfo {
  backend: BackendName;
  fallbackFrom: BackendName | null;
  reason: UserFacingError | null;
  /** Every backend passed over while choosing, each with its reason. */
  attempts: BackendFallbackStep[];
  threads: number;
  /** wasm only: the convolutions run with fused multiply-adds (relaxed SIMD). */
  fusedMultiplyAdd: boolean;
  crossOriginIsolated: boolean;
}

export interface RunsState {
  runs: RunRecord[];
  activeRunId: number | null;
  backend: BackendInfo | null;
  backendMeasurements: {
    imagesPerSecond: Partial<Record<BackendName, number>>;
    chosen: BackendName;
    /** The backend in use before measuring, whose fallback explanation stays on screen. */
    selectedBefore: BackendInfo | null;
  } | null;
  /** The request id of a 'measure-backends' request that has no response yet. */
  backendMeasuring: number | null;
  /** The reason the last measurement failed as a whole, or null. */
  backendMeasureError: UserFacingError | null;
  classNames: string[];
  /** Latest epoch summary for the screen reader live region. */
  announcement: { key: string; params: Record<string, string | number> } | null;
  /** Checkpoints saved in this browser, newest last. */
  checkpoints: CheckpointInfo[];
  /** Model files the worker sent for download; the UI clears them once saved. */
  savedModel: { runId: number; files: { name: string; data: ArrayBuffer }[] } | null;
}

/** The app state that worker events change: the runs, and the settings whose backend a measurement sets. */
export interface WorkerEventState extends RunsState {
  settings: TrainingSettings;
}

export const PALETTE_SIZE = 7;

export function createRun(
  id: number,
  config: DenseNetConfig,
  settings: TrainingSettings,
  colorIndex: number,
): RunRecord {
  return {
    id,
    config,
    settings,
    colorIndex,
    visible: true,
    state: 'building',
    backend: null,
    trainableParams: null,
    totalParams: null,
    stepsPerEpoch: null,
    steps: [],
    epochs: [],
    evaluation: null,
    imagesPerSecond: null,
    etaSeconds: null,
    learningRate: settings.learningRate,
    error: null,
    memory: null,
    version: 0,
  };
}

/** Picks the palette slot used least by the runs on screen. */
export function nextColorIndex(runs: readonly RunRecord[]): number {
  const uses = new Array<number>(PALETTE_SIZE).fill(0);
  for (const run of runs) uses[run.colorIndex % PALETTE_SIZE]! += 1;
  let best = 0;
  for (let i = 1; i < PALETTE_SIZE; i++) if (uses[i]! < uses[best]!) best = i;
  return best;
}

function updateRun(
  state: WorkerEventState,
  runId: number,
  update: (run: RunRecord) => Partial<RunRecord>,
): Partial<RunsState> | null {
  const index = state.runs.findIndex((run) => run.id === runId);
  if (index < 0) return null;
  const run = state.runs[index]!;
  const runs = state.runs.slice();
  runs[index] = { ...run, ...update(run), version: run.version + 1 };
  return { runs };
}

/**
 * Returns the state change a worker event causes, or null when it changes
 * nothing here (events for unknown runs, or ones another store handles).
 */
export function reduceWorkerEvent(
  state: WorkerEventState,
  event: WorkerEvent,
): Partial<WorkerEventState> | null {
  switch (event.type) {
    case 'backend':
      return {
        backend: {
          backend: event.backend,
          fallbackFrom: event.fallbackFrom,
          reason: event.reason,
          attempts: event.attempts ?? [],
          threads: event.threads,
          fusedMultiplyAdd: event.fusedMultiplyAdd,
          crossOriginIsolated: event.crossOriginIsolated,
        },
      };
    case 'backend-measure-failed':
      return {
        backendMeasuring:
          state.backendMeasuring === event.requestId ? null : state.backendMeasuring,
        backendMeasureError: event.error,
      };
    case 'backend-measurements':
      return {
        backendMeasuring:
          state.backendMeasuring === event.requestId ? null : state.backendMeasuring,
        backendMeasureError: null,
        // The worker follows this event with a 'backend' event that has no fallback reason.
        backendMeasurements: {
          imagesPerSecond: event.imagesPerSecond,
          chosen: event.chosen,
          selectedBefore: state.backend,
        },
        // The worker now trains on the measured backend whatever the menu showed, a forced
        // backend included, so the menu shows it too and the next Train keeps it.
        settings:
          state.settings.backend === event.chosen
            ? state.settings
            : { ...state.settings, backend: event.chosen },
      };
    case 'data-ready':
      return { classNames: event.classNames };
    case 'run-state':
      // The worker reports 'idle' after a reset has freed the model. The run keeps its curves,
      // so it keeps its final state, or shows as stopped when reset while live.
      return updateRun(state, event.runId, (run) => {
        if (event.state !== 'idle') return { state: event.state };
        return { state: isRunLive(run) ? 'stopped' : run.state };
      });
    case 'run-started':
      return updateRun(state, event.runId, () => ({
        backend: event.backend,
        trainableParams: event.trainableParams,
        totalParams: event.totalParams,
        stepsPerEpoch: event.stepsPerEpoch,
        state: 'training',
      }));
    case 'progress':
      return updateRun(state, event.runId, (run) => {
        run.steps.push({
          step: event.step,
          epoch: event.epoch,
          loss: event.loss,
          accuracy: event.accuracy,
          learningRate: event.learningRate,
        });
        return {
          imagesPerSecond: event.imagesPerSecond,
          etaSeconds: event.etaSeconds,
          learningRate: event.learningRate,
        };
      });
    case 'epoch': {
      const change = updateRun(state, event.runId, (run) => {
        run.epochs.push({
          epoch: event.epoch,
          step: event.step,
          testLoss: event.testLoss,
          testAccuracy: event.testAccuracy,
        });
        return {
          evaluation: {
            epoch: event.epoch,
            perClassAccuracy: event.perClassAccuracy,
            confusion: event.confusion,
            predictions: event.predictions,
            featureReuse: event.featureReuse,
          },
        };
      });
      if (!change) return null;
      return {
        ...change,
        announcement: {
          key: 'ui.announce.epoch',
          params: {
            run: event.runId,
            epoch: event.epoch,
            loss: Number.isFinite(event.testLoss)
              ? event.testLoss.toFixed(3)
              : String(event.testLoss),
            accuracy: Number.isFinite(event.testAccuracy)
              ? (event.testAccuracy * 100).toFixed(1)
              : String(event.testAccuracy),
          },
        },
      };
    }
    case 'run-restored':
      // The curves up to the checkpoint come back with the run; the run itself starts paused.
      return updateRun(state, event.runId, () => ({
        config: event.config,
        settings: event.settings,
        steps: event.history.steps.map((point) => ({ ...point })),
        epochs: event.history.epochs.map((point) => ({ ...point })),
        learningRate: event.history.steps.at(-1)?.learningRate ?? event.settings.learningRate,
        error: null,
      }));
    case 'checkpoint-saved':
      return {
        checkpoints: [
          ...state.checkpoints.filter(
            (entry) => entry.checkpointId !== event.checkpoint.checkpointId,
          ),
          event.checkpoint,
        ],
      };
    case 'checkpoint-list':
      return { checkpoints: [...event.entries].sort((a, b) => a.savedAt - b.savedAt) };
    case 'model-saved':
      return { savedModel: { runId: event.runId, files: event.files } };
    case 'memory':
      return updateRun(state, event.runId, () => ({
        memory: { numTensors: event.numTensors, numBytes: event.numBytes },
      }));
    case 'worker-failed': {
      // Every live run has lost its worker; their curves stay on screen.
      const error = { code: 'ui.error.workerFailed', params: { details: event.details } };
      const runs = state.runs.map((run) =>
        isRunLive(run)
          ? { ...run, error, state: 'failed' as const, version: run.version + 1 }
          : run,
      );
      return runs.some((run, index) => run !== state.runs[index]) ? { runs } : null;
    }
    case 'run-error':
      // The run's series stay as they are, so its curves remain on screen.
      return updateRun(state, event.runId, (run) => ({
        error: event.error,
        state: run.state === 'diverged' ? 'diverged' : 'failed',
      }));
    default:
      return null;
  }
}

/**
 * Returns the images per second the progress line shows. The rate is live only while the run
 * trains. After a pause, stop, finish, failure or divergence it is the last rate measured.
 * Null before the first progress event.
 */
export function throughputReadout(
  run: RunRecord,
): { imagesPerSecond: number; live: boolean } | null {
  if (run.imagesPerSecond === null) return null;
  return { imagesPerSecond: run.imagesPerSecond, live: run.state === 'training' };
}

/** True while the worker is building or training the run, or keeps it paused. */
export function isRunLive(run: RunRecord | undefined | null): boolean {
  return !!run && (run.state === 'building' || run.state === 'training' || run.state === 'paused');
}
