import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../densenet/config';
import { configIssues, DROP_RATE_RANGE, dropRateIssue } from './architecture';

describe('dropRateIssue', () => {
  it('accepts rates from 0 to 0.99', () => {
    for (const value of [0, 0.2, 0.5, 0.99]) expect(dropRateIssue(value)).toBeNull();
  });

  it('names the range for rejected rates', () => {
    for (const value of [0.995, 1, 1.5, -0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(dropRateIssue(value)).toEqual({
        field: 'dropRate',
        code: 'config.notNumber',
        params: { min: 0, max: 0.99, received: String(value) },
      });
    }
  });

  it('rejects a non-number', () => {
    expect(dropRateIssue('0.2')?.params.received).toBe('0.2');
  });
});

describe('configIssues', () => {
  it('passes the default config', () => {
    expect(configIssues(defaultConfig())).toEqual([]);
  });

  it('reports dropout 0.995 the validator allows', () => {
    const issues = configIssues({ ...defaultConfig(), dropRate: 0.995 });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.field).toBe('dropRate');
    expect(issues[0]!.params.max).toBe(DROP_RATE_RANGE.max);
  });

  it('gives one dropout message for 1.5', () => {
    const issues = configIssues({ ...defaultConfig(), dropRate: 1.5 });
    expect(issues).toEqual([
      {
        field: 'dropRate',
        code: 'config.notNumber',
        params: { min: 0, max: 0.99, received: '1.5' },
      },
    ]);
  });

  it('keeps the depth issue beside dropout', () => {
    const issues = configIssues({ ...defaultConfig(), depth: 41, dropRate: 2 });
    expect(issues.map((issue) => issue.field).sort()).toEqual(['depth', 'dropRate']);
  });
});
