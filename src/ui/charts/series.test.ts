import { describe, expect, it } from 'vitest';
import {
  countDrawable,
  downsample,
  finiteSegments,
  lttb,
  type SeriesPoint,
  smoothEma,
} from './series';

function ramp(count: number, value: (i: number) => number = (i) => i): SeriesPoint[] {
  return Array.from({ length: count }, (_, i) => ({ x: i, y: value(i) }));
}

describe('smoothEma', () => {
  it('returns the input when the weight is 0', () => {
    expect(smoothEma([3, 1, 4, 1, 5], 0)).toEqual([3, 1, 4, 1, 5]);
  });

  it('is debiased: a constant series stays constant from the first point', () => {
    const smoothed = smoothEma([2, 2, 2, 2], 0.9);
    for (const value of smoothed) expect(value).toBeCloseTo(2, 12);
  });

  it('matches the debiased EMA by hand', () => {
    // weight 0.5: a1 = 0.5·1 = 0.5 → 0.5/(1-0.5) = 1; a2 = 0.25 + 0.5·3 = 1.75 → 1.75/0.75.
    const [first, second] = smoothEma([1, 3], 0.5);
    expect(first).toBeCloseTo(1, 12);
    expect(second).toBeCloseTo(1.75 / 0.75, 12);
  });

  it('keeps non-finite values as gaps without poisoning later values', () => {
    const smoothed = smoothEma([1, Number.NaN, Number.POSITIVE_INFINITY, 1], 0.5);
    expect(smoothed[1]).toBeNaN();
    expect(smoothed[2]).toBeNaN();
    expect(smoothed[3]).toBeCloseTo(1, 12);
  });

  it('rejects a weight outside [0, 1)', () => {
    expect(() => smoothEma([1], 1)).toThrow(RangeError);
    expect(() => smoothEma([1], -0.1)).toThrow(RangeError);
  });
});

describe('finiteSegments', () => {
  it('splits at NaN and infinities', () => {
    const points = [1, 2, Number.NaN, 3, Number.NEGATIVE_INFINITY, 4, 5].map((y, x) => ({ x, y }));
    expect(finiteSegments(points).map((segment) => segment.map((p) => p.y))).toEqual([
      [1, 2],
      [3],
      [4, 5],
    ]);
  });
});

describe('lttb', () => {
  it('keeps the first and last points and reaches the threshold', () => {
    const points = ramp(1000, (i) => Math.sin(i / 20));
    const sampled = lttb(points, 100);
    expect(sampled).toHaveLength(100);
    expect(sampled[0]).toEqual(points[0]);
    expect(sampled[99]).toEqual(points[999]);
  });

  it('keeps a single spike', () => {
    const points = ramp(1000, (i) => (i === 517 ? 50 : 0));
    const sampled = lttb(points, 50);
    expect(sampled.some((point) => point.x === 517 && point.y === 50)).toBe(true);
  });

  it('returns short series unchanged', () => {
    const points = ramp(10);
    expect(lttb(points, 20)).toEqual(points);
  });

  it('keeps x increasing', () => {
    const sampled = lttb(
      ramp(5000, (i) => Math.cos(i)),
      300,
    );
    for (let i = 1; i < sampled.length; i++)
      expect(sampled[i]!.x).toBeGreaterThan(sampled[i - 1]!.x);
  });
});

describe('downsample', () => {
  it('leaves a series within the budget untouched apart from gap markers', () => {
    const points = ramp(20);
    expect(downsample(points, 100)).toEqual(points);
  });

  it('caps the finite points near the budget', () => {
    const sampled = downsample(ramp(10_000), 500);
    expect(countDrawable(sampled, false)).toBeLessThanOrEqual(502);
    expect(countDrawable(sampled, false)).toBeGreaterThanOrEqual(498);
  });

  it('keeps a gap where the series had non-finite values', () => {
    const points = ramp(4000, (i) => (i >= 2000 && i < 2010 ? Number.NaN : i));
    const sampled = downsample(points, 200);
    const gaps = sampled.filter((point) => !Number.isFinite(point.y));
    expect(gaps).toHaveLength(1);
    const gapIndex = sampled.findIndex((point) => !Number.isFinite(point.y));
    expect(sampled[gapIndex - 1]!.x).toBeLessThan(2000);
    expect(sampled[gapIndex + 1]!.x).toBeGreaterThanOrEqual(2010);
  });

  it('never turns a non-finite value into a number', () => {
    const points = ramp(3000, (i) => (i % 7 === 0 ? Number.NaN : 1));
    for (const point of downsample(points, 100)) {
      if (Number.isFinite(point.y)) expect(point.y).toBe(1);
    }
  });
});

describe('countDrawable', () => {
  it('excludes non-positive values on a log scale', () => {
    const points = [1, 0, -1, Number.NaN, 2].map((y, x) => ({ x, y }));
    expect(countDrawable(points, false)).toBe(4);
    expect(countDrawable(points, true)).toBe(2);
  });
});
