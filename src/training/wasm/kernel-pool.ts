// Helper threads for the direct convolution kernels (direct-conv.ts).
//
// XNNPACK spreads its own operators over tfjs-backend-wasm's thread pool,
// but kernels.wat runs on whichever thread calls it. With a shared memory
// (the threaded backend, in a cross-origin isolated page), helper workers
// instantiate kernels.wat on the same memory. A convolution is then split
// into parts that run at once: part 0 on the calling thread, part i on
// helper i. Each part writes its own outputs, so the result is the same,
// bit for bit, as on one thread.
//
// The calling thread is the training worker, which may block: it hands a
// part to a helper through a small shared control array and Atomics.notify,
// runs its own part, then Atomics.waits for the helper's done count. A
// helper that has not started yet (or failed to) takes no parts.

import type { WasmBackendInternals } from './backend-internals';
import { backendMemory } from './backend-internals';
import { type KernelExports, kernelModule } from './module';

/** The kernels a helper runs. */
export type PoolKernel = 'conv_span' | 'filter_grad_3x3';

/** Slots of a helper's control array (Int32Array over a SharedArrayBuffer). */
export const CONTROL = {
  /** Requests posted so far; the helper waits for it to change. */
  requested: 0,
  /** Requests finished so far. */
  done: 1,
  /** 1 once the helper has instantiated the kernels, -1 if that failed. */
  ready: 2,
  /** 1 after a request threw. */
  failed: 3,
  /** Index in POOL_KERNELS of the requested kernel. */
  kernel: 4,
  /** First of the request's arguments. */
  args: 5,
  /** Slots in all. */
  length: 24,
} as const;

export const POOL_KERNELS: readonly PoolKernel[] = ['conv_span', 'filter_grad_3x3'];

/** The message that starts a helper. */
export interface HelperStart {
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  control: SharedArrayBuffer;
}

/**
 * Runs a helper: instantiates the kernels on the shared memory, then runs
 * the parts posted to its control array, one at a time, blocking in
 * Atomics.wait between them. Never returns once the kernels are up.
 */
export function serveHelper({ memory, module, control }: HelperStart): void {
  const slots = new Int32Array(control);
  let kernels: KernelExports;
  try {
    kernels = new WebAssembly.Instance(module, { env: { memory } })
      .exports as unknown as KernelExports;
  } catch (error) {
    console.error('kernel helper: cannot instantiate the kernels', error);
    Atomics.store(slots, CONTROL.ready, -1);
    return;
  }
  Atomics.store(slots, CONTROL.ready, 1);
  let handled = Atomics.load(slots, CONTROL.requested);
  for (;;) {
    Atomics.wait(slots, CONTROL.requested, handled);
    const requested = Atomics.load(slots, CONTROL.requested);
    const name = POOL_KERNELS[slots[CONTROL.kernel] as number];
    try {
      if (name === undefined) throw new Error(`unknown kernel index ${slots[CONTROL.kernel]}`);
      const args = Array.from(slots.subarray(CONTROL.args, CONTROL.length));
      (kernels[name] as (...values: number[]) => void)(...args);
    } catch (error) {
      console.error('kernel helper: a part failed', error);
      Atomics.store(slots, CONTROL.failed, 1);
    }
    handled = requested;
    Atomics.store(slots, CONTROL.done, requested);
    Atomics.notify(slots, CONTROL.done);
  }
}

/** How long a part may take before the helper is taken for dead. */
const HELPER_TIMEOUT_MS = 60_000;

/** A started helper: its worker (anything that can be terminated) and its control array. */
export interface Helper {
  worker: { terminate(): unknown };
  control: Int32Array<SharedArrayBuffer>;
}

export class KernelPool {
  private readonly helpers: Helper[];

  constructor(helpers: Helper[]) {
    this.helpers = helpers;
  }

  /** Counts the helpers that have started and can take a part now. */
  readyHelpers(): number {
    let ready = 0;
    for (const helper of this.helpers) {
      if (Atomics.load(helper.control, CONTROL.ready) === 1) ready += 1;
      else break;
    }
    return ready;
  }

