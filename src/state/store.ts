// The app store: the config being edited and the last valid one with its plan,
// training settings, runs with their metric series, backend information,
// language and teacher options. Worker events arrive through `connectWorker`.

import { create } from 'zustand';
import { defaultConfig } from '../densenet/config';
import type { DenseNetConfig, DenseNetPlan, ValidationIssue } from '../densenet/types';
import { detectLanguage, type Language } from '../i18n';
import type {
  RecipeName,
  TrainingSettings,
  WorkerEvent,
  WorkerRequest,
} from '../training/protocol';
import { checkConfig } from './architecture';
import { createBatchQueue } from './batchQueue';
import {
  createRun,
  isRunLive,
  nextColorIndex,
  type RunRecord,
  type RunsState,
  reduceWorkerEvent,
} from './runs';
import { applyRecipe, checkSetting, DEFAULT_SETTINGS, type NumericSetting } from './settings';
import { NO_TEACHER_OPTIONS, type TeacherOptions } from './teacher';
import type { TeachingTopic } from './topics';
import type { DatasetLink, UrlIssue } from './url';
import { workerChannel } from './worker';

export const DEFAULT_DATASET_LINK: DatasetLink = {
  dataset: 'cifar10',
  labelMode: 'fine',
  // The data panel's default; a same-origin copy replaces it once found (see dataset.ts).
  source: 'parquet',
  trainSize: 4000,
  testSize: 1000,
  subsetSeed: null,
  trainUrl: null,
  testUrl: null,
};

export interface AppState extends RunsState {
  language: Language;
  /** True once the language was chosen on the page or by the link, not taken from the browser. */
  languageChosen: boolean;
  /** The config as the form shows it, possibly invalid. */
  configDraft: DenseNetConfig;
  /** Validation issues of `configDraft`; empty when it is valid. */
  configIssues: ValidationIssue[];
  /** The last valid config and its plan: what the graph and readouts show. */
  config: DenseNetConfig;
  plan: DenseNetPlan;
  settings: TrainingSettings;
  datasetLink: DatasetLink;
  teacher: TeacherOptions;
  urlIssues: UrlIssue[];
  nextRunId: number;
  /** An error not tied to a run (for example, Train pressed before data was loaded). */
  notice: { key: string; params: Record<string, string | number> } | null;
  /** The explanation the teaching panel opens: the one about the control last focused. */
  topic: TeachingTopic | null;

  /** Switches the language; `chosen` marks an explicit choice, which the link then records. */
  setLanguage(language: Language, chosen?: boolean): void;
  updateConfig(patch: Partial<DenseNetConfig>): void;
  replaceConfig(config: DenseNetConfig): void;
  updateSettings(patch: Partial<TrainingSettings>): void;
  applyRecipe(recipe: RecipeName): void;
  setLearningRate(learningRate: number): void;
  updateDatasetLink(patch: Partial<DatasetLink>): void;
  setUrlIssues(issues: UrlIssue[]): void;
  setTeacher(teacher: TeacherOptions): void;
  setNotice(notice: AppState['notice']): void;
  setTopic(topic: TeachingTopic | null): void;

  train(): number | null;
  pause(): void;
  resume(): void;
  step(): void;
  stop(): void;
  reset(): void;
  toggleRun(runId: number): void;
  removeRun(runId: number): void;
  selectBackend(): void;
  evaluateNow(): void;
  saveModel(): void;
  checkpoint(): void;
  listCheckpoints(): void;
  /** Starts a new run from a saved checkpoint; it arrives paused, with its curves so far. */
  restoreCheckpoint(checkpointId: string): number;
  clearSavedModel(): void;
  handleWorkerEvent(event: WorkerEvent): void;
  /** Applies events in order with one state change, so that they cost one render. */
  handleWorkerEvents(events: readonly WorkerEvent[]): void;
}

function initialLanguage(): Language {
  if (typeof navigator === 'undefined') return 'en';
  return detectLanguage(navigator.languages ?? [navigator.language]);
}

function initialConfigState() {
  const config = defaultConfig();
  const { plan } = checkConfig(config);
  if (!plan) throw new Error('the default DenseNet config does not validate');
  return { configDraft: config, configIssues: [], config, plan };
}

function post(request: WorkerRequest): void {
  workerChannel().post(request);
}

export function activeRun(state: Pick<AppState, 'runs' | 'activeRunId'>): RunRecord | undefined {
  return state.runs.find((run) => run.id === state.activeRunId);
}

