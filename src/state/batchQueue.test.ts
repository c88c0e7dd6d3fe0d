import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BATCH_WAIT_MS, createBatchQueue } from './batchQueue';

describe('createBatchQueue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('delivers one batch in order', () => {
    const batches: string[][] = [];
    const queue = createBatchQueue<string>((items) => batches.push(items));
    queue.push('progress');
    vi.advanceTimersByTime(BATCH_WAIT_MS - 1);
    queue.push('epoch');
    queue.push('memory');
    expect(batches).toEqual([]);
    // The wait starts at the first item of a batch; later items do not extend it.
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([['progress', 'epoch', 'memory']]);

    queue.push('run-state');
    vi.advanceTimersByTime(BATCH_WAIT_MS);
    expect(batches).toEqual([['progress', 'epoch', 'memory'], ['run-state']]);
    vi.advanceTimersByTime(10 * BATCH_WAIT_MS);
    expect(batches).toHaveLength(2);
  });

  it('flush delivers at once', () => {
    const batches: number[][] = [];
    const queue = createBatchQueue<number>((items) => batches.push(items), 50);
    queue.flush();
    expect(batches).toEqual([]);
    queue.push(7);
    queue.flush();
    expect(batches).toEqual([[7]]);
    vi.advanceTimersByTime(50);
    expect(batches).toEqual([[7]]);
    queue.push(8);
    vi.advanceTimersByTime(49);
    expect(batches).toEqual([[7]]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[7], [8]]);
  });
});
