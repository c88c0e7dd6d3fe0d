import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../densenet/config';
import { findPreset } from '../densenet/presets';
import { configIssues } from './architecture';
import { DEFAULT_SETTINGS } from './settings';
import { DEFAULT_DATASET_LINK } from './store';
import { NO_TEACHER_OPTIONS } from './teacher';
import { type LinkState, parseLink, serializeLink } from './url';

function defaults(): LinkState {
  return {
    config: defaultConfig(),
    settings: DEFAULT_SETTINGS,
    dataset: DEFAULT_DATASET_LINK,
    teacher: NO_TEACHER_OPTIONS,
    language: null,
  };
}

function parse(search: string) {
  return parseLink(search, defaults(), configIssues);
}

describe('serializeLink and parseLink', () => {
  it('round-trip the whole state', () => {
    const state: LinkState = {
      config: {
        ...defaultConfig(),
        growthRate: 24,
        depth: 100,
        bottleneck: true,
        compression: 0.5,
        initialChannels: 32,
        dropRate: 0.2,
      },
      settings: {
        ...DEFAULT_SETTINGS,
        recipe: 'paper',
        optimizer: 'sgd',
        epochs: 7,
        batchSize: 8,
        learningRate: 0.05,
        schedule: 'step',
        momentum: 0.85,
        nesterov: true,
        weightDecay: 0.0005,
        augment: false,
        seed: 4242,
        backend: 'webgl',
      },
      dataset: {
        dataset: 'cifar100',
        labelMode: 'coarse',
        source: 'parquet',
        trainSize: 2000,
        testSize: 500,
        subsetSeed: 77,
        trainUrl: 'https://example.org/train.parquet',
        testUrl: 'https://example.org/test.parquet',
      },
      teacher: { locked: ['growthRate', 'depth'], hidden: ['backend'] },
      language: 'ko',
    };
    const result = parse(serializeLink(state));
    expect(result.issues).toEqual([]);
    expect(result.state).toEqual(state);
  });

  it('round-trip an ImageNet preset with explicit blocks', () => {
    const preset = findPreset('densenet-121')!;
    const state = { ...defaults(), config: { ...preset.config, inputSize: 32, numClasses: 10 } };
    const result = parse(serializeLink(state));
    expect(result.issues).toEqual([]);
    expect(result.state.config.blockLayers).toEqual([6, 12, 24, 16]);
    expect(result.state.config.layout).toBe('imagenet');
    expect(result.state.config.growthRate).toBe(32);
  });

  it('use the defaults for an empty query', () => {
    const result = parse('');
    expect(result.issues).toEqual([]);
    expect(result.state).toEqual(defaults());
  });
});

