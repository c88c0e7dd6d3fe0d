// The benchmark page's entry point. bench/run.mjs drives it from Chromium
// through `window.runBenchmark(spec)`, which runs the benchmark (bench.ts) on
// the page's main thread, or in a dedicated worker as the app trains when
// `spec.host` is 'worker'.

import { type BenchPhase, type BenchResult, type BenchSpec, runBenchmark } from './bench';

export interface PageBenchSpec extends BenchSpec {
  /** The thread TF.js runs on: the page's main thread (default) or a dedicated worker. */
  host?: 'page' | 'worker';
}

/** Passes a phase to bench/run.mjs, which exposes `benchPhase` to sample CPU time; a no-op without it. */
async function notifyPhase(phase: BenchPhase): Promise<void> {
  const driver = (window as { benchPhase?: (phase: BenchPhase) => Promise<void> }).benchPhase;
  if (driver) await driver(phase);
}

type WorkerMessage = { phase: BenchPhase } | { result: BenchResult };

function runInWorker(spec: BenchSpec): Promise<BenchResult> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  return new Promise<BenchResult>((resolve, reject) => {
    worker.onmessage = async (event: MessageEvent<WorkerMessage>) => {
      if ('result' in event.data) {
        resolve(event.data.result);
        return;
      }
      await notifyPhase(event.data.phase);
      worker.postMessage('phase-done');
    };
    worker.onerror = (event) => reject(new Error(`benchmark worker failed: ${event.message}`));
    worker.postMessage(spec);
  }).finally(() => worker.terminate());
}

function runOnHost({ host, ...spec }: PageBenchSpec): Promise<BenchResult> {
  return host === 'worker' ? runInWorker(spec) : runBenchmark(spec, notifyPhase);
}

/** Describes the browser and its WebGPU adapter for the benchmark record. */
async function describeDevice(): Promise<{
  userAgent: string;
  webgpuAdapter: string | null;
  cores: number;
  crossOriginIsolated: boolean;
}> {
  type AdapterInfo = { vendor?: string; architecture?: string; description?: string };
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfo } | null> } })
    .gpu;
  const info = (await gpu?.requestAdapter())?.info;
  const webgpuAdapter = info
    ? [info.vendor, info.architecture, info.description].filter(Boolean).join(' ')
    : null;
  return {
    userAgent: navigator.userAgent,
    webgpuAdapter,
    cores: navigator.hardwareConcurrency,
    crossOriginIsolated: self.crossOriginIsolated,
  };
}

Object.assign(window, { runBenchmark: runOnHost, describeDevice, benchReady: true });
