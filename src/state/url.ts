// The shareable state <-> URL query mapping. A link contains the whole set-up
// (config, training settings, seed, dataset source and sizes, teacher options,
// language), so opening it reproduces a run. Parsing never throws: each bad
// parameter becomes a `UrlIssue` naming the parameter, the value, what is
// allowed and the default used instead.

import type { DenseNetConfig, Layout, ValidationIssue } from '../densenet/types';
import type { Language } from '../i18n';
import type {
  BackendChoice,
  DatasetName,
  LabelMode,
  LearningRateSchedule,
  OptimizerName,
  RecipeName,
  TrainingSettings,
} from '../training/protocol';
import { DROP_RATE_RANGE } from './architecture';
import { BACKEND_CHOICES, OPTIMIZERS, RECIPES, SCHEDULES, SETTING_RANGES } from './settings';
import { type ControlId, isControlId, type TeacherOptions } from './teacher';

export type DatasetSourceKind = 'files' | 'archive' | 'url-binary' | 'parquet' | 'cache';
export const DATASET_SOURCE_KINDS: readonly DatasetSourceKind[] = [
  'files',
  'archive',
  'url-binary',
  'parquet',
  'cache',
];

/** The dataset part of a link: which data and how much of it, never the bytes. */
export interface DatasetLink {
  dataset: DatasetName;
  labelMode: LabelMode;
  source: DatasetSourceKind;
  trainSize: number;
  testSize: number;
  /** Seed that picks the subset's images; null follows the training seed. */
  subsetSeed: number | null;
  trainUrl: string | null;
  testUrl: string | null;
}

export interface LinkState {
  config: DenseNetConfig;
  settings: TrainingSettings;
  dataset: DatasetLink;
  teacher: TeacherOptions;
  language: Language | null;
}

/** The values a parameter allows, as an i18n key and its placeholders. */
export interface AllowedValues {
  key: string;
  params: Record<string, string | number>;
}

export interface UrlIssue {
  parameter: string;
  value: string;
  allowed: AllowedValues;
  /** The value used instead, as text. */
  fallback: string;
}

export const DATASET_SIZE_RANGES = {
  trainSize: { min: 10, max: 50_000 },
  testSize: { min: 10, max: 10_000 },
} as const;

/** Seeds the data panel accepts for picking a subset: any 32-bit unsigned integer. */
export const SUBSET_SEED_RANGE = { min: 0, max: 2 ** 32 - 1 } as const;

/** Query parameter names; short, since people read and edit links by hand. */
export const PARAM = {
  layout: 'layout',
  growthRate: 'k',
  depth: 'L',
  blockLayers: 'blocks',
  bottleneck: 'bottleneck',
  bottleneckWidth: 'width',
  compression: 'theta',
  initialChannels: 'k0',
  dropRate: 'drop',
  recipe: 'recipe',
  optimizer: 'optimizer',
  epochs: 'epochs',
  batchSize: 'batch',
  learningRate: 'lr',
  schedule: 'schedule',
  momentum: 'momentum',
  nesterov: 'nesterov',
  weightDecay: 'wd',
  augment: 'augment',
  seed: 'seed',
  backend: 'backend',
  dataset: 'dataset',
  labelMode: 'labels',
  source: 'source',
  trainSize: 'train',
  testSize: 'test',
  subsetSeed: 'subsetSeed',
  trainUrl: 'trainUrl',
  testUrl: 'testUrl',
  lock: 'lock',
  hide: 'hide',
  language: 'lang',
} as const;

const LAYOUTS: readonly Layout[] = ['cifar', 'imagenet'];
const DATASETS: readonly DatasetName[] = ['cifar10', 'cifar100'];
const LABEL_MODES: readonly LabelMode[] = ['fine', 'coarse'];
const LANGUAGE_VALUES: readonly Language[] = ['en', 'ko'];

