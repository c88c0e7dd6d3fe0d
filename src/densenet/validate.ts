// Validation of DenseNet configs from any source (form, URL, preset, worker
// message). Every problem is reported at once, each with the field, the
// allowed range and the received value. Nothing is coerced: the string "12" is
// not a growth rate.

import {
  BLOCK_COUNT,
  cifarLayersPerBlock,
  convolutionsPerLayer,
  depthOf,
  resolveConfig,
} from './config';
import { floorTimes } from './rational';
import type {
  DenseNetConfig,
  Layout,
  ResolvedConfig,
  ValidationIssue,
  ValidationResult,
} from './types';

/** Inclusive ranges of the integer fields. */
export const LIMITS = {
  growthRate: { min: 1, max: 128 },
  layersPerBlock: { min: 1, max: 128 },
  bottleneckWidth: { min: 1, max: 16 },
  initialChannels: { min: 1, max: 512 },
  numClasses: { min: 2, max: 1000 },
  inputSize: { max: 512 },
} as const;

/** Every code `validateConfig` can emit; each is a key of the i18n catalogues. */
export const VALIDATION_CODES = [
  'config.notObject',
  'config.unknownField',
  'config.required',
  'config.notNumber',
  'config.notInteger',
  'config.outOfRange',
  'config.notBoolean',
  'config.layout.invalid',
  'config.compression.outOfRange',
  'config.compression.noChannels',
  'config.dropRate.outOfRange',
  'config.blockLayers.required',
  'config.blockLayers.notArray',
  'config.blockLayers.wrongLength',
  'config.depth.required',
  'config.depth.mismatch',
  'config.depth.notDivisible',
] as const;

export const LAYOUTS: readonly Layout[] = ['cifar', 'imagenet'];

const CONFIG_FIELDS: readonly (keyof DenseNetConfig)[] = [
  'layout',
  'growthRate',
  'depth',
  'blockLayers',
  'bottleneck',
  'bottleneckWidth',
  'compression',
  'initialChannels',
  'numClasses',
  'inputSize',
  'dropRate',
];

/** Returns the spatial size after the stem. CIFAR keeps it, and ImageNet halves it twice (stride-2 conv, stride-2 max pool). */
export function stemOutputSize(layout: Layout, inputSize: number): number {
  if (layout === 'cifar') return inputSize;
  const afterConv = Math.floor((inputSize - 1) / 2) + 1;
  return Math.floor((afterConv - 1) / 2) + 1;
}

/** Smallest input size whose last block still has at least a 1x1 feature map (each transition halves, rounding down). */
export function minInputSize(layout: Layout): number {
  const transitions = BLOCK_COUNT[layout] - 1;
  let size = 1;
  while (Math.floor(stemOutputSize(layout, size) / 2 ** transitions) < 1) size += 1;
  return size;
}

/** Valid CIFAR depths range from one layer per block to `LIMITS.layersPerBlock.max` layers per block. */
export function cifarDepthRange(bottleneck: boolean): {
  min: number;
  max: number;
  divisor: number;
} {
  const divisor = 3 * convolutionsPerLayer(bottleneck);
  return {
    min: 4 + divisor * LIMITS.layersPerBlock.min,
    max: 4 + divisor * LIMITS.layersPerBlock.max,
    divisor,
  };
}

/** Returns the valid CIFAR depths nearest to `depth`, below and above it (either may be absent at the range ends). */
export function nearestValidDepths(depth: number, bottleneck: boolean): number[] {
  const { min, max, divisor } = cifarDepthRange(bottleneck);
  const lower = 4 + divisor * Math.floor((depth - 4) / divisor);
  const upper = lower === depth ? depth : lower + divisor;
  return [lower, upper].filter(
    (candidate, index, all) =>
      candidate >= min && candidate <= max && all.indexOf(candidate) === index,
  );
}

