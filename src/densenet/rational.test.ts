import { describe, expect, it } from 'vitest';
import { decimalFraction, floorTimes } from './rational';

describe('floorTimes', () => {
  it('floors where the double falls short', () => {
    // Each product is a whole number, but the double lands just below it.
    const cases: [number, number, number][] = [
      [0.57, 100, 57],
      [0.29, 100, 29],
      [0.58, 50, 29],
      [0.7, 90, 63],
      [0.35, 180, 63],
      [0.41, 300, 123],
      [0.82, 150, 123],
    ];
    for (const [theta, m, expected] of cases) {
      expect(Math.floor(theta * m)).toBe(expected - 1);
      expect(floorTimes(theta, m)).toBe(expected);
    }
  });

  it('floors fractional products down', () => {
    expect(floorTimes(0.5, 7)).toBe(3);
    expect(floorTimes(0.5, 216)).toBe(108);
    expect(floorTimes(0.3, 10)).toBe(3);
    expect(floorTimes(0.333, 3)).toBe(0);
    expect(floorTimes(1, 342)).toBe(342);
  });

  it('reads exponent notation', () => {
    expect(floorTimes(1e-7, 10_000_000)).toBe(1);
    expect(floorTimes(1.5e-7, 10_000_000)).toBe(1);
    expect(floorTimes(1e21, 2)).toBe(2e21);
  });

  it('rejects invalid operands', () => {
    expect(() => floorTimes(Number.NaN, 10)).toThrow(RangeError);
    expect(() => floorTimes(-0.5, 10)).toThrow(RangeError);
    expect(() => floorTimes(0.5, 2.5)).toThrow(RangeError);
    expect(() => floorTimes(0.5, -1)).toThrow(RangeError);
  });
});

describe('decimalFraction', () => {
  it('uses the shortest decimal form', () => {
    expect(decimalFraction(0.57)).toEqual({ numerator: 57n, denominator: 100n });
    expect(decimalFraction(0.1 + 0.2)).toEqual({
      numerator: 30000000000000004n,
      denominator: 100000000000000000n,
    });
    expect(decimalFraction(2.5e-3)).toEqual({ numerator: 25n, denominator: 10000n });
    expect(decimalFraction(3)).toEqual({ numerator: 3n, denominator: 1n });
  });
});
