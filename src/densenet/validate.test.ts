import { describe, expect, it } from 'vitest';
import { catalogues } from '../i18n';
import { defaultConfig } from './config';
import { PRESETS } from './presets';
import type { ValidationIssue } from './types';
import { minInputSize, nearestValidDepths, VALIDATION_CODES, validateConfig } from './validate';

function issuesOf(input: unknown): ValidationIssue[] {
  const result = validateConfig(input);
  return result.ok ? [] : result.issues;
}

function fieldsAndCodes(input: unknown): [string, string][] {
  return issuesOf(input).map((issue) => [String(issue.field), issue.code]);
}

describe('validateConfig', () => {
  it('accepts the default config', () => {
    const result = validateConfig(defaultConfig());
    expect(result).toEqual({ ok: true, config: defaultConfig() });
  });

  it('accepts every preset', () => {
    for (const preset of PRESETS) {
      expect({ id: preset.id, result: validateConfig(preset.config).ok }).toEqual({
        id: preset.id,
        result: true,
      });
    }
  });

  it('reports every problem at once', () => {
    const input = {
      ...defaultConfig(),
      depth: 41,
      growthRate: '12',
      compression: 0,
      dropRate: 1,
      numClasses: 1.5,
      inputSize: 2,
      colour: 'blue',
    };
    expect(fieldsAndCodes(input)).toEqual([
      ['colour', 'config.unknownField'],
      ['growthRate', 'config.notNumber'],
      ['compression', 'config.compression.outOfRange'],
      ['numClasses', 'config.notInteger'],
      ['dropRate', 'config.dropRate.outOfRange'],
      ['depth', 'config.depth.notDivisible'],
      ['inputSize', 'config.outOfRange'],
    ]);
  });

  it('names range and received value', () => {
    const issues = issuesOf({ ...defaultConfig(), growthRate: 200, inputSize: 2 });
    expect(issues).toEqual([
      {
        field: 'growthRate',
        code: 'config.outOfRange',
        params: { received: 200, min: 1, max: 128 },
      },
      { field: 'inputSize', code: 'config.outOfRange', params: { received: 2, min: 4, max: 512 } },
    ]);
  });

  it('does not coerce strings', () => {
    const input = { ...defaultConfig(), growthRate: '12', depth: '40', bottleneck: 'true' };
    const issues = issuesOf(input);

    expect(issues.map((issue) => [issue.field, issue.code])).toEqual([
      ['growthRate', 'config.notNumber'],
      ['bottleneck', 'config.notBoolean'],
      ['depth', 'config.notNumber'],
    ]);
    expect(issues[0]?.params.received).toBe('"12"');
    expect(issues[1]?.params.received).toBe('"true"');
  });

  it('rejects non-finite numbers', () => {
    expect(fieldsAndCodes({ ...defaultConfig(), growthRate: Number.NaN })).toEqual([
      ['growthRate', 'config.notNumber'],
    ]);
    expect(fieldsAndCodes({ ...defaultConfig(), compression: Number.POSITIVE_INFINITY })).toEqual([
      ['compression', 'config.compression.outOfRange'],
    ]);
    expect(fieldsAndCodes({ ...defaultConfig(), numClasses: Number.POSITIVE_INFINITY })).toEqual([
      ['numClasses', 'config.notInteger'],
    ]);
  });

  it('suggests the nearest valid depths', () => {
    const bottleneck = issuesOf({ ...defaultConfig(), depth: 41 });
    expect(bottleneck[0]?.params).toEqual({ received: 41, divisor: 6, lower: 40, upper: 46 });

    const plain = issuesOf({ ...defaultConfig(), bottleneck: false, compression: 1, depth: 42 });
    expect(plain[0]?.params).toEqual({ received: 42, divisor: 3, lower: 40, upper: 43 });

    const nearMax = issuesOf({ ...defaultConfig(), depth: 770 });
    expect(nearMax[0]?.params).toEqual({ received: 770, divisor: 6, lower: 766, upper: 772 });
  });

  it('reports depths outside the range', () => {
    expect(issuesOf({ ...defaultConfig(), depth: 8 })).toEqual([
      { field: 'depth', code: 'config.outOfRange', params: { received: 8, min: 10, max: 772 } },
    ]);
    const plainShallow = issuesOf({ ...defaultConfig(), bottleneck: false, depth: 4 });
    expect(plainShallow[0]?.params).toEqual({ received: 4, min: 7, max: 388 });
  });

  it('requires a depth or blocks', () => {
    expect(fieldsAndCodes({ ...defaultConfig(), depth: null })).toEqual([
      ['depth', 'config.depth.required'],
    ]);
    expect(fieldsAndCodes({ ...defaultConfig(), layout: 'imagenet', inputSize: 224 })).toEqual([
      ['blockLayers', 'config.blockLayers.required'],
    ]);
  });

  it('checks explicit blocks', () => {
    expect(fieldsAndCodes({ ...defaultConfig(), depth: null, blockLayers: [6, 6] })).toEqual([
      ['blockLayers', 'config.blockLayers.wrongLength'],
    ]);
    expect(fieldsAndCodes({ ...defaultConfig(), depth: null, blockLayers: [6, 0, 2.5] })).toEqual([
      ['blockLayers[1]', 'config.outOfRange'],
      ['blockLayers[2]', 'config.notInteger'],
    ]);
    expect(fieldsAndCodes({ ...defaultConfig(), depth: null, blockLayers: '6,6,6' })).toEqual([
      ['blockLayers', 'config.blockLayers.notArray'],
    ]);
  });

  it('reports an overlong list once', () => {
    const blockLayers = Array(10_000).fill('x');
    expect(fieldsAndCodes({ ...defaultConfig(), depth: null, blockLayers })).toEqual([
      ['blockLayers', 'config.blockLayers.wrongLength'],
    ]);
  });

  it('ignores inherited fields', () => {
    const inherited = Object.create(defaultConfig()) as object;
    expect(fieldsAndCodes(inherited)).toHaveLength(11);
    expect(new Set(fieldsAndCodes(inherited).map(([, code]) => code))).toEqual(
      new Set(['config.required']),
    );
  });

  it('accepts unequal CIFAR blocks', () => {
    const result = validateConfig({ ...defaultConfig(), depth: null, blockLayers: [2, 4, 6] });
    expect(result.ok).toBe(true);
  });

  it('checks a depth beside explicit blocks', () => {
    expect(issuesOf({ ...defaultConfig(), depth: 41, blockLayers: [6, 6, 6] })).toEqual([
      { field: 'depth', code: 'config.depth.mismatch', params: { received: 41, expected: 40 } },
    ]);
    expect(validateConfig({ ...defaultConfig(), depth: 40, blockLayers: [6, 6, 6] }).ok).toBe(true);
  });

  it('reports missing and unknown fields', () => {
    const { growthRate: _removed, ...rest } = defaultConfig();
    expect(fieldsAndCodes({ ...rest, growth: 12 })).toEqual([
      ['growth', 'config.unknownField'],
      ['growthRate', 'config.required'],
    ]);
  });

  it('rejects a non-object', () => {
    for (const input of [null, undefined, 12, 'config', [defaultConfig()]]) {
      expect(fieldsAndCodes(input)).toEqual([['config', 'config.notObject']]);
    }
  });

  it('rejects bad layout, compression and dropout', () => {
    const input = { ...defaultConfig(), layout: 'mnist', compression: 1.5, dropRate: -0.1 };
    expect(issuesOf(input)).toEqual([
      {
        field: 'layout',
        code: 'config.layout.invalid',
        params: { received: '"mnist"', allowed: 'cifar, imagenet' },
      },
      {
        field: 'compression',
        code: 'config.compression.outOfRange',
        params: { received: 1.5, min: 0, max: 1 },
      },
      {
        field: 'dropRate',
        code: 'config.dropRate.outOfRange',
        params: { received: -0.1, min: 0, max: 1 },
      },
    ]);
    expect(validateConfig({ ...defaultConfig(), compression: 1, dropRate: 0.99 }).ok).toBe(true);
  });

  it('rejects a compression that leaves no channels', () => {
    // Block 1 of the default ends with 24 + 6·12 = 96 maps, and ⌊0.01 × 96⌋ = 0.
    expect(issuesOf({ ...defaultConfig(), compression: 0.01 })).toEqual([
      {
        field: 'compression',
        code: 'config.compression.noChannels',
        params: { received: 0.01, block: 1, channels: 96 },
      },
    ]);
    // ⌊0.011 × 96⌋ = 1, then block 2 ends with 1 + 72 = 73 maps and ⌊0.011 × 73⌋ = 0.
    expect(issuesOf({ ...defaultConfig(), compression: 0.011 })[0]?.params).toEqual({
      received: 0.011,
      block: 2,
      channels: 73,
    });
    expect(validateConfig({ ...defaultConfig(), compression: 0.015 }).ok).toBe(true);
  });

  it('checks the input size per layout', () => {
    expect(minInputSize('cifar')).toBe(4);
    expect(minInputSize('imagenet')).toBe(29);
    const imagenet = { ...PRESETS.find((preset) => preset.id === 'densenet-121')!.config };
    expect(validateConfig({ ...imagenet, inputSize: 29 }).ok).toBe(true);
    expect(issuesOf({ ...imagenet, inputSize: 28 })[0]?.params).toEqual({
      received: 28,
      min: 29,
      max: 512,
    });
  });

  it('returns a copy and leaves its input alone', () => {
    const input = { ...defaultConfig(), depth: null, blockLayers: [2, 4, 6] };
    const result = validateConfig(input);
    if (!result.ok) throw new Error('expected a valid config');
    result.config.blockLayers?.push(8);
    expect(input.blockLayers).toEqual([2, 4, 6]);
  });
});