/** Checks `input` against the config schema and returns the config, or every issue found. */
export function validateConfig(input: unknown): ValidationResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      issues: [
        { field: 'config', code: 'config.notObject', params: { received: formatReceived(input) } },
      ],
    };
  }
  const record = input as Record<string, unknown>;
  const issues: ValidationIssue[] = [];

  for (const key of Object.keys(record)) {
    if (!(CONFIG_FIELDS as readonly string[]).includes(key)) {
      issues.push({ field: key, code: 'config.unknownField', params: { received: key } });
    }
  }
  for (const field of CONFIG_FIELDS) {
    if (!Object.hasOwn(record, field)) issues.push({ field, code: 'config.required', params: {} });
  }

  const layout = checkLayout(record, issues);
  checkInteger(record, 'growthRate', LIMITS.growthRate, issues);
  const bottleneck = checkBoolean(record, 'bottleneck', issues);
  checkInteger(record, 'bottleneckWidth', LIMITS.bottleneckWidth, issues);
  checkCompression(record, issues);
  checkNullableInteger(record, 'initialChannels', LIMITS.initialChannels, issues);
  checkInteger(record, 'numClasses', LIMITS.numClasses, issues);
  checkDropRate(record, issues);
  const blockLayers = checkBlockLayers(record, layout, issues);
  checkDepth(record, layout, bottleneck, blockLayers, issues);
  checkInputSize(record, layout, issues);

  if (issues.length > 0) return { ok: false, issues };

  const config = record as unknown as DenseNetConfig;
  checkTransitionsKeepChannels(resolveConfig(config), issues);
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    config: { ...config, blockLayers: config.blockLayers && [...config.blockLayers] },
  };
}

/** Formats a received value for a message. Numbers stay numbers, and anything else is shown as JSON, so "12" keeps its quotes. */
function formatReceived(value: unknown): string | number {
  if (typeof value === 'number') return value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    return typeof value;
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function checkLayout(
  record: Record<string, unknown>,
  issues: ValidationIssue[],
): Layout | undefined {
  if (!Object.hasOwn(record, 'layout')) return undefined;
  const value = record.layout;
  if (typeof value === 'string' && (LAYOUTS as readonly string[]).includes(value)) {
    return value as Layout;
  }
  issues.push({
    field: 'layout',
    code: 'config.layout.invalid',
    params: { received: formatReceived(value), allowed: LAYOUTS.join(', ') },
  });
  return undefined;
}

/** Checks a whole number in [min, max]; returns it when valid. */
function checkIntegerValue(
  field: string,
  value: unknown,
  range: { min: number; max: number },
  issues: ValidationIssue[],
): number | undefined {
  const params = { received: formatReceived(value), min: range.min, max: range.max };
  if (typeof value !== 'number' || Number.isNaN(value)) {
    issues.push({ field, code: 'config.notNumber', params });
    return undefined;
  }
  if (!Number.isInteger(value)) {
    issues.push({ field, code: 'config.notInteger', params });
    return undefined;
  }
  if (value < range.min || value > range.max) {
    issues.push({ field, code: 'config.outOfRange', params });
    return undefined;
  }
  return value;
}

function checkInteger(
  record: Record<string, unknown>,
  field: keyof DenseNetConfig,
  range: { min: number; max: number },
  issues: ValidationIssue[],
): number | undefined {
  if (!Object.hasOwn(record, field)) return undefined;
  return checkIntegerValue(field, record[field], range, issues);
}

function checkNullableInteger(
  record: Record<string, unknown>,
  field: keyof DenseNetConfig,
  range: { min: number; max: number },
  issues: ValidationIssue[],
): void {
  if (Object.hasOwn(record, field) && record[field] !== null)
    checkInteger(record, field, range, issues);
}

function checkBoolean(
  record: Record<string, unknown>,
  field: keyof DenseNetConfig,
  issues: ValidationIssue[],
): boolean | undefined {
  if (!Object.hasOwn(record, field)) return undefined;
  const value = record[field];
  if (typeof value === 'boolean') return value;
  issues.push({ field, code: 'config.notBoolean', params: { received: formatReceived(value) } });
  return undefined;
}

function checkCompression(
  record: Record<string, unknown>,
  issues: ValidationIssue[],
): number | undefined {
  if (!Object.hasOwn(record, 'compression')) return undefined;
  const value = record.compression;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 1) return value;
  issues.push({
    field: 'compression',
    code: typeof value === 'number' ? 'config.compression.outOfRange' : 'config.notNumber',
    params: { received: formatReceived(value), min: 0, max: 1 },
  });
  return undefined;
}

function checkDropRate(record: Record<string, unknown>, issues: ValidationIssue[]): void {
  if (!Object.hasOwn(record, 'dropRate')) return;
  const value = record.dropRate;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 1) return;
  issues.push({
    field: 'dropRate',
    code: typeof value === 'number' ? 'config.dropRate.outOfRange' : 'config.notNumber',
    params: { received: formatReceived(value), min: 0, max: 1 },
  });
}