  /**
   * Runs `kernel` once per part: parts[0] on `own` (the calling thread's
   * kernels), parts[i] on helper i - 1, and returns when all are done. Give
   * it at most readyHelpers() + 1 parts.
   */
  run(kernel: PoolKernel, own: KernelExports, parts: number[][]): void {
    const posted: Helper[] = [];
    for (const [index, args] of parts.slice(1).entries()) {
      const helper = this.helpers[index];
      if (helper === undefined) throw new Error(`kernel pool: no helper for part ${index + 1}`);
      helper.control[CONTROL.kernel] = POOL_KERNELS.indexOf(kernel);
      helper.control.set(args, CONTROL.args);
      Atomics.add(helper.control, CONTROL.requested, 1);
      Atomics.notify(helper.control, CONTROL.requested);
      posted.push(helper);
    }
    const first = parts[0];
    let failure: unknown = null;
    try {
      if (first !== undefined) (own[kernel] as (...args: number[]) => void)(...first);
    } catch (error) {
      failure = error;
    }
    // Wait for every helper, even after a failure here or in another helper:
    // the caller frees the buffers they write as soon as this returns.
    for (const helper of posted) {
      try {
        waitFor(helper);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== null) throw failure;
  }

  /** Counts the helpers, started or not. */
  size(): number {
    return this.helpers.length;
  }

  /** Tells whether every helper has either started or failed to. */
  settled(): boolean {
    return this.helpers.every((helper) => Atomics.load(helper.control, CONTROL.ready) !== 0);
  }

  /** Stops every helper. */
  terminate(): void {
    for (const helper of this.helpers) helper.worker.terminate();
  }
}

function waitFor(helper: Helper): void {
  const target = Atomics.load(helper.control, CONTROL.requested);
  for (;;) {
    const done = Atomics.load(helper.control, CONTROL.done);
    if (done === target) break;
    if (Atomics.wait(helper.control, CONTROL.done, done, HELPER_TIMEOUT_MS) === 'timed-out') {
      // It may still write into buffers the caller is about to free: nothing
      // can stop it, so the whole backend's results are suspect from here.
      throw new Error(
        `kernel pool: a helper did not finish within ${HELPER_TIMEOUT_MS / 1000} s; restart the page before training on wasm again`,
      );
    }
  }
  if (Atomics.exchange(helper.control, CONTROL.failed, 0) !== 0) {
    throw new Error('kernel pool: a helper failed to run its part (see its console)');
  }
}

/** Starts one helper worker. */
export type HelperFactory = () => Worker;

let factory: HelperFactory | null = null;
let helperCount = 0;
const pools = new WeakMap<object, KernelPool | null>();

/**
 * Sets how helpers start and how many to start per backend (threads - 1).
 * Without a factory, or with no helpers, direct kernels run on one thread.
 */
export function configureKernelPool(start: HelperFactory | null, helpers: number): void {
  factory = start;
  helperCount = helpers;
}

/**
 * Tells whether this thread may block in Atomics.wait: a worker may, a
 * page's main thread may not (Atomics.wait throws there), so a backend
 * started on the main thread keeps the direct kernels on one thread.
 */
function mayBlock(): boolean {
  const scope = (globalThis as { WorkerGlobalScope?: abstract new () => unknown })
    .WorkerGlobalScope;
  return scope !== undefined && globalThis instanceof scope;
}

/** How long startKernelPool waits for the helpers to instantiate the kernels. */
const HELPER_START_TIMEOUT_MS = 5_000;

/**
 * Starts the helpers of `backend`'s pool and waits until each has
 * instantiated the kernels or failed, or HELPER_START_TIMEOUT_MS passed.
 * A nested worker starts only while its parent's event loop runs, so this
 * runs before training blocks the worker. Returns the helpers that are ready.
 */
export async function startKernelPool(
  backend: WasmBackendInternals,
  fusedMultiplyAdd: boolean,
): Promise<number> {
  const pool = kernelPoolFor(backend, fusedMultiplyAdd);
  if (pool === null) return 0;
  const deadline = Date.now() + HELPER_START_TIMEOUT_MS;
  while (!pool.settled() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const ready = pool.readyHelpers();
  if (ready < pool.size()) {
    console.warn(`kernel pool: ${ready} of ${pool.size()} helpers started; the rest take no work`);
  }
  return ready;
}

/** Counts the helpers of `backend`'s pool that can take parts (0 without a pool). */
export function readyKernelHelpers(backend: object): number {
  return pools.get(backend)?.readyHelpers() ?? 0;
}

/**
 * Returns the pool for `backend`, starting its helpers on first use, or
 * null when the backend's memory is not shared or no helpers are configured.
 */
export function kernelPoolFor(
  backend: WasmBackendInternals,
  fusedMultiplyAdd: boolean,
): KernelPool | null {
  const known = pools.get(backend);
  if (known !== undefined) return known;
  const memory = backendMemory(backend);
  const shared =
    typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  let pool: KernelPool | null = null;
  if (shared && factory !== null && helperCount > 0 && mayBlock()) {
    const module = kernelModule({ memory: 'shared', relaxed: fusedMultiplyAdd });
    const helpers: Helper[] = [];
    for (let i = 0; i < helperCount; i++) {
      const control = new SharedArrayBuffer(CONTROL.length * 4);
      const worker = factory();
      const start: HelperStart = { memory, module, control };
      worker.postMessage(start);
      helpers.push({ worker, control: new Int32Array(control) });
    }
    pool = new KernelPool(helpers);
  }
  pools.set(backend, pool);
  return pool;
}
