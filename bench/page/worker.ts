// Runs one benchmark in a dedicated worker, where the app trains. The page
// posts a BenchSpec and receives `{result}`. In between, the worker posts
// `{phase}` when the timed steps start and end, and waits for the page's
// 'phase-done' reply, so that the driver samples CPU time at those points.

/// <reference lib="webworker" />

import { type BenchPhase, type BenchSpec, runBenchmark } from './bench';

declare const self: DedicatedWorkerGlobalScope;

let resumeAfterPhase: (() => void) | null = null;

function reportPhase(phase: BenchPhase): Promise<void> {
  return new Promise((resolve) => {
    resumeAfterPhase = resolve;
    self.postMessage({ phase });
  });
}

self.onmessage = async (event: MessageEvent<BenchSpec | 'phase-done'>) => {
  if (event.data === 'phase-done') {
    resumeAfterPhase?.();
    resumeAfterPhase = null;
    return;
  }
  self.postMessage({ result: await runBenchmark(event.data, reportPhase) });
};