function checkBlockLayers(
  record: Record<string, unknown>,
  layout: Layout | undefined,
  issues: ValidationIssue[],
): number[] | null | undefined {
  if (!Object.hasOwn(record, 'blockLayers')) return undefined;
  const value = record.blockLayers;
  if (value === null) {
    if (layout === 'imagenet') {
      issues.push({
        field: 'blockLayers',
        code: 'config.blockLayers.required',
        params: { layout, expected: BLOCK_COUNT.imagenet },
      });
      return undefined;
    }
    return null;
  }
  if (!Array.isArray(value)) {
    issues.push({
      field: 'blockLayers',
      code: 'config.blockLayers.notArray',
      params: { received: formatReceived(value) },
    });
    return undefined;
  }
  const before = issues.length;
  if (layout !== undefined && value.length !== BLOCK_COUNT[layout]) {
    issues.push({
      field: 'blockLayers',
      code: 'config.blockLayers.wrongLength',
      params: { received: value.length, expected: BLOCK_COUNT[layout], layout },
    });
  }
  if (value.length > Math.max(...Object.values(BLOCK_COUNT))) {
    // Longer than any layout allows: the length issue above (or the layout's own issue)
    // stands for the whole list instead of one issue per entry.
    return undefined;
  }
  value.forEach((layers, index) => {
    checkIntegerValue(`blockLayers[${index}]`, layers, LIMITS.layersPerBlock, issues);
  });
  return issues.length === before ? (value as number[]) : undefined;
}

function checkDepth(
  record: Record<string, unknown>,
  layout: Layout | undefined,
  bottleneck: boolean | undefined,
  blockLayers: number[] | null | undefined,
  issues: ValidationIssue[],
): number | null | undefined {
  if (!Object.hasOwn(record, 'depth')) return undefined;
  const value = record.depth;

  if (value === null) {
    if (blockLayers === null && layout === 'cifar') {
      issues.push({ field: 'depth', code: 'config.depth.required', params: {} });
      return undefined;
    }
    return null;
  }

  if (blockLayers) {
    // Explicit blocks win; a depth given beside them must agree.
    const range = { min: 1, max: Number.MAX_SAFE_INTEGER };
    const depth = checkIntegerValue('depth', value, range, issues);
    if (depth === undefined || bottleneck === undefined) return undefined;
    const expected = depthOf(blockLayers, bottleneck);
    if (depth !== expected) {
      issues.push({
        field: 'depth',
        code: 'config.depth.mismatch',
        params: { received: depth, expected },
      });
      return undefined;
    }
    return depth;
  }

  if (layout !== 'cifar' || bottleneck === undefined || blockLayers === undefined) {
    // The allowed depths depend on fields that are themselves invalid or missing.
    const depth = checkIntegerValue(
      'depth',
      value,
      { min: 1, max: Number.MAX_SAFE_INTEGER },
      issues,
    );
    return depth;
  }

  const { min, max, divisor } = cifarDepthRange(bottleneck);
  const depth = checkIntegerValue('depth', value, { min, max }, issues);
  if (depth === undefined) return undefined;
  if (cifarLayersPerBlock(depth, bottleneck) === null) {
    // Inside the range, both neighbours are valid because the range ends are valid depths.
    const [lower, upper] = nearestValidDepths(depth, bottleneck);
    issues.push({
      field: 'depth',
      code: 'config.depth.notDivisible',
      params: { received: depth, divisor, lower: lower ?? min, upper: upper ?? max },
    });
    return undefined;
  }
  return depth;
}

function checkInputSize(
  record: Record<string, unknown>,
  layout: Layout | undefined,
  issues: ValidationIssue[],
): number | undefined {
  if (!Object.hasOwn(record, 'inputSize')) return undefined;
  const min = minInputSize(layout ?? 'cifar');
  return checkIntegerValue(
    'inputSize',
    record.inputSize,
    { min, max: LIMITS.inputSize.max },
    issues,
  );
}

/** Every transition must keep ⌊θ·m⌋ ≥ 1 of its m input maps. */
function checkTransitionsKeepChannels(config: ResolvedConfig, issues: ValidationIssue[]): void {
  let channels = config.initialChannels;
  for (let block = 0; block < config.blockLayers.length - 1; block += 1) {
    channels += config.growthRate * (config.blockLayers[block] ?? 0);
    const kept = floorTimes(config.compression, channels);
    if (kept < 1) {
      issues.push({
        field: 'compression',
        code: 'config.compression.noChannels',
        params: { received: config.compression, block: block + 1, channels },
      });
      return;
    }
    channels = kept;
  }
}
