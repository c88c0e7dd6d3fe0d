// A measurement that fails as a whole (here: the chooser throws) reaches
// the page as backend-measure-failed, not only as a console line.

import { describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../densenet/config';
import type { WorkerEvent } from './protocol';
import { TrainingSession } from './session';

vi.mock('./chooser', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./chooser')>()),
  measureBackends: vi.fn(async () => {
    throw new Error('no backend could be timed');
  }),
}));

describe('measure-backends', () => {
  it('reports a failed measurement with its detail', async () => {
    const events: WorkerEvent[] = [];
    const session = new TrainingSession({
      post: (event) => events.push(event),
      dataset: () => null,
      yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
      now: () => performance.now(),
      checkpoints: null,
      crossOriginIsolated: false,
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(
      session.handle({
        type: 'measure-backends',
        requestId: 42,
        config: defaultConfig(),
        batchSize: 16,
      }),
    ).toBe(true);
    await vi.waitFor(() =>
      expect(events.some((e) => e.type === 'backend-measure-failed')).toBe(true),
    );
    expect(events.find((e) => e.type === 'backend-measure-failed')).toEqual({
      type: 'backend-measure-failed',
      requestId: 42,
      error: { code: 'backend.measureAllFailed', params: { detail: 'no backend could be timed' } },
    });
    expect(events.some((e) => e.type === 'backend-measurements')).toBe(false);
    errors.mockRestore();
  });
});
