// What a load produces: the subset the worker trains and tests on.

import type { DatasetName, LabelMode } from '../training/protocol';
import type { Subset } from './subset';

export interface LoadedDataset {
  dataset: DatasetName;
  labelMode: LabelMode;
  /** One name per class, in label order. */
  classNames: string[];
  /** Training images: `train.images` is count x 32 x 32 x 3 bytes, NHWC, RGB. */
  train: Subset;
  test: Subset;
  /** File names or URL the subset came from, for lists and messages. */
  sourceLabel: string;
  seed: number;
  /** Sizes the user asked for; a source with few images of a class gives fewer. */
  requestedTrainSize: number;
  requestedTestSize: number;
}

export interface LoadProgress {
  bytesLoaded: number;
  /** Null while the total is unknown (row groups still to choose, no Content-Length). */
  bytesTotal: number | null;
  images: number;
}

export interface LoadCallbacks {
  onProgress?(progress: LoadProgress): void;
  signal?: AbortSignal;
  /** Replaces the global fetch, for tests. */
  fetch?: typeof fetch;
  /** Seconds without data before a request times out; 30 s unless set. */
  idleTimeoutMs?: number;
  /** Largest file accepted; 256 MiB unless set. */
  maxFileBytes?: number;
}
