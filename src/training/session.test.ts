import * as tf from '@tensorflow/tfjs';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedDataset } from '../data/types';
import { planDenseNet } from '../densenet/plan';
import type { DenseNetConfig } from '../densenet/types';
import { CheckpointStore } from './checkpoint';
import type { TrainingSettings, WorkerEvent, WorkerRequest } from './protocol';
import { CLASSROOM_RECIPE } from './recipes';
import { loadModelFiles } from './save';
import { TrainingSession } from './session';
import { readCifar10 } from './testData';

const TINY: DenseNetConfig = {
  layout: 'cifar',
  growthRate: 4,
  depth: 10,
  blockLayers: null,
  bottleneck: true,
  bottleneckWidth: 4,
  compression: 0.5,
  initialChannels: null,
  numClasses: 10,
  inputSize: 32,
  dropRate: 0,
};

/** 64 training images in batches of 8: 8 steps per epoch. */
const SETTINGS: TrainingSettings = {
  ...CLASSROOM_RECIPE,
  batchSize: 8,
  epochs: 1,
  backend: 'cpu',
  seed: 3,
};

const CLASS_NAMES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

function subset(file: 'train.bin' | 'test.bin', count: number) {
  const data = readCifar10(file, count);
  const classCounts = new Array<number>(10).fill(0);
  for (const label of data.labels) classCounts[label]! += 1;
  return { images: data.pixels, labels: data.labels, classCounts, count };
}

let dataset: LoadedDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = {
    dataset: 'cifar10',
    labelMode: 'fine',
    classNames: CLASS_NAMES,
    train: subset('train.bin', 64),
    test: subset('test.bin', 16),
    sourceLabel: 'train.bin, test.bin',
    seed: 1,
    requestedTrainSize: 64,
    requestedTestSize: 16,
  };
});

