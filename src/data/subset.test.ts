import { describe, expect, it } from 'vitest';
import { BalancedSampler, classQuotas, SeededRandom } from './subset';

function planar(label: number, id: number): Uint8Array {
  const bytes = new Uint8Array(3073);
  bytes[0] = label;
  bytes[1] = id & 0xff;
  bytes[2] = id >> 8;
  return bytes;
}

/** Feeds `perClass` records of each of 10 classes and returns the ids kept. */
function sample(
  size: number,
  seed: number,
  perClass: number[],
): { ids: number[]; counts: number[]; labels: number[] } {
  const sampler = new BalancedSampler(size, 10, seed, 'reservoir');
  let id = 0;
  const maxCount = Math.max(...perClass);
  for (let i = 0; i < maxCount; i++) {
    for (let c = 0; c < 10; c++) {
      if (i < perClass[c]!) sampler.offerPlanar(planar(c, id), 1, c);
      id++;
    }
  }
  const subset = sampler.finish();
  const ids: number[] = [];
  // Byte 1 and 2 of the record are pixels 0 and 1 of the red plane: offsets 0 and 3 once interleaved.
  for (let i = 0; i < subset.count; i++)
    ids.push(subset.images[i * 3072]! + 256 * subset.images[i * 3072 + 3]!);
  return { ids, counts: subset.classCounts, labels: [...subset.labels] };
}

describe('classQuotas', () => {
  it('splits evenly and gives the remainder to seeded classes', () => {
    const quotas = classQuotas(1003, 10, new SeededRandom(1));
    expect(quotas.reduce((a, b) => a + b, 0)).toBe(1003);
    expect(Math.max(...quotas) - Math.min(...quotas)).toBe(1);
    expect(quotas.filter((q) => q === 101)).toHaveLength(3);
  });
});

describe('BalancedSampler', () => {
  const plenty = new Array(10).fill(200);

  it('keeps a balanced subset with correct labels', () => {
    const { counts, labels, ids } = sample(100, 5, plenty);
    expect(counts).toEqual(new Array(10).fill(10));
    expect(labels).toHaveLength(100);
    for (let i = 0; i < ids.length; i++) expect(ids[i]! % 10).toBe(labels[i]);
    expect(new Set(ids).size).toBe(100);
  });

  it('gives the same images for the same seed', () => {
    expect(sample(50, 42, plenty)).toEqual(sample(50, 42, plenty));
  });

  it('gives different images for another seed', () => {
    const a = new Set(sample(50, 1, plenty).ids);
    const b = sample(50, 2, plenty).ids;
    expect(b.filter((id) => a.has(id)).length).toBeLessThan(25);
  });

  it('draws from the whole stream, not only its start', () => {
    const { ids } = sample(100, 3, plenty);
    // Records 0..999 are the first 100 per class; a uniform sample keeps about half of its ids above 1000.
    const late = ids.filter((id) => id >= 1000).length;
    expect(late).toBeGreaterThan(30);
    expect(late).toBeLessThan(70);
  });

  it('keeps every record of a class that has fewer than its quota', () => {
    const perClass = [...plenty];
    perClass[4] = 3;
    const { counts } = sample(100, 9, perClass);
    expect(counts[4]).toBe(3);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(93);
  });

  it('stops taking a class in fill mode once its quota is met', () => {
    const sampler = new BalancedSampler(20, 10, 1, 'fill');
    for (let i = 0; i < 2; i++)
      expect(sampler.offerInterleaved(new Uint8Array(3072), 0)).toBe(true);
    expect(sampler.wants(0)).toBe(false);
    expect(sampler.offerInterleaved(new Uint8Array(3072), 0)).toBe(false);
    expect(sampler.isFull()).toBe(false);
    for (let c = 1; c < 10; c++)
      for (let i = 0; i < 2; i++) sampler.offerInterleaved(new Uint8Array(3072), c);
    expect(sampler.isFull()).toBe(true);
  });
});
