// The one training worker of the page and a typed channel to it. Both stores
// (dataset and training) post through here and subscribe to its events.

import type { WorkerEvent, WorkerRequest } from '../training/protocol';

type Listener = (event: WorkerEvent) => void;

export interface WorkerChannel {
  post(request: WorkerRequest, transfer?: Transferable[]): void;
  subscribe(listener: Listener): () => void;
}

let channel: WorkerChannel | null = null;

function createChannel(): WorkerChannel {
  const worker = new Worker(new URL('../training/worker.ts', import.meta.url), { type: 'module' });
  const listeners = new Set<Listener>();
  worker.addEventListener('message', (message: MessageEvent<WorkerEvent>) => {
    for (const listener of listeners) listener(message.data);
  });
  worker.addEventListener('error', (error) => {
    console.error('training worker failed', error.message);
    // A live run would otherwise wait for events that never come.
    const event: WorkerEvent = { type: 'worker-failed', details: error.message || 'unknown error' };
    for (const listener of listeners) listener(event);
  });
  return {
    post(request, transfer = []) {
      worker.postMessage(request, transfer);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Returns the page's worker channel, starting the worker on first use. */
export function workerChannel(): WorkerChannel {
  channel ??= createChannel();
  return channel;
}

/** Replaces the channel, for tests that drive a store without a real worker. */
export function setWorkerChannel(replacement: WorkerChannel | null): void {
  channel = replacement;
}