/** Config fields a link may set, mapped to their query parameter. */
const CONFIG_PARAMS: Partial<Record<keyof DenseNetConfig, string>> = {
  layout: PARAM.layout,
  growthRate: PARAM.growthRate,
  depth: PARAM.depth,
  blockLayers: PARAM.blockLayers,
  bottleneck: PARAM.bottleneck,
  bottleneckWidth: PARAM.bottleneckWidth,
  compression: PARAM.compression,
  initialChannels: PARAM.initialChannels,
  dropRate: PARAM.dropRate,
};

class Reader {
  readonly issues: UrlIssue[] = [];
  constructor(private readonly params: URLSearchParams) {}

  private raw(name: string): string | null {
    return this.params.get(name);
  }

  private reject(name: string, value: string, allowed: AllowedValues, fallback: unknown): void {
    this.issues.push({ parameter: name, value, allowed, fallback: formatValue(fallback) });
  }

  number(
    name: string,
    fallback: number,
    range: { min: number; max: number; integer: boolean; aboveMin?: boolean },
  ): number {
    const text = this.raw(name);
    if (text === null) return fallback;
    const value = text.trim() === '' ? Number.NaN : Number(text);
    const valid =
      Number.isFinite(value) &&
      (range.aboveMin ? value > range.min : value >= range.min) &&
      value <= range.max &&
      (!range.integer || Number.isInteger(value));
    if (valid) return value;
    const key = range.integer
      ? 'ui.url.allowed.integer'
      : range.aboveMin
        ? 'ui.url.allowed.numberAboveMin'
        : 'ui.url.allowed.number';
    this.reject(name, text, { key, params: { min: range.min, max: range.max } }, fallback);
    return fallback;
  }

  /** Reads a number, or `auto` for null (the default that densenet/config derives). */
  optionalNumber(
    name: string,
    fallback: number | null,
    range: { min: number; max: number; integer: boolean },
  ): number | null {
    const text = this.raw(name);
    if (text === null) return fallback;
    if (text === 'auto') return null;
    const value = Number(text);
    if (
      text.trim() !== '' &&
      Number.isFinite(value) &&
      value >= range.min &&
      value <= range.max &&
      (!range.integer || Number.isInteger(value))
    ) {
      return value;
    }
    this.reject(
      name,
      text,
      { key: 'ui.url.allowed.integerOrAuto', params: { min: range.min, max: range.max } },
      fallback ?? 'auto',
    );
    return fallback;
  }

  choice<T extends string>(name: string, fallback: T, values: readonly T[]): T {
    const text = this.raw(name);
    if (text === null) return fallback;
    if ((values as readonly string[]).includes(text)) return text as T;
    this.reject(
      name,
      text,
      { key: 'ui.url.allowed.oneOf', params: { values: values.join(', ') } },
      fallback,
    );
    return fallback;
  }

  flag(name: string, fallback: boolean): boolean {
    const text = this.raw(name);
    if (text === null) return fallback;
    if (text === '1' || text === 'true') return true;
    if (text === '0' || text === 'false') return false;
    this.reject(name, text, { key: 'ui.url.allowed.flag', params: {} }, fallback ? '1' : '0');
    return fallback;
  }

  /** Layers per block as `6-12-24-16`; `auto` means "derive from the depth". */
  blockList(name: string, fallback: number[] | null): number[] | null {
    const text = this.raw(name);
    if (text === null) return fallback;
    if (text === 'auto' || text === '') return null;
    const parts = text.split(/[-,]/);
    const values = parts.map((part) => Number(part));
    const valid =
      parts.length >= 1 &&
      parts.length <= 8 &&
      values.every((value) => Number.isInteger(value) && value >= 1 && value <= 256);
    if (valid) return values;
    this.reject(
      name,
      text,
      { key: 'ui.url.allowed.blockList', params: { max: 256, blocks: 8 } },
      fallback ?? 'auto',
    );
    return fallback;
  }

  url(name: string, fallback: string | null): string | null {
    const text = this.raw(name);
    if (text === null) return fallback;
    try {
      const parsed = new URL(text);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return text;
    } catch {
      // Falls through to the report below.
    }
    this.reject(name, text, { key: 'ui.url.allowed.httpUrl', params: {} }, fallback ?? '');
    return fallback;
  }

