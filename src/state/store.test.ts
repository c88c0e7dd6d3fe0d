import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../densenet/config';
import type { WorkerEvent, WorkerRequest } from '../training/protocol';
import {
  createRun,
  nextColorIndex,
  reduceWorkerEvent,
  throughputReadout,
  type WorkerEventState,
} from './runs';
import { DEFAULT_SETTINGS } from './settings';
import { activeRun, useAppStore } from './store';
import { setWorkerChannel } from './worker';

const posted: WorkerRequest[] = [];
let listener: ((event: WorkerEvent) => void) | null = null;
const initial = useAppStore.getState();

beforeEach(() => {
  posted.length = 0;
  setWorkerChannel({
    post: (request) => posted.push(request),
    subscribe: (next) => {
      listener = next;
      return () => {
        listener = null;
      };
    },
  });
  useAppStore.setState(initial, true);
});

afterEach(() => setWorkerChannel(null));

function runsState(): WorkerEventState {
  return {
    settings: DEFAULT_SETTINGS,
    runs: [createRun(1, defaultConfig(), DEFAULT_SETTINGS, 0)],
    activeRunId: 1,
    backend: null,
    backendMeasurements: null,
    backendMeasuring: null,
    backendMeasureError: null,
    classNames: [],
    announcement: null,
    checkpoints: [],
    savedModel: null,
  };
}

function progress(step: number, loss: number): WorkerEvent {
  return {
    type: 'progress',
    runId: 1,
    step,
    epoch: 0,
    loss,
    accuracy: 0.1,
    learningRate: 0.002,
    imagesPerSecond: 50,
    etaSeconds: 30,
  };
}

function runStarted(runId: number): WorkerEvent {
  return {
    type: 'run-started',
    runId,
    backend: 'cpu',
    trainableParams: 100,
    totalParams: 120,
    stepsPerEpoch: 10,
  };
}

