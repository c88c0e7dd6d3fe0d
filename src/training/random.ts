// Seeded pseudo-random numbers for batch order and augmentation, so that one
// seed, config and dataset give the same batches on every run.

export { SeededRandom } from '../data/random';

/** Derives an independent seed for a named stream (batch order, augmentation, weights) from one run seed. */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