  controls(name: string): ControlId[] {
    const text = this.raw(name);
    if (text === null || text === '') return [];
    const ids: ControlId[] = [];
    for (const part of text.split(',')) {
      const id = part.trim();
      if (isControlId(id)) {
        if (!ids.includes(id)) ids.push(id);
      } else {
        this.reject(name, id, { key: 'ui.url.allowed.controls', params: {} }, '');
      }
    }
    return ids;
  }
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'auto';
  if (Array.isArray(value)) return value.join('-');
  return String(value);
}

/**
 * Reads a link's query string. Every parameter is optional; a missing one
 * takes its value from `defaults`. `validate` (the densenet validator) checks
 * the assembled config: a field it rejects is reported against its parameter
 * and reset to the default, and if the config is still invalid after that,
 * the whole default config is used.
 */
export function parseLink(
  search: string,
  defaults: LinkState,
  validate: (config: DenseNetConfig) => ValidationIssue[],
): { state: LinkState; issues: UrlIssue[]; configIssues: ValidationIssue[] } {
  const params = new URLSearchParams(search);
  const read = new Reader(params);
  const base = defaults.config;

  const parsedConfig: DenseNetConfig = {
    ...base,
    layout: read.choice(PARAM.layout, base.layout, LAYOUTS),
    growthRate: read.number(PARAM.growthRate, base.growthRate, {
      min: 1,
      max: 1024,
      integer: true,
    }),
    depth: read.optionalNumber(PARAM.depth, base.depth, { min: 1, max: 10_000, integer: true }),
    blockLayers: read.blockList(PARAM.blockLayers, base.blockLayers),
    bottleneck: read.flag(PARAM.bottleneck, base.bottleneck),
    bottleneckWidth: read.number(PARAM.bottleneckWidth, base.bottleneckWidth, {
      min: 1,
      max: 64,
      integer: true,
    }),
    compression: read.number(PARAM.compression, base.compression, {
      min: 0,
      max: 1,
      integer: false,
      aboveMin: true,
    }),
    initialChannels: read.optionalNumber(PARAM.initialChannels, base.initialChannels, {
      min: 1,
      max: 4096,
      integer: true,
    }),
    dropRate: read.number(PARAM.dropRate, base.dropRate, DROP_RATE_RANGE),
  };

  const s = defaults.settings;
  const settings: TrainingSettings = {
    recipe: read.choice<RecipeName>(PARAM.recipe, s.recipe, RECIPES),
    optimizer: read.choice<OptimizerName>(PARAM.optimizer, s.optimizer, OPTIMIZERS),
    epochs: read.number(PARAM.epochs, s.epochs, SETTING_RANGES.epochs),
    batchSize: read.number(PARAM.batchSize, s.batchSize, SETTING_RANGES.batchSize),
    learningRate: read.number(PARAM.learningRate, s.learningRate, SETTING_RANGES.learningRate),
    schedule: read.choice<LearningRateSchedule>(PARAM.schedule, s.schedule, SCHEDULES),
    momentum: read.number(PARAM.momentum, s.momentum, SETTING_RANGES.momentum),
    nesterov: read.flag(PARAM.nesterov, s.nesterov),
    weightDecay: read.number(PARAM.weightDecay, s.weightDecay, SETTING_RANGES.weightDecay),
    augment: read.flag(PARAM.augment, s.augment),
    seed: read.number(PARAM.seed, s.seed, SETTING_RANGES.seed),
    backend: read.choice<BackendChoice>(PARAM.backend, s.backend, BACKEND_CHOICES),
  };

  const d = defaults.dataset;
  const dataset: DatasetLink = {
    dataset: read.choice(PARAM.dataset, d.dataset, DATASETS),
    labelMode: read.choice(PARAM.labelMode, d.labelMode, LABEL_MODES),
    source: read.choice(PARAM.source, d.source, DATASET_SOURCE_KINDS),
    trainSize: read.number(PARAM.trainSize, d.trainSize, {
      ...DATASET_SIZE_RANGES.trainSize,
      integer: true,
    }),
    testSize: read.number(PARAM.testSize, d.testSize, {
      ...DATASET_SIZE_RANGES.testSize,
      integer: true,
    }),
    subsetSeed: read.optionalNumber(PARAM.subsetSeed, d.subsetSeed, {
      ...SUBSET_SEED_RANGE,
      integer: true,
    }),
    trainUrl: read.url(PARAM.trainUrl, d.trainUrl),
    testUrl: read.url(PARAM.testUrl, d.testUrl),
  };

  const teacher: TeacherOptions = {
    locked: read.controls(PARAM.lock),
    hidden: read.controls(PARAM.hide),
  };

  const language = params.has(PARAM.language)
    ? read.choice<Language>(PARAM.language, defaults.language ?? 'en', LANGUAGE_VALUES)
    : defaults.language;

  const { config, issues: configIssues } = repairConfig(
    parsedConfig,
    base,
    params,
    validate,
    read.issues,
  );

  return {
    state: { config, settings, dataset, teacher, language },
    issues: read.issues.map((issue) => ({
      ...issue,
      value: shortenValue(issue.value),
      fallback: shortenValue(issue.fallback),
    })),
    configIssues,
  };
}