export const useAppStore = create<AppState>()((set, get) => ({
  ...initialConfigState(),
  language: initialLanguage(),
  languageChosen: false,
  settings: DEFAULT_SETTINGS,
  datasetLink: DEFAULT_DATASET_LINK,
  teacher: NO_TEACHER_OPTIONS,
  urlIssues: [],
  runs: [],
  activeRunId: null,
  nextRunId: 1,
  backend: null,
  backendMeasurements: null,
  backendMeasuring: null,
  backendMeasureError: null,
  classNames: [],
  announcement: null,
  checkpoints: [],
  savedModel: null,
  notice: null,
  topic: null,

  setLanguage(language, chosen = true) {
    set({ language, languageChosen: chosen || get().languageChosen });
    if (typeof document !== 'undefined') document.documentElement.lang = language;
  },

  updateConfig(patch) {
    get().replaceConfig({ ...get().configDraft, ...patch });
  },

  replaceConfig(draft) {
    const { issues, plan } = checkConfig(draft);
    if (plan) set({ configDraft: draft, configIssues: [], config: draft, plan });
    // An invalid draft keeps the last valid config and plan on screen.
    else set({ configDraft: draft, configIssues: issues });
  },

  updateSettings(patch) {
    const next = { ...get().settings, ...patch };
    for (const field of Object.keys(patch) as (keyof TrainingSettings)[]) {
      if (field in DEFAULT_SETTINGS && typeof next[field] === 'number') {
        if (checkSetting(field as NumericSetting, next[field] as number)) return;
      }
    }
    set({ settings: next });
  },

  applyRecipe(recipe) {
    set({ settings: applyRecipe(get().settings, recipe) });
  },

  setLearningRate(learningRate) {
    if (checkSetting('learningRate', learningRate)) return;
    set({ settings: { ...get().settings, learningRate } });
    const run = activeRun(get());
    if (run && isRunLive(run)) post({ type: 'set-learning-rate', runId: run.id, learningRate });
  },

  updateDatasetLink(patch) {
    set({ datasetLink: { ...get().datasetLink, ...patch } });
  },

  setUrlIssues(urlIssues) {
    set({ urlIssues });
  },

  setTeacher(teacher) {
    set({ teacher });
  },

  setNotice(notice) {
    set({ notice });
  },

  setTopic(topic) {
    if (get().topic !== topic) set({ topic });
  },

  train() {
    const state = get();
    const current = activeRun(state);
    // A second Train press before run-started (or an error) would replace the run being built
    // with an empty stopped one, so it is ignored.
    if (current?.state === 'building') return null;
    if (current && isRunLive(current)) post({ type: 'stop', runId: current.id });
    const runId = state.nextRunId;
    const numClasses =
      state.classNames.length >= 2 ? state.classNames.length : state.config.numClasses;
    const config: DenseNetConfig = { ...state.config, numClasses };
    const run = createRun(runId, config, state.settings, nextColorIndex(state.runs));
    set({ runs: [...state.runs, run], activeRunId: runId, nextRunId: runId + 1, notice: null });
    post({ type: 'train', runId, config, settings: state.settings });
    return runId;
  },

  pause() {
    const run = activeRun(get());
    if (run) post({ type: 'pause', runId: run.id });
  },

  resume() {
    const run = activeRun(get());
    if (run) post({ type: 'resume', runId: run.id });
  },

  step() {
    const run = activeRun(get());
    if (run) post({ type: 'step', runId: run.id });
  },

  stop() {
    const run = activeRun(get());
    if (run) post({ type: 'stop', runId: run.id });
  },

  reset() {
    const run = activeRun(get());
    if (!run) return;
    post({ type: 'reset', runId: run.id });
    // Reset frees the run's model in the worker but keeps its curves in the overlay list;
    // only removeRun deletes them. A live run shows as stopped from now on.
    set({
      runs: get().runs.map((other) =>
        other.id === run.id && isRunLive(other)
          ? { ...other, state: 'stopped', etaSeconds: null, version: other.version + 1 }
          : other,
      ),
      activeRunId: null,
    });
  },

  toggleRun(runId) {
    set({
      runs: get().runs.map((run) =>
        run.id === runId ? { ...run, visible: !run.visible, version: run.version + 1 } : run,
      ),
    });
  },

  removeRun(runId) {
    const state = get();
    const run = state.runs.find((candidate) => candidate.id === runId);
    if (!run) return;
    if (isRunLive(run)) post({ type: 'stop', runId });
    set({
      runs: state.runs.filter((candidate) => candidate.id !== runId),
      activeRunId: state.activeRunId === runId ? null : state.activeRunId,
    });
  },

  selectBackend() {
    post({ type: 'select-backend', requestId: Date.now(), backend: get().settings.backend });
  },

  evaluateNow() {
    const run = activeRun(get());
    if (run && isRunLive(run)) post({ type: 'evaluate', runId: run.id });
  },

  saveModel() {
    const run = activeRun(get());
    if (run) post({ type: 'save-model', runId: run.id });
  },

  checkpoint() {
    const run = activeRun(get());
    if (run) post({ type: 'checkpoint', runId: run.id });
  },

  listCheckpoints() {
    post({ type: 'list-checkpoints', requestId: Date.now() });
  },

  restoreCheckpoint(checkpointId) {
    const state = get();
    const current = activeRun(state);
    if (current && isRunLive(current)) post({ type: 'stop', runId: current.id });
    const runId = state.nextRunId;
    // A placeholder until run-restored brings the checkpoint's config and curves, so that an
    // error about the checkpoint has a run to show on.
    const run = createRun(runId, state.config, state.settings, nextColorIndex(state.runs));
    set({ runs: [...state.runs, run], activeRunId: runId, nextRunId: runId + 1, notice: null });
    post({ type: 'restore', runId, checkpointId });
    return runId;
  },

  clearSavedModel() {
    set({ savedModel: null });
  },

  handleWorkerEvent(event) {
    const change = reduceWorkerEvent(get(), event);
    if (change) set(change);
  },

  handleWorkerEvents(events) {
    let state: AppState = get();
    let changed = false;
    const change: Partial<AppState> = {};
    for (const event of events) {
      const next = reduceWorkerEvent(state, event);
      if (!next) continue;
      state = { ...state, ...next };
      Object.assign(change, next);
      changed = true;
    }
    if (changed) set(change);
  },
}));

let disconnect: (() => void) | null = null;

/**
 * Subscribes the store to the worker's events once; returns the unsubscribe
 * function. Events that arrive within about a frame of each other are applied
 * together, with one render (see batchQueue.ts).
 */
export function connectWorker(): () => void {
  if (!disconnect) {
    const queue = createBatchQueue<WorkerEvent>((events) =>
      useAppStore.getState().handleWorkerEvents(events),
    );
    const unsubscribe = workerChannel().subscribe((event) => queue.push(event));
    disconnect = () => {
      unsubscribe();
      queue.flush();
    };
  }
  return () => {
    disconnect?.();
    disconnect = null;
  };
}