describe('nearestValidDepths', () => {
  it('returns both neighbours', () => {
    expect(nearestValidDepths(41, true)).toEqual([40, 46]);
    expect(nearestValidDepths(99, false)).toEqual([97, 100]);
  });

  it('returns the depth itself when valid', () => {
    expect(nearestValidDepths(100, true)).toEqual([100]);
  });

  it('drops neighbours outside the range', () => {
    expect(nearestValidDepths(9, true)).toEqual([10]);
  });
});

describe('validation codes', () => {
  it('all have messages in both languages', () => {
    for (const code of VALIDATION_CODES) {
      expect({ code, en: code in catalogues.en, ko: code in catalogues.ko }).toEqual({
        code,
        en: true,
        ko: true,
      });
    }
  });

  it('cover every emitted code', () => {
    const inputs: unknown[] = [
      null,
      { ...defaultConfig(), extra: 1, growthRate: '1', numClasses: 2.5, bottleneck: 1 },
      { ...defaultConfig(), layout: 'x', compression: 2, dropRate: 2, inputSize: 1 },
      { ...defaultConfig(), depth: 41 },
      { ...defaultConfig(), depth: null },
      { ...defaultConfig(), depth: 41, blockLayers: [6, 6, 6] },
      { ...defaultConfig(), blockLayers: {} },
      { ...defaultConfig(), blockLayers: [1] },
      { ...defaultConfig(), layout: 'imagenet' },
      { ...defaultConfig(), compression: 0.001 },
      {},
    ];
    const emitted = new Set(inputs.flatMap((input) => issuesOf(input).map((issue) => issue.code)));
    expect([...emitted].sort()).toEqual([...VALIDATION_CODES].sort());
  });

  it('have field labels in both languages', () => {
    for (const field of Object.keys(defaultConfig())) {
      expect(catalogues.en[`config.field.${field}`]).toBeTruthy();
      expect(catalogues.ko[`config.field.${field}`]).toBeTruthy();
    }
  });
});
