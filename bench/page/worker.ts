// Runs one benchmark in a dedicated worker, where the app trains: the page
// posts a BenchSpec and receives the BenchResult.

/// <reference lib="webworker" />

import { type BenchSpec, runBenchmark } from './bench';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = async (event: MessageEvent<BenchSpec>) => {
  self.postMessage(await runBenchmark(event.data));
};
