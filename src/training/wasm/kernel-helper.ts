// A helper thread of the kernel pool (kernel-pool.ts): instantiates
// kernels.wat on the wasm backend's shared memory, then runs the parts that
// the training worker posts to its control array, one at a time, blocking
// in Atomics.wait between them.

import { CONTROL, type HelperStart, POOL_KERNELS } from './kernel-pool';
import type { KernelExports } from './module';

function serve({ memory, module, control }: HelperStart): void {
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

self.onmessage = (event: MessageEvent<HelperStart>) => serve(event.data);