/** Creates a session on the CPU backend that records every event it posts. */
function createSession(withData = true) {
  const events: WorkerEvent[] = [];
  const session = new TrainingSession({
    post: (event) => events.push(event),
    dataset: () => (withData ? dataset : null),
    yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
    now: () => performance.now(),
    checkpoints: new CheckpointStore(new IDBFactory()),
    crossOriginIsolated: false,
  });
  const send = (request: WorkerRequest) => expect(session.handle(request)).toBe(true);

  /** Resolves with the first event from index `from` on that matches. */
  const waitFor = async <T extends WorkerEvent['type']>(
    type: T,
    matches: (event: Extract<WorkerEvent, { type: T }>) => boolean = () => true,
    from = 0,
    timeoutMs = 200_000,
  ): Promise<Extract<WorkerEvent, { type: T }>> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (let i = from; i < events.length; i++) {
        const event = events[i]!;
        if (event.type === type && matches(event as Extract<WorkerEvent, { type: T }>)) {
          return event as Extract<WorkerEvent, { type: T }>;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(
      `no ${type} event within ${timeoutMs} ms; saw ${events.map((e) => e.type).join(', ')}`,
    );
  };
  const progressSteps = (runId: number) =>
    events.flatMap((event) =>
      event.type === 'progress' && event.runId === runId ? [event.step] : [],
    );
  return { session, events, send, waitFor, progressSteps };
}

describe('TrainingSession', () => {
  it('pauses, steps one batch, resumes and stops, then frees the model', async () => {
    const { events, send, waitFor, progressSteps } = createSession();
    const beforeBuild = tf.memory().numTensors;
    send({ type: 'train', runId: 1, config: TINY, settings: SETTINGS });

    const backend = await waitFor('backend');
    expect(backend.backend).toBe('cpu');
    const started = await waitFor('run-started');
    expect(started).toMatchObject({ runId: 1, backend: 'cpu', stepsPerEpoch: 8 });
    expect(started.trainableParams).toBe(planDenseNet(TINY).trainableParams);
    await waitFor('progress', (event) => event.runId === 1);
    await waitFor('memory', (event) => event.runId === 1);

    send({ type: 'pause', runId: 1 });
    await waitFor('run-state', (event) => event.state === 'paused');
    const pausedAt = Math.max(...progressSteps(1));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(Math.max(...progressSteps(1))).toBe(pausedAt);

    // A request for another run id is stale and changes nothing.
    send({ type: 'resume', runId: 99 });
    send({ type: 'step', runId: 1 });
    const stepped = await waitFor('progress', (event) => event.step === pausedAt + 1);
    expect(stepped.learningRate).toBe(SETTINGS.learningRate);
    expect(Number.isFinite(stepped.loss)).toBe(true);
    expect(
      events.filter((event) => event.type === 'run-state' && event.state === 'training'),
    ).toHaveLength(1);

    // A new learning rate applies from the next step without a reset.
    send({ type: 'set-learning-rate', runId: 1, learningRate: 0.0005 });
    send({ type: 'step', runId: 1 });
    const slower = await waitFor('progress', (event) => event.step === pausedAt + 2);
    expect(slower.learningRate).toBe(0.0005);

    // Evaluation on request uses the test split at the current, fractional epoch.
    send({ type: 'evaluate', runId: 1 });
    const evaluated = await waitFor('epoch', (event) => event.runId === 1);
    expect(evaluated.step).toBe(pausedAt + 2);
    expect(evaluated.epoch).toBeCloseTo((pausedAt + 2) / 8, 10);
    expect(evaluated.confusion.flat().reduce((sum, count) => sum + count, 0)).toBe(16);

    send({ type: 'resume', runId: 1 });
    await waitFor('progress', (event) => event.step > pausedAt + 2);
    send({ type: 'stop', runId: 1 });
    await waitFor('run-state', (event) => event.state === 'stopped');
    const memory = events.flatMap((event) => (event.type === 'memory' ? [event] : [])).at(-1)!;
    // The subset stays on the device (2 splits of images and labels); the model and optimizer are gone.
    expect(memory.numTensors).toBe(beforeBuild + 4);
    expect(tf.memory().numTensors).toBe(beforeBuild + 4);

    // Every progress point is finite and steps only go up.
    const steps = progressSteps(1);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));

    // The stopped run's weights were kept on the host, so it can still be saved.
    send({ type: 'save-model', runId: 1 });
    const saved = await waitFor('model-saved');
    expect(saved.files.map((file) => file.name)).toEqual(['model.json', 'weights.bin']);
    const model = await loadModelFiles(saved.files);
    expect(model.countParams()).toBe(planDenseNet(TINY).totalParams);
    model.dispose();
  }, 400_000);

  it('evaluates each epoch end, then frees the run', async () => {
    const { send, waitFor } = createSession();
    const settings = { ...SETTINGS, batchSize: 32 };
    send({ type: 'train', runId: 5, config: TINY, settings });
    await waitFor('run-started');
    const beforeEpoch = tf.memory().numTensors;
    const epoch = await waitFor('epoch', (event) => event.runId === 5);
    expect(epoch.epoch).toBe(1);
    expect(epoch.step).toBe(2);
    expect(epoch.confusion.flat().reduce((sum, count) => sum + count, 0)).toBe(16);
    expect(epoch.perClassAccuracy).toHaveLength(10);
    expect(epoch.featureReuse.blocks).toHaveLength(3);
    expect(epoch.predictions.length).toBe(16);
    expect(epoch.predictions[0]!.rgba?.length).toBe(32 * 32 * 4);
    for (const prediction of epoch.predictions) {
      expect(prediction.label).toBe(dataset.test.labels[prediction.index]);
    }
    await waitFor('run-state', (event) => event.state === 'done');
    expect(tf.memory().numTensors).toBeLessThan(beforeEpoch);
  }, 400_000);

  it('restores a checkpoint and continues with the same next loss', async () => {
    const { send, waitFor, events } = createSession();
    send({ type: 'train', runId: 7, config: TINY, settings: SETTINGS });
    await waitFor('progress', (event) => event.runId === 7);
    send({ type: 'pause', runId: 7 });
    await waitFor('run-state', (event) => event.state === 'paused');
    send({ type: 'checkpoint', runId: 7 });
    const saved = await waitFor('checkpoint-saved');
    const checkpointStep = saved.checkpoint.step;

    const mark = events.length;
    send({ type: 'step', runId: 7 });
    const original = await waitFor('progress', (event) => event.runId === 7, mark);
    expect(original.step).toBe(checkpointStep + 1);

    send({ type: 'list-checkpoints', requestId: 1 });
    const list = await waitFor('checkpoint-list');
    expect(list.entries.map((entry) => entry.checkpointId)).toEqual([
      saved.checkpoint.checkpointId,
    ]);

    send({ type: 'restore', runId: 8, checkpointId: saved.checkpoint.checkpointId });
    const restored = await waitFor('run-restored');
    expect(restored.config).toEqual(TINY);
    expect(restored.history.steps.at(-1)?.step).toBe(checkpointStep);
    await waitFor('run-state', (event) => event.runId === 8 && event.state === 'paused');
    // The old run was stopped by the restore, and its late requests are dropped.
    await waitFor('run-state', (event) => event.runId === 7 && event.state === 'stopped');
    send({ type: 'step', runId: 7 });
    send({ type: 'step', runId: 8 });
    const replayed = await waitFor('progress', (event) => event.runId === 8);
    expect(replayed.step).toBe(checkpointStep + 1);
    expect(replayed.loss).toBe(original.loss);
    send({ type: 'stop', runId: 8 });
    await waitFor('run-state', (event) => event.runId === 8 && event.state === 'stopped');
  }, 400_000);

  it('stops a diverging run within one batch and keeps no bad point', async () => {
    const { events, send, waitFor } = createSession();
    const beforeBuild = tf.memory().numTensors;
    send({ type: 'train', runId: 3, config: TINY, settings: { ...SETTINGS, learningRate: 10 } });
    const error = await waitFor('run-error', (event) => event.runId === 3);
    expect(error.error.code).toBe('run.diverged');
    const divergedAt = Number(error.error.params.step);
    expect(Number(error.error.params.loss)).toBeGreaterThan(20 * Math.log(10));
    await waitFor('run-state', (event) => event.runId === 3 && event.state === 'diverged');
    const points = events.flatMap((event) => (event.type === 'progress' ? [event] : []));
    expect(points.every((point) => Number.isFinite(point.loss) && point.step < divergedAt)).toBe(
      true,
    );
    // At most one more step was enqueued after the diverging one, and nothing ran after the error.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events.filter((event) => event.type === 'progress')).toHaveLength(points.length);
    const states = events.flatMap((event) => (event.type === 'run-state' ? [event.state] : []));
    expect(states.at(-1)).toBe('diverged');
    expect(tf.memory().numTensors).toBe(beforeBuild + 4);
  }, 400_000);

  it('ends an out-of-memory run without later points', async () => {
    const { events, send, session, waitFor } = createSession();
    const beforeBuild = tf.memory().numTensors;
    send({ type: 'train', runId: 5, config: TINY, settings: SETTINGS });
    await waitFor('progress', (event) => event.runId === 5 && event.step >= 2);
    // A thrown allocation failure that escaped to the worker's unhandledrejection handler.
    session.reportUnexpected(new RangeError('Array buffer allocation failed'));
    const pointsAtFailure = events.filter((event) => event.type === 'progress').length;

    const error = await waitFor('run-error', (event) => event.runId === 5);
    expect(error.error).toEqual({
      code: 'run.outOfMemory',
      params: { backend: 'cpu', batchSize: 8, detail: 'Array buffer allocation failed' },
    });
    await waitFor('run-state', (event) => event.runId === 5 && event.state === 'failed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // No point is drawn after the failure.
    expect(events.filter((event) => event.type === 'progress')).toHaveLength(pointsAtFailure);
    expect(tf.memory().numTensors).toBe(beforeBuild + 4);

    // The same session trains again afterwards.
    const from = events.length;
    send({ type: 'train', runId: 6, config: TINY, settings: SETTINGS });
    const next = await waitFor('progress', (event) => event.runId === 6, from);
    expect(Number.isFinite(next.loss)).toBe(true);
    send({ type: 'stop', runId: 6 });
    await waitFor('run-state', (event) => event.runId === 6 && event.state === 'stopped', from);
  }, 400_000);

  it('rejects bad requests with codes the UI can explain', async () => {
    const { send, waitFor } = createSession(false);
    send({ type: 'train', runId: 1, config: TINY, settings: SETTINGS });
    expect((await waitFor('run-error', (event) => event.runId === 1)).error.code).toBe(
      'run.noData',
    );

    const withData = createSession();
    withData.send({
      type: 'train',
      runId: 2,
      config: TINY,
      settings: { ...SETTINGS, batchSize: 0 },
    });
    const range = await withData.waitFor('run-error', (event) => event.runId === 2);
    expect(range.error).toEqual({
      code: 'training.settings.outOfRange',
      params: { field: 'batchSize', value: '0', min: 1, max: 1024 },
    });
    withData.send({
      type: 'train',
      runId: 3,
      config: { ...TINY, numClasses: 100 },
      settings: SETTINGS,
    });
    const classes = await withData.waitFor('run-error', (event) => event.runId === 3);
    expect(classes.error).toEqual({
      code: 'run.classMismatch',
      params: { configClasses: 100, dataClasses: 10 },
    });
    withData.send({ type: 'train', runId: 4, config: { ...TINY, depth: 11 }, settings: SETTINGS });
    const depth = await withData.waitFor('run-error', (event) => event.runId === 4);
    expect(depth.error.params.field).toBe('depth');
  });
});