/** Maximum length of a value shown in full in a report, because a link may carry thousands of characters. */
export const SHOWN_VALUE_LENGTH = 40;

/** Cuts a value for display to its first `SHOWN_VALUE_LENGTH` characters and an ellipsis. */
export function shortenValue(text: string): string {
  const characters = Array.from(text);
  if (characters.length <= SHOWN_VALUE_LENGTH) return text;
  return `${characters.slice(0, SHOWN_VALUE_LENGTH).join('')}…`;
}

/**
 * Fields whose values decide whether another field is valid: when the
 * validator rejects a field the link did not change, the link's value of one
 * of these is what made it wrong.
 */
const DEPENDS_ON: Partial<Record<keyof DenseNetConfig, (keyof DenseNetConfig)[]>> = {
  blockLayers: ['layout'],
  depth: ['blockLayers', 'bottleneck', 'layout'],
  compression: ['growthRate', 'initialChannels', 'blockLayers', 'depth', 'bottleneck'],
};

/** Returns the config field an issue is about: `blockLayers[2]` is about `blockLayers`. */
function issueField(issue: ValidationIssue): keyof DenseNetConfig {
  return String(issue.field).replace(/\[\d+\]$/, '') as keyof DenseNetConfig;
}

/**
 * Resets each field the validator rejects to its default, reporting it against
 * the parameter that set it. A rejected field that the link left at its
 * default is blamed on the link parameter it depends on (an ImageNet layout
 * without blocks blames `layout`). Returns the repaired config and the
 * validation issues that caused the resets.
 */