describe('reduceWorkerEvent', () => {
  it('fails live runs when the worker fails', () => {
    const state = runsState();
    state.runs[0] = { ...state.runs[0]!, state: 'building' };
    const change = reduceWorkerEvent(state, { type: 'worker-failed', details: 'boom' })!;
    expect(change.runs?.[0]?.state).toBe('failed');
    expect(change.runs?.[0]?.error).toEqual({
      code: 'ui.error.workerFailed',
      params: { details: 'boom' },
    });
  });

  it('leaves finished runs alone when the worker fails', () => {
    const state = runsState();
    state.runs[0] = { ...state.runs[0]!, state: 'done' };
    expect(reduceWorkerEvent(state, { type: 'worker-failed', details: 'boom' })).toBeNull();
  });

  it('appends progress points to the run and bumps its version', () => {
    const state = runsState();
    const change = reduceWorkerEvent(state, progress(1, 2.3))!;
    const run = change.runs![0]!;
    expect(run.steps).toEqual([
      { step: 1, epoch: 0, loss: 2.3, accuracy: 0.1, learningRate: 0.002 },
    ]);
    expect(run.version).toBe(1);
    expect(run.imagesPerSecond).toBe(50);
    expect(run.etaSeconds).toBe(30);
  });

  it('keeps non-finite losses as points, so the chart can show the gap', () => {
    const change = reduceWorkerEvent(runsState(), progress(1, Number.NaN))!;
    expect(change.runs![0]!.steps[0]!.loss).toBeNaN();
  });

  it('ignores events for unknown runs', () => {
    expect(
      reduceWorkerEvent(runsState(), { ...progress(1, 1), runId: 99 } as WorkerEvent),
    ).toBeNull();
  });

  it('records an epoch and announces it', () => {
    const change = reduceWorkerEvent(runsState(), {
      type: 'epoch',
      runId: 1,
      epoch: 1,
      step: 125,
      testLoss: 1.8765,
      testAccuracy: 0.3141,
      perClassAccuracy: [0.5, 0.1],
      confusion: [
        [5, 5],
        [9, 1],
      ],
      predictions: [{ index: 0, label: 1, predicted: 0, confidence: 0.9 }],
      featureReuse: { blocks: [] },
    })!;
    const run = change.runs![0]!;
    expect(run.epochs).toEqual([{ epoch: 1, step: 125, testLoss: 1.8765, testAccuracy: 0.3141 }]);
    expect(run.evaluation?.confusion).toEqual([
      [5, 5],
      [9, 1],
    ]);
    expect(change.announcement).toEqual({
      key: 'ui.announce.epoch',
      params: { run: 1, epoch: 1, loss: '1.877', accuracy: '31.4' },
    });
  });

  it('keeps the series when the run fails', () => {
    const state = runsState();
    const withPoint = { ...state, ...reduceWorkerEvent(state, progress(1, 2)) } as WorkerEventState;
    const change = reduceWorkerEvent(withPoint, {
      type: 'run-error',
      runId: 1,
      error: { code: 'run.outOfMemory', params: { backend: 'webgpu', batchSize: 512 } },
    })!;
    const run = change.runs![0]!;
    expect(run.state).toBe('failed');
    expect(run.error).toEqual({
      code: 'run.outOfMemory',
      params: { backend: 'webgpu', batchSize: 512 },
    });
    expect(run.steps).toHaveLength(1);
  });

  it('stores the backend and its fallback reason', () => {
    const change = reduceWorkerEvent(runsState(), {
      type: 'backend',
      backend: 'webgl',
      fallbackFrom: 'webgpu',
      reason: { code: 'backend.webgpuUnsupported', params: {} },
      threads: 1,
      fusedMultiplyAdd: false,
      crossOriginIsolated: true,
    })!;
    expect(change.backend).toMatchObject({
      backend: 'webgl',
      fallbackFrom: 'webgpu',
      fusedMultiplyAdd: false,
    });
  });

  it('clears the pending measurement when its figures arrive', () => {
    const state = runsState();
    state.backendMeasuring = 7;
    const change = reduceWorkerEvent(state, {
      type: 'backend-measurements',
      requestId: 7,
      imagesPerSecond: { wasm: 130 },
      chosen: 'wasm',
    })!;
    expect(change.backendMeasuring).toBeNull();
    expect(change.backendMeasureError).toBeNull();
  });

  it('keeps why a measurement failed and clears it as pending', () => {
    const state = runsState();
    state.backendMeasuring = 8;
    const error = { code: 'backend.measureAllFailed', params: { detail: 'out of memory' } };
    const change = reduceWorkerEvent(state, {
      type: 'backend-measure-failed',
      requestId: 8,
      error,
    })!;
    expect(change.backendMeasuring).toBeNull();
    expect(change.backendMeasureError).toEqual(error);
  });

  it('keeps a newer pending measurement when an older one answers', () => {
    const state = runsState();
    state.backendMeasuring = 9;
    const change = reduceWorkerEvent(state, {
      type: 'backend-measurements',
      requestId: 8,
      imagesPerSecond: { wasm: 130 },
      chosen: 'wasm',
    })!;
    expect(change.backendMeasuring).toBe(9);
  });

  it('keeps the fallback in use before a backend measurement', () => {
    const state = runsState();
    const reason = { code: 'backend.softwareRenderer', params: { renderer: 'SwiftShader' } };
    Object.assign(
      state,
      reduceWorkerEvent(state, {
        type: 'backend',
        backend: 'wasm',
        fallbackFrom: 'webgpu',
        reason,
        threads: 1,
        fusedMultiplyAdd: false,
        crossOriginIsolated: false,
      }),
    );
    const change = reduceWorkerEvent(state, {
      type: 'backend-measurements',
      requestId: 1,
      imagesPerSecond: { wasm: 130, cpu: 20 },
      chosen: 'wasm',
    })!;
    expect(change.backendMeasurements!.imagesPerSecond).toEqual({ wasm: 130, cpu: 20 });
    expect(change.backendMeasurements!.selectedBefore!.fallbackFrom).toBe('webgpu');
    expect(change.backendMeasurements!.selectedBefore!.reason).toEqual(reason);
  });

  it('moves the backend menu to the measured backend', () => {
    for (const before of ['auto', 'cpu', 'webgpu'] as const) {
      const state = { ...runsState(), settings: { ...DEFAULT_SETTINGS, backend: before } };
      const change = reduceWorkerEvent(state, {
        type: 'backend-measurements',
        requestId: 1,
        imagesPerSecond: { webgpu: 300, wasm: 130, cpu: 20 },
        chosen: 'webgpu',
      })!;
      expect(change.settings?.backend).toBe('webgpu');
      expect(change.settings?.batchSize).toBe(DEFAULT_SETTINGS.batchSize);
    }
  });

  it('takes class names from data-ready', () => {
    const change = reduceWorkerEvent(runsState(), {
      type: 'data-ready',
      requestId: 1,
      cacheId: null,
      dataset: 'cifar10',
      classNames: ['airplane', 'automobile'],
      trainCount: 10,
      testCount: 10,
      trainClassCounts: [5, 5],
      testClassCounts: [5, 5],
      samples: [],
    })!;
    expect(change.classNames).toEqual(['airplane', 'automobile']);
  });
});

