// Checkpoints of a run in IndexedDB: the model's weights (BN moving
// statistics included), the optimizer's slots, the step counters and random
// generator states, and the metric history, so a restored run continues
// exactly where it was saved.

import * as tf from '@tensorflow/tfjs';
import type { DenseNetConfig } from '../densenet/types';
import type { CheckpointInfo, TrainingSettings } from './protocol';
import type { RunHistory } from './run';
import type { Trainer, TrainerState } from './trainer';

const DATABASE = 'densenet-playground-checkpoints';
const VERSION = 1;
/** Small records listed without loading weights. */
const INFO_STORE = 'info';
/** Weights, slots and history, keyed by checkpoint id. */
const DATA_STORE = 'data';

export interface StoredTensor {
  shape: number[];
  data: Float32Array;
}

/** Identifies the data a run trained on; a checkpoint restores only onto the same subset. */
export interface DatasetIdentity {
  dataset: string;
  trainCount: number;
  testCount: number;
  seed: number;
}

export interface CheckpointSummary extends CheckpointInfo {
  config: DenseNetConfig;
  settings: TrainingSettings;
  data: DatasetIdentity;
}

export interface CheckpointData {
  checkpointId: string;
  trainer: TrainerState;
  weights: StoredTensor[];
  slots: StoredTensor[];
  history: RunHistory;
}

export interface Checkpoint {
  summary: CheckpointSummary;
  data: CheckpointData;
}

/** Reads tensors back; every `data()` call is issued before the first await. */
async function download(tensors: tf.Tensor[]): Promise<StoredTensor[]> {
  return Promise.all(
    tensors.map(async (tensor) => ({
      shape: [...tensor.shape],
      data: Float32Array.from(await tensor.data()),
    })),
  );
}

/** Reads a run's state back from the device into a checkpoint. */
export async function captureCheckpoint(
  trainer: Trainer,
  run: { runId: number; history: RunHistory },
  details: {
    config: DenseNetConfig;
    settings: TrainingSettings;
    data: DatasetIdentity;
    now: number;
  },
): Promise<Checkpoint> {
  // Every read is requested in this one synchronous stretch, so the weights,
  // the slots and the counters all describe the same step even while the run
  // keeps training.
  const state = trainer.getState();
  const modelWeights = trainer.model.getWeights();
  const downloaded = await download([...modelWeights, ...trainer.optimizerSlots()]);
  const weights = downloaded.slice(0, modelWeights.length);
  const slots = downloaded.slice(modelWeights.length);
  const checkpointId = `run${run.runId}-step${state.step}-${details.now.toString(36)}`;
  return {
    summary: {
      checkpointId,
      runId: run.runId,
      step: state.step,
      epoch: state.step / trainer.stepsPerEpoch,
      savedAt: details.now,
      config: details.config,
      settings: details.settings,
      data: details.data,
    },
    data: {
      checkpointId,
      trainer: state,
      weights,
      slots,
      history: structuredClone(run.history),
    },
  };
}

/** Puts a checkpoint's tensors back into a trainer built from the same config and settings. */
export function applyCheckpoint(trainer: Trainer, data: CheckpointData): void {
  const weights = data.weights.map((stored) => tf.tensor(stored.data, stored.shape));
  const slots = data.slots.map((stored) => tf.tensor(stored.data, stored.shape));
  try {
    trainer.restore(data.trainer, weights, slots);
  } finally {
    tf.dispose([...weights, ...slots]);
  }
}

function request<T>(operation: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    operation.onsuccess = () => resolve(operation.result);
    operation.onerror = () => reject(operation.error);
  });
}

function completion(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error('transaction aborted'));
  });
}

export class CheckpointStore {
  private database: Promise<IDBDatabase> | null = null;

  constructor(private readonly factory: IDBFactory) {}

  private open(): Promise<IDBDatabase> {
    this.database ??= new Promise((resolve, reject) => {
      const opening = this.factory.open(DATABASE, VERSION);
      opening.onupgradeneeded = () => {
        const database = opening.result;
        if (!database.objectStoreNames.contains(INFO_STORE)) {
          database.createObjectStore(INFO_STORE, { keyPath: 'checkpointId' });
        }
        if (!database.objectStoreNames.contains(DATA_STORE)) {
          database.createObjectStore(DATA_STORE, { keyPath: 'checkpointId' });
        }
      };
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    return this.database;
  }

  async save(checkpoint: Checkpoint): Promise<CheckpointSummary> {
    const database = await this.open();
    const transaction = database.transaction([INFO_STORE, DATA_STORE], 'readwrite');
    transaction.objectStore(INFO_STORE).put(checkpoint.summary);
    transaction.objectStore(DATA_STORE).put(checkpoint.data);
    await completion(transaction);
    return checkpoint.summary;
  }

  /** Lists every checkpoint's summary, newest first. */
  async list(): Promise<CheckpointSummary[]> {
    const database = await this.open();
    const transaction = database.transaction(INFO_STORE, 'readonly');
    const all = await request(
      transaction.objectStore(INFO_STORE).getAll() as IDBRequest<CheckpointSummary[]>,
    );
    return all.sort((a, b) => b.savedAt - a.savedAt);
  }

  async load(checkpointId: string): Promise<Checkpoint | null> {
    const database = await this.open();
    const transaction = database.transaction([INFO_STORE, DATA_STORE], 'readonly');
    const summary = await request(
      transaction.objectStore(INFO_STORE).get(checkpointId) as IDBRequest<
        CheckpointSummary | undefined
      >,
    );
    const data = await request(
      transaction.objectStore(DATA_STORE).get(checkpointId) as IDBRequest<
        CheckpointData | undefined
      >,
    );
    return summary && data ? { summary, data } : null;
  }

  async remove(checkpointId: string): Promise<void> {
    const database = await this.open();
    const transaction = database.transaction([INFO_STORE, DATA_STORE], 'readwrite');
    transaction.objectStore(INFO_STORE).delete(checkpointId);
    transaction.objectStore(DATA_STORE).delete(checkpointId);
    await completion(transaction);
  }

  close(): void {
    void this.database?.then((database) => database.close());
    this.database = null;
  }
}

/** Checkpoint info as the protocol sends it. */
export function toCheckpointInfo(summary: CheckpointSummary): CheckpointInfo {
  return {
    checkpointId: summary.checkpointId,
    runId: summary.runId,
    step: summary.step,
    epoch: summary.epoch,
    savedAt: summary.savedAt,
  };
}
