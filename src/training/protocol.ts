// Typed messages between the UI thread and the training worker. This is the
// only module that both sides import. Every message is plain data that
// structuredClone accepts (no class instances, functions or tensors), and
// user-facing failures travel as a code plus parameters so the UI can word
// them in the reader's language.

import type { DenseNetConfig } from '../densenet/types';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;

export type RecipeName = 'paper' | 'classroom';
export type OptimizerName = 'sgd' | 'adam';
export type LearningRateSchedule = 'step' | 'constant';

/** Training hyperparameters; every field is editable in the UI. */
export interface TrainingSettings {
  recipe: RecipeName;
  optimizer: OptimizerName;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** 'step' divides the learning rate by 10 at 50% and 75% of the epochs. */
  schedule: LearningRateSchedule;
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
  /** 4-pixel zero padding, random 32x32 crop and horizontal flip. */
  augment: boolean;
  seed: number;
  backend: BackendChoice;
}

/**
 * The CIFAR recipe of Huang et al., "Densely Connected Convolutional
 * Networks" (CVPR 2017), section 4.2: SGD with Nesterov momentum 0.9, weight
 * decay 1e-4, batch 64 for 300 epochs, learning rate 0.1 divided by 10 at 50%
 * and 75% of the epochs, with the standard crop-and-flip augmentation.
 */
export const PAPER_RECIPE: TrainingSettings = {
  recipe: 'paper',
  optimizer: 'sgd',
  epochs: 300,
  batchSize: 64,
  learningRate: 0.1,
  schedule: 'step',
  momentum: 0.9,
  nesterov: true,
  weightDecay: 1e-4,
  augment: true,
  seed: 1,
  backend: 'auto',
};

/**
 * A recipe for a few hundred steps on 1,000-4,000 images: Adam at a constant
 * 0.003 without weight decay. In bench/recipes.mjs (200 steps of batch 32 on
 * 2,000 real CIFAR-10 images, DenseNet-BC L=10 k=8, one seed) it reached
 * 33.6% test accuracy, against 26.2% for Adam at 0.001 and 27.6% for SGD
 * with Nesterov momentum at 0.1; docs/benchmarks.md has the full table.
 */
export const CLASSROOM_RECIPE: TrainingSettings = {
  recipe: 'classroom',
  optimizer: 'adam',
  epochs: 10,
  batchSize: 32,
  learningRate: 0.003,
  schedule: 'constant',
  momentum: 0.9,
  nesterov: false,
  weightDecay: 0,
  augment: true,
  seed: 1,
  backend: 'auto',
};

/** Source of the CIFAR records the worker reads. */
export type DatasetSource =
  | { kind: 'files'; files: File[] }
  | { kind: 'archive'; file: File }
  | { kind: 'url-binary'; trainUrl: string; testUrl: string; metaUrl?: string }
  | { kind: 'parquet'; trainUrl: string; testUrl: string }
  | { kind: 'cache'; cacheId: string };

/**
 * Largest data file the worker reads (a picked file, a streamed URL, or a
 * parquet file downloaded whole). The official CIFAR archives are about 163 MiB.
 */
export const MAX_DATA_FILE_BYTES = 256 * 1024 * 1024;

export type DatasetName = 'cifar10' | 'cifar100';
export type LabelMode = 'fine' | 'coarse';

export interface DatasetRequest {
  source: DatasetSource;
  dataset: DatasetName;
  labelMode: LabelMode;
  trainSize: number;
  testSize: number;
  seed: number;
}

/** A failure the user can act on: `code` keys a message in the i18n catalogues. */
export interface UserFacingError {
  code: string;
  params: Record<string, string | number>;
}

export interface FeatureReuseMatrix {
  /** One row per block, then one per transition: label for the heatmap axis. */
  blocks: {
    block: number;
    /** weights[target][source]: mean |w| of layer `target` (1-based; 0 unused) on source `source` (0 = block input). */
    weights: number[][];
    /** Mean |w| of the following transition (or classifier) on each source. */
    transition: number[];
  }[];
}

export interface TestPrediction {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  /**
   * The test image as 32x32 RGBA (4,096 bytes), for the UI's gallery. Optional
   * so the worker can send pixels for only the predictions the gallery shows
   * (for example every misclassified image and a few correct ones).
   */
  rgba?: Uint8ClampedArray;
}

/** One progress point of a run's training curve (the mean over the steps since the previous point). */
export interface StepRecord {
  step: number;
  epoch: number;
  loss: number;
  accuracy: number;
  learningRate: number;
}

/** One point of a run's test curve. */
export interface EpochRecord {
  epoch: number;
  step: number;
  testLoss: number;
  testAccuracy: number;
}

/** A run's metric series, as stored with a checkpoint. */
export interface RunHistory {
  steps: StepRecord[];
  epochs: EpochRecord[];
}

// ---- UI -> worker -------------------------------------------------------