describe('parseLink with bad values', () => {
  it('reports a bad subset seed and follows the training seed', () => {
    const result = parse('seed=5&subsetSeed=-2');
    expect(result.state.dataset.subsetSeed).toBeNull();
    expect(result.state.settings.seed).toBe(5);
    expect(result.issues.map((issue) => [issue.parameter, issue.value])).toEqual([
      ['subsetSeed', '-2'],
    ]);
  });

  it('reports a non-numeric growth rate and keeps the default', () => {
    const result = parse('k=twelve');
    expect(result.state.config.growthRate).toBe(12);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({
      parameter: 'k',
      value: 'twelve',
      allowed: { key: 'ui.url.allowed.integer', params: { min: 1, max: 1024 } },
      fallback: '12',
    });
  });

  it('reports a depth the validator rejects, with its message key', () => {
    const result = parse('L=41');
    expect(result.state.config.depth).toBe(40);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]!.parameter).toBe('L');
    expect(result.issues[0]!.value).toBe('41');
    expect(result.issues[0]!.allowed.key).toBe('config.depth.notDivisible');
    expect(result.issues[0]!.fallback).toBe('40');
  });

  it('reports out-of-range settings and unknown choices', () => {
    const result = parse('batch=0&lr=-1&backend=tpu&augment=maybe&recipe=magic');
    expect(result.issues.map((issue) => issue.parameter).sort()).toEqual(
      ['augment', 'backend', 'batch', 'lr', 'recipe'].sort(),
    );
    expect(result.state.settings).toEqual(DEFAULT_SETTINGS);
    const backend = result.issues.find((issue) => issue.parameter === 'backend')!;
    expect(backend.allowed).toEqual({
      key: 'ui.url.allowed.oneOf',
      params: { values: 'auto, webgpu, webgl, wasm, cpu' },
    });
  });

  it('rejects θ outside (0, 1] alike', () => {
    for (const value of ['0', '7', '-0.5']) {
      const result = parse(`theta=${value}`);
      expect(result.state.config.compression).toBe(0.5);
      expect(result.issues).toEqual([
        {
          parameter: 'theta',
          value,
          allowed: { key: 'ui.url.allowed.numberAboveMin', params: { min: 0, max: 1 } },
          fallback: '0.5',
        },
      ]);
    }
  });

  it('rejects dropout outside the form range', () => {
    for (const value of ['0.995', '1', '-0.1', 'half']) {
      const result = parse(`drop=${value}`);
      expect(result.state.config.dropRate).toBe(0);
      expect(result.issues).toEqual([
        {
          parameter: 'drop',
          value,
          allowed: { key: 'ui.url.allowed.number', params: { min: 0, max: 0.99 } },
          fallback: '0',
        },
      ]);
    }
  });

  it('accepts dropout at the range ends', () => {
    for (const value of [0, 0.99]) {
      const result = parse(`drop=${value}`);
      expect(result.issues).toEqual([]);
      expect(result.state.config.dropRate).toBe(value);
    }
  });

  it('derives ImageNet depth from blocks', () => {
    const result = parse('layout=imagenet&blocks=6-12-24-16&k=32');
    expect(result.issues).toEqual([]);
    expect(result.state.config).toMatchObject({
      layout: 'imagenet',
      blockLayers: [6, 12, 24, 16],
      growthRate: 32,
      depth: null,
    });
    const again = parse(serializeLink(result.state));
    expect(again.issues).toEqual([]);
    expect(again.state.config).toEqual(result.state.config);
  });

  it('derives CIFAR depth from blocks', () => {
    const result = parse('layout=cifar&blocks=2-3-4&bottleneck=0');
    expect(result.issues).toEqual([]);
    expect(result.state.config).toMatchObject({
      layout: 'cifar',
      blockLayers: [2, 3, 4],
      bottleneck: false,
      depth: null,
    });
  });

  it('blames the layout missing its blocks', () => {
    const result = parse('layout=imagenet&k=32&batch=16');
    expect(result.issues).toEqual([
      {
        parameter: 'layout',
        value: 'imagenet',
        allowed: {
          key: 'config.blockLayers.required',
          params: { layout: 'imagenet', expected: 4 },
        },
        fallback: 'cifar',
      },
    ]);
    expect(result.state.config.layout).toBe('cifar');
    expect(result.state.config.growthRate).toBe(32);
    expect(result.state.settings.batchSize).toBe(16);
  });

  it('blames blocks that contradict L', () => {
    const result = parse('blocks=2-3-4&bottleneck=0&L=40&k=8');
    expect(result.issues).toEqual([
      {
        parameter: 'blocks',
        value: '2-3-4',
        allowed: { key: 'config.depth.mismatch', params: { received: 40, expected: 13 } },
        fallback: 'auto',
      },
    ]);
    expect(result.state.config).toMatchObject({ depth: 40, blockLayers: null, growthRate: 8 });
  });

  it('shortens long values in reports', () => {
    const result = parse(`k=${'9'.repeat(5000)}`);
    expect(result.issues[0]!.value).toBe(`${'9'.repeat(40)}…`);
    expect(result.state.config.growthRate).toBe(12);
  });

  it('names parquet for an unknown source', () => {
    const result = parse('source=evil');
    expect(result.state.dataset.source).toBe('parquet');
    expect(result.issues[0]).toMatchObject({
      parameter: 'source',
      value: 'evil',
      fallback: 'parquet',
    });
  });

  it('rejects dataset sizes out of range and non-http URLs', () => {
    const result = parse('train=5&test=999999&trainUrl=javascript:alert(1)');
    expect(result.state.dataset).toEqual(DEFAULT_DATASET_LINK);
    expect(result.issues.map((issue) => issue.parameter)).toEqual(['train', 'test', 'trainUrl']);
  });

  it('keeps the valid teacher controls and reports unknown ones', () => {
    const result = parse('lock=growthRate,nonsense,depth&hide=backend');
    expect(result.state.teacher).toEqual({ locked: ['growthRate', 'depth'], hidden: ['backend'] });
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ parameter: 'lock', value: 'nonsense' });
  });

  it('keeps good parameters next to bad ones', () => {
    const result = parse('k=24&L=abc&bottleneck=1&batch=16');
    expect(result.state.config.growthRate).toBe(24);
    expect(result.state.config.depth).toBe(40);
    expect(result.state.settings.batchSize).toBe(16);
    expect(result.issues.map((issue) => issue.parameter)).toEqual(['L']);
  });

  it('reports a bad language and keeps the browser default', () => {
    const result = parse('lang=fr');
    expect(result.state.language).toBe('en');
    expect(result.issues[0]).toMatchObject({ parameter: 'lang', value: 'fr' });
  });
});