function repairConfig(
  parsed: DenseNetConfig,
  base: DenseNetConfig,
  params: URLSearchParams,
  validate: (config: DenseNetConfig) => ValidationIssue[],
  issues: UrlIssue[],
): { config: DenseNetConfig; issues: ValidationIssue[] } {
  let config = parsed;
  // Blocks given without a depth: the depth follows from the blocks.
  if (params.has(PARAM.blockLayers) && !params.has(PARAM.depth) && config.blockLayers !== null) {
    config = { ...config, depth: null };
  }
  const seen: ValidationIssue[] = [];
  const changedByLink = (candidate: DenseNetConfig, field: keyof DenseNetConfig): boolean => {
    const parameter = CONFIG_PARAMS[field];
    return (
      parameter !== undefined &&
      params.has(parameter) &&
      formatValue(candidate[field]) !== formatValue(base[field])
    );
  };
  for (let attempt = 0; attempt < 4; attempt++) {
    const found = validate(config);
    if (found.length === 0) return { config, issues: seen };
    const repaired: DenseNetConfig = { ...config };
    let changed = false;
    const reset = new Set<keyof DenseNetConfig>();
    for (const issue of found) {
      seen.push(issue);
      const field = issueField(issue);
      const culprit = changedByLink(repaired, field)
        ? field
        : (DEPENDS_ON[field] ?? []).find((other) => changedByLink(repaired, other));
      if (culprit === undefined || reset.has(culprit)) continue;
      const parameter = CONFIG_PARAMS[culprit] as string;
      issues.push({
        parameter,
        value: params.get(parameter) ?? formatValue(repaired[culprit]),
        allowed: { key: issue.code, params: issue.params },
        fallback: formatValue(base[culprit]),
      });
      (repaired as unknown as Record<string, unknown>)[culprit] = base[culprit];
      reset.add(culprit);
      changed = true;
    }
    if (!changed) break;
    config = repaired;
  }
  const remaining = validate(config);
  if (remaining.length === 0) return { config, issues: seen };
  // Still invalid: name each remaining problem with its own reason, then use the defaults.
  for (const issue of remaining) {
    const field = issueField(issue);
    const parameter = CONFIG_PARAMS[field] ?? String(issue.field);
    issues.push({
      parameter,
      value: params.get(parameter) ?? formatValue(config[field]),
      allowed: { key: issue.code, params: issue.params },
      fallback: formatValue(base[field]),
    });
  }
  return { config: base, issues: seen };
}

/** Writes the whole state as a query string (without the leading `?`). */
export function serializeLink(state: LinkState): string {
  const params = new URLSearchParams();
  const { config, settings, dataset, teacher } = state;
  params.set(PARAM.layout, config.layout);
  params.set(PARAM.growthRate, String(config.growthRate));
  params.set(PARAM.depth, config.depth === null ? 'auto' : String(config.depth));
  params.set(
    PARAM.blockLayers,
    config.blockLayers === null ? 'auto' : config.blockLayers.join('-'),
  );
  params.set(PARAM.bottleneck, config.bottleneck ? '1' : '0');
  params.set(PARAM.bottleneckWidth, String(config.bottleneckWidth));
  params.set(PARAM.compression, String(config.compression));
  params.set(
    PARAM.initialChannels,
    config.initialChannels === null ? 'auto' : String(config.initialChannels),
  );
  params.set(PARAM.dropRate, String(config.dropRate));

  params.set(PARAM.recipe, settings.recipe);
  params.set(PARAM.optimizer, settings.optimizer);
  params.set(PARAM.epochs, String(settings.epochs));
  params.set(PARAM.batchSize, String(settings.batchSize));
  params.set(PARAM.learningRate, String(settings.learningRate));
  params.set(PARAM.schedule, settings.schedule);
  params.set(PARAM.momentum, String(settings.momentum));
  params.set(PARAM.nesterov, settings.nesterov ? '1' : '0');
  params.set(PARAM.weightDecay, String(settings.weightDecay));
  params.set(PARAM.augment, settings.augment ? '1' : '0');
  params.set(PARAM.seed, String(settings.seed));
  params.set(PARAM.backend, settings.backend);

  params.set(PARAM.dataset, dataset.dataset);
  params.set(PARAM.labelMode, dataset.labelMode);
  params.set(PARAM.source, dataset.source);
  params.set(PARAM.trainSize, String(dataset.trainSize));
  params.set(PARAM.testSize, String(dataset.testSize));
  if (dataset.subsetSeed !== null) params.set(PARAM.subsetSeed, String(dataset.subsetSeed));
  if (dataset.trainUrl) params.set(PARAM.trainUrl, dataset.trainUrl);
  if (dataset.testUrl) params.set(PARAM.testUrl, dataset.testUrl);

  if (teacher.locked.length > 0) params.set(PARAM.lock, teacher.locked.join(','));
  if (teacher.hidden.length > 0) params.set(PARAM.hide, teacher.hidden.join(','));
  if (state.language) params.set(PARAM.language, state.language);
  return params.toString();
}
