// Collects worker events and delivers them in batches, because the worker
// often sends several close together (at an epoch's end: a progress point,
// the evaluation, memory and state). One batch costs one render.
//
// A timer task delivers the batch. Delivering it from requestAnimationFrame
// would put React's render in the same task as the frame's style, layout and
// paint, and while training keeps the cores busy such a task often exceeds 50 ms.

export interface BatchQueue<T> {
  push(item: T): void;
  /** Delivers the waiting items now, without waiting for the timer. */
  flush(): void;
}

/** How long the first item of a batch waits for others, in milliseconds (about one frame). */
export const BATCH_WAIT_MS = 16;

export function createBatchQueue<T>(
  deliver: (items: T[]) => void,
  waitMs = BATCH_WAIT_MS,
): BatchQueue<T> {
  let items: T[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (items.length === 0) return;
    const batch = items;
    items = [];
    deliver(batch);
  };

  return {
    push(item) {
      items.push(item);
      timer ??= setTimeout(flush, waitMs);
    },
    flush,
  };
}