export type WorkerRequest =
  | { type: 'load-data'; requestId: number; request: DatasetRequest }
  | { type: 'cancel-load'; requestId: number }
  | { type: 'list-cache'; requestId: number }
  | { type: 'delete-cache'; requestId: number; cacheId: string }
  | { type: 'select-backend'; requestId: number; backend: BackendChoice }
  | { type: 'measure-backends'; requestId: number; config: DenseNetConfig; batchSize: number }
  | { type: 'train'; runId: number; config: DenseNetConfig; settings: TrainingSettings }
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
  | { type: 'step'; runId: number }
  | { type: 'stop'; runId: number }
  | { type: 'reset'; runId: number }
  | { type: 'set-learning-rate'; runId: number; learningRate: number }
  | { type: 'evaluate'; runId: number }
  | { type: 'save-model'; runId: number }
  | { type: 'checkpoint'; runId: number }
  | { type: 'restore'; runId: number; checkpointId: string }
  | { type: 'list-checkpoints'; requestId: number }
  /** Test hook: destroys the WebGPU device to exercise the device-lost path. */
  | { type: 'debug-lose-device'; runId: number }
  /**
   * Test hook: makes the WebGPU device report an error during a run, a
   * GPUOutOfMemoryError ('out-of-memory') or a refused tensor larger than
   * the device's maxBufferSize ('oversize-tensor').
   */
  | { type: 'debug-device-error'; runId: number; kind: 'out-of-memory' | 'oversize-tensor' };

// ---- worker -> UI -------------------------------------------------------

export type RunState =
  | 'idle'
  | 'building'
  | 'training'
  | 'paused'
  | 'stopped'
  | 'done'
  | 'diverged'
  | 'failed';

export interface CachedDatasetInfo {
  cacheId: string;
  dataset: DatasetName;
  /** CIFAR-100 label set of the subset: 'fine' or 'coarse', and always 'fine' for CIFAR-10. */
  labelMode?: LabelMode;
  sourceLabel: string;
  trainSize: number;
  testSize: number;
  seed: number;
  bytes: number;
  savedAt: number;
}

export interface CheckpointInfo {
  checkpointId: string;
  runId: number;
  step: number;
  epoch: number;
  savedAt: number;
}

/** One backend passed over while choosing: failed to start, or demoted behind wasm. */
export interface BackendFallbackStep {
  backend: BackendName;
  reason: UserFacingError;
}

export type WorkerEvent =
  | {
      type: 'backend';
      backend: BackendName;
      /** Backend that was tried first and failed, if any. */
      fallbackFrom: BackendName | null;
      /** Reason for the fallback (or for preferring wasm). */
      reason: UserFacingError | null;
      /** Every backend passed over on the way, in the order tried, each with its reason. */
      attempts?: BackendFallbackStep[];
      threads: number;
      /** wasm only: the convolutions run with fused multiply-adds (relaxed SIMD). */
      fusedMultiplyAdd: boolean;
      crossOriginIsolated: boolean;
    }
  | {
      type: 'backend-measurements';
      requestId: number;
      imagesPerSecond: Partial<Record<BackendName, number>>;
      chosen: BackendName;
    }
  /** A 'measure-backends' request failed as a whole; the backend in use is unchanged. */
  | { type: 'backend-measure-failed'; requestId: number; error: UserFacingError }
  | {
      type: 'load-progress';
      requestId: number;
      bytesLoaded: number;
      bytesTotal: number | null;
      images: number;
    }
  | {
      type: 'data-ready';
      requestId: number;
      cacheId: string | null;
      /** Set when the subset loaded but could not be stored in the cache (for example, quota exceeded). */
      cacheError?: UserFacingError;
      dataset: DatasetName;
      /** Label mode of the loaded subset. */
      labelMode?: LabelMode;
      /** File names or URL of the source. */
      sourceLabel?: string;
      classNames: string[];
      trainCount: number;
      testCount: number;
      trainClassCounts: number[];
      testClassCounts: number[];
      /** A few training images, 32x32 RGBA, for thumbnails. */
      samples: { label: number; rgba: Uint8ClampedArray }[];
    }
  | { type: 'load-error'; requestId: number; error: UserFacingError }
  | { type: 'load-cancelled'; requestId: number }
  | { type: 'cache-list'; requestId: number; entries: CachedDatasetInfo[] }
  | { type: 'checkpoint-list'; requestId: number; entries: CheckpointInfo[] }
  | { type: 'run-state'; runId: number; state: RunState }
  | {
      type: 'run-started';
      runId: number;
      backend: BackendName;
      trainableParams: number;
      totalParams: number;
      stepsPerEpoch: number;
    }
  | {
      type: 'progress';
      runId: number;
      step: number;
      epoch: number;
      loss: number;
      accuracy: number;
      learningRate: number;
      imagesPerSecond: number;
      etaSeconds: number | null;
    }
  | {
      type: 'epoch';
      runId: number;
      epoch: number;
      step: number;
      testLoss: number;
      testAccuracy: number;
      perClassAccuracy: number[];
      /** confusion[true][predicted] counts. */
      confusion: number[][];
      predictions: TestPrediction[];
      featureReuse: FeatureReuseMatrix;
    }
  | { type: 'model-saved'; runId: number; files: { name: string; data: ArrayBuffer }[] }
  | { type: 'checkpoint-saved'; runId: number; checkpoint: CheckpointInfo }
  | {
      /** Sent before run-started when `restore` rebuilt a run from a checkpoint; the run starts paused. */
      type: 'run-restored';
      runId: number;
      checkpointId: string;
      config: DenseNetConfig;
      settings: TrainingSettings;
      /** The curves up to the checkpoint, to draw them again. */
      history: RunHistory;
    }
  | { type: 'memory'; runId: number; numTensors: number; numBytes: number }
  | { type: 'run-error'; runId: number; error: UserFacingError }
  /** Sent by the page's worker channel, not the worker: an error escaped the worker's own handlers. */
  | { type: 'worker-failed'; details: string };

export type WorkerEventType = WorkerEvent['type'];