describe('reduceWorkerEvent for checkpoints', () => {
  it('restores a run with its curves', () => {
    const config = { ...defaultConfig(), growthRate: 8 };
    const change = reduceWorkerEvent(runsState(), {
      type: 'run-restored',
      runId: 1,
      checkpointId: 'c1',
      config,
      settings: { ...DEFAULT_SETTINGS, batchSize: 8 },
      history: {
        steps: [{ step: 5, epoch: 0, loss: 2.1, accuracy: 0.2, learningRate: 0.002 }],
        epochs: [{ epoch: 1, step: 5, testLoss: 2, testAccuracy: 0.25 }],
      },
    })!;
    const run = change.runs![0]!;
    expect(run.config.growthRate).toBe(8);
    expect(run.settings.batchSize).toBe(8);
    expect(run.steps).toEqual([
      { step: 5, epoch: 0, loss: 2.1, accuracy: 0.2, learningRate: 0.002 },
    ]);
    expect(run.epochs).toHaveLength(1);
  });

  it('lists saved checkpoints without duplicates', () => {
    const checkpoint = { checkpointId: 'c1', runId: 1, step: 5, epoch: 0, savedAt: 10 };
    const state = runsState();
    const first = {
      ...state,
      ...reduceWorkerEvent(state, { type: 'checkpoint-saved', runId: 1, checkpoint }),
    };
    const second = reduceWorkerEvent(first as WorkerEventState, {
      type: 'checkpoint-saved',
      runId: 1,
      checkpoint,
    })!;
    expect(second.checkpoints).toEqual([checkpoint]);
    const listed = reduceWorkerEvent(state, {
      type: 'checkpoint-list',
      requestId: 1,
      entries: [{ ...checkpoint, checkpointId: 'c2', savedAt: 20 }, checkpoint],
    })!;
    expect(listed.checkpoints!.map((entry) => entry.checkpointId)).toEqual(['c1', 'c2']);
  });
});

