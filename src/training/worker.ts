// The training worker's entry point: receives WorkerRequest messages from the
// page and responds with WorkerEvent messages (see protocol.ts). Data messages
// go to the data handlers, training messages to the training session; this
// file only wires them to the worker scope.

/// <reference lib="webworker" />

import '@tensorflow/tfjs-backend-webgpu';
import { createDataHandlers } from '../data/handlers';
import type { LoadedDataset } from '../data/types';
import { registerWasmTraining } from './backend';
import { CheckpointStore } from './checkpoint';
import type { WorkerEvent, WorkerRequest } from './protocol';
import { TrainingSession } from './session';
import { createWasmTrainingHook } from './wasm/hook';
import { bundledWasmPaths, startKernelHelper } from './wasm/paths';

declare const self: DedicatedWorkerGlobalScope;

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  self.postMessage(event, transfer);
}

/**
 * Resolves on the next macrotask. A MessageChannel message is not throttled
 * like setTimeout and, unlike requestAnimationFrame, keeps firing in a hidden
 * tab, so the training loop yields to incoming messages without slowing down.
 */
function createYield(): () => Promise<void> {
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    });
}

registerWasmTraining(createWasmTrainingHook(bundledWasmPaths, { helperWorker: startKernelHelper }));

/** The subset that training uses; replaced only when a new load succeeds. */
let dataset: LoadedDataset | null = null;

const data = createDataHandlers({
  post,
  onDataset(loaded) {
    dataset = loaded;
  },
});

const session = new TrainingSession({
  post,
  dataset: () => dataset,
  yieldToEvents: createYield(),
  now: () => performance.now(),
  checkpoints: typeof indexedDB === 'undefined' ? null : new CheckpointStore(indexedDB),
  crossOriginIsolated: self.crossOriginIsolated === true,
});

self.addEventListener('message', (message: MessageEvent<WorkerRequest>) => {
  const request = message.data;
  if (data.handle(request)) return;
  if (session.handle(request)) return;
  console.warn('training worker: no handler for message', request?.type);
});

self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  session.reportUnexpected(event.reason);
});

self.addEventListener('error', (event) => {
  event.preventDefault();
  session.reportUnexpected(event.error ?? event.message);
});