describe('throughputReadout', () => {
  it('is empty before the first progress event', () => {
    expect(throughputReadout(runsState().runs[0]!)).toBeNull();
  });

  it('is live only while training', () => {
    const state = runsState();
    Object.assign(state, reduceWorkerEvent(state, runStarted(1)));
    Object.assign(state, reduceWorkerEvent(state, progress(1, 2.3)));
    expect(throughputReadout(state.runs[0]!)).toEqual({ imagesPerSecond: 50, live: true });

    for (const runState of ['paused', 'stopped', 'done', 'diverged', 'failed'] as const) {
      const change = reduceWorkerEvent(state, { type: 'run-state', runId: 1, state: runState })!;
      expect(throughputReadout(change.runs![0]!)).toEqual({ imagesPerSecond: 50, live: false });
    }
  });

  it('is not live after a run error', () => {
    const state = runsState();
    Object.assign(state, reduceWorkerEvent(state, runStarted(1)));
    Object.assign(state, reduceWorkerEvent(state, progress(1, 2.3)));
    const change = reduceWorkerEvent(state, {
      type: 'run-error',
      runId: 1,
      error: { code: 'run.failed', params: { backend: 'webgpu', detail: 'lost' } },
    })!;
    expect(throughputReadout(change.runs![0]!)?.live).toBe(false);
  });

  it('is not live after the worker fails', () => {
    const state = runsState();
    Object.assign(state, reduceWorkerEvent(state, runStarted(1)));
    Object.assign(state, reduceWorkerEvent(state, progress(1, 2.3)));
    const change = reduceWorkerEvent(state, { type: 'worker-failed', details: 'boom' })!;
    expect(throughputReadout(change.runs![0]!)?.live).toBe(false);
  });
});

describe('nextColorIndex', () => {
  it('picks the least used palette slot', () => {
    const runs = [0, 1, 2].map((slot, id) =>
      createRun(id, defaultConfig(), DEFAULT_SETTINGS, slot),
    );
    expect(nextColorIndex(runs)).toBe(3);
    expect(nextColorIndex([])).toBe(0);
  });
});

describe('useAppStore', () => {
  it('keeps the last valid config and plan when an edit is invalid', () => {
    const store = useAppStore.getState();
    store.updateConfig({ depth: 100, growthRate: 12 });
    const validPlan = useAppStore.getState().plan;
    expect(validPlan.depth).toBe(100);

    useAppStore.getState().updateConfig({ depth: 101 });
    const state = useAppStore.getState();
    expect(state.configDraft.depth).toBe(101);
    expect(state.configIssues.map((issue) => issue.code)).toContain('config.depth.notDivisible');
    expect(state.config.depth).toBe(100);
    expect(state.plan).toBe(validPlan);
  });

  it('keeps the last valid dropout rate', () => {
    useAppStore.getState().updateConfig({ dropRate: 0.2 });
    expect(useAppStore.getState().config.dropRate).toBe(0.2);

    useAppStore.getState().updateConfig({ dropRate: 0.995 });
    const state = useAppStore.getState();
    expect(state.configDraft.dropRate).toBe(0.995);
    expect(state.configIssues.map((issue) => issue.field)).toEqual(['dropRate']);
    expect(state.config.dropRate).toBe(0.2);
  });

  it('posts a train request with the last valid config and the dataset class count', () => {
    useAppStore.setState({ classNames: ['a', 'b', 'c'] });
    useAppStore.getState().updateConfig({ growthRate: 4, depth: 7, bottleneck: false });
    useAppStore.getState().updateConfig({ depth: 8 });
    const runId = useAppStore.getState().train();
    expect(runId).toBe(1);
    const request = posted.at(-1)!;
    expect(request.type).toBe('train');
    if (request.type !== 'train') return;
    expect(request.config.depth).toBe(7);
    expect(request.config.numClasses).toBe(3);
    expect(activeRun(useAppStore.getState())?.state).toBe('building');
  });

  it('sends pause, resume, step and stop for the active run', () => {
    useAppStore.getState().train();
    const { pause, resume, step, stop } = useAppStore.getState();
    pause();
    resume();
    step();
    stop();
    expect(posted.slice(1).map((request) => request.type)).toEqual([
      'pause',
      'resume',
      'step',
      'stop',
    ]);
    expect(posted.slice(1).every((request) => 'runId' in request && request.runId === 1)).toBe(
      true,
    );
  });

  it('sends a mid-run learning rate only while the run is live', () => {
    useAppStore.getState().train();
    useAppStore.getState().setLearningRate(0.01);
    expect(posted.at(-1)).toEqual({ type: 'set-learning-rate', runId: 1, learningRate: 0.01 });
    expect(useAppStore.getState().settings.learningRate).toBe(0.01);

    useAppStore.getState().handleWorkerEvent({ type: 'run-state', runId: 1, state: 'done' });
    const count = posted.length;
    useAppStore.getState().setLearningRate(0.02);
    expect(posted.length).toBe(count);
  });

  it('trains on the measured backend after a forced one', () => {
    useAppStore.getState().updateSettings({ backend: 'cpu' });
    useAppStore.getState().handleWorkerEvents([
      {
        type: 'backend-measurements',
        requestId: 1,
        imagesPerSecond: { wasm: 130, cpu: 20 },
        chosen: 'wasm',
      },
      {
        type: 'backend',
        backend: 'wasm',
        fallbackFrom: null,
        reason: null,
        threads: 4,
        fusedMultiplyAdd: true,
        crossOriginIsolated: true,
      },
    ]);
    const state = useAppStore.getState();
    expect(state.settings.backend).toBe('wasm');
    expect(state.backend?.backend).toBe(state.settings.backend);

    useAppStore.getState().train();
    const request = posted.at(-1)!;
    expect(request.type).toBe('train');
    if (request.type !== 'train') return;
    expect(request.settings.backend).toBe('wasm');
  });

  it('ignores an out-of-range setting', () => {
    useAppStore.getState().updateSettings({ batchSize: 0 });
    expect(useAppStore.getState().settings.batchSize).toBe(DEFAULT_SETTINGS.batchSize);
    useAppStore.getState().updateSettings({ batchSize: 8 });
    expect(useAppStore.getState().settings.batchSize).toBe(8);
  });

  it('overlays runs and removes one, stopping it when live', () => {
    const first = useAppStore.getState().train()!;
    useAppStore.getState().handleWorkerEvent(runStarted(first));
    const second = useAppStore.getState().train()!;
    const state = useAppStore.getState();
    expect(state.runs.map((run) => run.id)).toEqual([first, second]);
    expect(state.runs[0]!.colorIndex).not.toBe(state.runs[1]!.colorIndex);
    // Starting the second run stopped the first.
    expect(posted.filter((request) => request.type === 'stop')).toEqual([
      { type: 'stop', runId: first },
    ]);

    useAppStore.getState().toggleRun(first);
    expect(useAppStore.getState().runs[0]!.visible).toBe(false);
    useAppStore.getState().removeRun(second);
    expect(useAppStore.getState().runs.map((run) => run.id)).toEqual([first]);
    expect(useAppStore.getState().activeRunId).toBeNull();
  });

  it('ignores a second Train press until the run has started', () => {
    const first = useAppStore.getState().train();
    expect(useAppStore.getState().train()).toBeNull();
    expect(useAppStore.getState().runs.map((run) => run.id)).toEqual([first]);
    expect(posted.filter((request) => request.type === 'train')).toHaveLength(1);
    expect(posted.filter((request) => request.type === 'stop')).toHaveLength(0);

    useAppStore.getState().handleWorkerEvent(runStarted(first!));
    expect(useAppStore.getState().train()).toBe(first! + 1);
  });

  it('accepts Train again after the start failed', () => {
    const first = useAppStore.getState().train()!;
    useAppStore.getState().handleWorkerEvent({
      type: 'run-error',
      runId: first,
      error: { code: 'ui.error.test', params: {} },
    });
    expect(useAppStore.getState().train()).toBe(first + 1);
  });

  it('keeps the curves of a reset run and frees its model', () => {
    const first = useAppStore.getState().train()!;
    useAppStore.getState().handleWorkerEvent(runStarted(first));
    useAppStore.getState().handleWorkerEvent(progress(1, 2.3));
    useAppStore.getState().reset();

    expect(posted.at(-1)).toEqual({ type: 'reset', runId: first });
    const state = useAppStore.getState();
    expect(state.activeRunId).toBeNull();
    expect(state.runs.map((run) => run.id)).toEqual([first]);
    expect(state.runs[0]!.state).toBe('stopped');
    expect(state.runs[0]!.steps).toHaveLength(1);

    // The worker's idle report after the reset leaves the run shown as stopped.
    useAppStore.getState().handleWorkerEvent({ type: 'run-state', runId: first, state: 'idle' });
    expect(useAppStore.getState().runs[0]!.state).toBe('stopped');
    expect(useAppStore.getState().runs[0]!.steps).toHaveLength(1);

    useAppStore.getState().removeRun(first);
    expect(useAppStore.getState().runs).toEqual([]);
  });

  it('keeps a finished run done after a reset', () => {
    const first = useAppStore.getState().train()!;
    useAppStore.getState().handleWorkerEvent({ type: 'run-state', runId: first, state: 'done' });
    useAppStore.getState().reset();
    useAppStore.getState().handleWorkerEvent({ type: 'run-state', runId: first, state: 'idle' });
    expect(useAppStore.getState().runs[0]!.state).toBe('done');
  });

  it('restores a checkpoint into a new run and stops the live one', () => {
    const first = useAppStore.getState().train()!;
    const restored = useAppStore.getState().restoreCheckpoint('c1');
    expect(restored).toBe(first + 1);
    expect(posted.slice(-2)).toEqual([
      { type: 'stop', runId: first },
      { type: 'restore', runId: restored, checkpointId: 'c1' },
    ]);
    expect(useAppStore.getState().activeRunId).toBe(restored);
  });

  it('applies subscribed events in batches', async () => {
    const { connectWorker } = await import('./store');
    const disconnect = connectWorker();
    const runId = useAppStore.getState().train()!;
    let changes = 0;
    const unsubscribe = useAppStore.subscribe(() => {
      changes += 1;
    });
    listener?.(runStarted(runId));
    listener?.(progress(1, 2.2));
    listener?.(progress(2, 2.1));
    // Nothing is applied until the batch is delivered.
    expect(activeRun(useAppStore.getState())?.steps).toHaveLength(0);
    await vi.waitFor(() => expect(activeRun(useAppStore.getState())?.steps).toHaveLength(2));
    expect(activeRun(useAppStore.getState())?.state).toBe('training');
    expect(changes).toBe(1);
    unsubscribe();
    disconnect();
  });

  it('applies a batch with one change', () => {
    const runId = useAppStore.getState().train()!;
    let changes = 0;
    const unsubscribe = useAppStore.subscribe(() => {
      changes += 1;
    });
    useAppStore
      .getState()
      .handleWorkerEvents([
        runStarted(runId),
        progress(1, 2.3),
        { type: 'run-state', runId, state: 'paused' },
        progress(2, 2.2),
        { type: 'memory', runId, numTensors: 12, numBytes: 3400 },
      ]);
    unsubscribe();
    const run = activeRun(useAppStore.getState())!;
    expect(changes).toBe(1);
    expect(run.steps.map((point) => point.loss)).toEqual([2.3, 2.2]);
    expect(run.state).toBe('paused');
    expect(run.memory).toEqual({ numTensors: 12, numBytes: 3400 });
    // One version per event that changed the run.
    expect(run.version).toBe(5);
  });

  it('ignores batches that change nothing', () => {
    let changes = 0;
    const unsubscribe = useAppStore.subscribe(() => {
      changes += 1;
    });
    useAppStore.getState().handleWorkerEvents([progress(1, 2.3)]);
    useAppStore.getState().handleWorkerEvents([]);
    unsubscribe();
    expect(changes).toBe(0);
  });
});
