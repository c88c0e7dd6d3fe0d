// Class-balanced, seeded subsets. Every class gets floor(size / classes)
// images and a seeded choice of classes gets one more, so the counts differ by
// at most one. The same seed over the same source gives the same images.

import { SeededRandom } from './random';
import { PIXEL_BYTES, planarToInterleaved } from './records';

export { SeededRandom };

/** Per-class image quotas for a subset of `size` images over `classes` classes. */
export function classQuotas(size: number, classes: number, random: SeededRandom): number[] {
  const base = Math.floor(size / classes);
  const quotas = new Array<number>(classes).fill(base);
  const order = random.shuffle(Array.from({ length: classes }, (_, c) => c));
  for (let i = 0; i < size % classes; i++) quotas[order[i]!]! += 1;
  return quotas;
}

/** A finished subset: NHWC pixels, labels and how many images each class has. */
export interface Subset {
  /** count x 32 x 32 x 3 bytes, interleaved RGB. */
  images: Uint8Array;
  labels: Uint8Array;
  classCounts: number[];
  count: number;
}

/**
 * Collects a balanced subset from records offered one at a time.
 *
 * In `reservoir` mode every record of the source is offered, and each class
 * keeps a uniform seeded sample of its records (reservoir sampling), so memory
 * stays at the subset's size however large the source is. In `fill` mode the
 * caller offers records in an already shuffled order and stops once `isFull()`:
 * this is how streamed parquet reads only the row groups it needs.
 */
export class BalancedSampler {
  readonly quotas: number[];
  private readonly slotStart: number[];
  private readonly seen: number[];
  private readonly pixels: Uint8Array;
  private readonly random: SeededRandom;
  private readonly total: number;
  private filledClasses = 0;

  constructor(
    size: number,
    readonly classes: number,
    seed: number,
    private readonly mode: 'reservoir' | 'fill',
  ) {
    this.random = new SeededRandom(seed);
    this.quotas = classQuotas(size, classes, this.random);
    this.slotStart = [];
    let start = 0;
    for (const quota of this.quotas) {
      this.slotStart.push(start);
      start += quota;
    }
    this.total = start;
    this.seen = new Array<number>(classes).fill(0);
    this.pixels = new Uint8Array(this.total * PIXEL_BYTES);
    this.filledClasses = this.quotas.filter((quota) => quota === 0).length;
  }

  /** True when class `label` still takes images in `fill` mode. */
  wants(label: number): boolean {
    return this.seen[label]! < this.quotas[label]!;
  }

  isFull(): boolean {
    return this.filledClasses === this.classes;
  }

  /** Offers a planar (CHW) record; returns whether it was kept. */
  offerPlanar(bytes: Uint8Array, offset: number, label: number): boolean {
    const slot = this.chooseSlot(label);
    if (slot < 0) return false;
    planarToInterleaved(bytes, offset, this.pixels, slot * PIXEL_BYTES);
    return true;
  }

  /** Offers an interleaved (HWC) image of 3,072 bytes; returns whether it was kept. */
  offerInterleaved(pixels: Uint8Array, label: number): boolean {
    const slot = this.chooseSlot(label);
    if (slot < 0) return false;
    this.pixels.set(pixels.subarray(0, PIXEL_BYTES), slot * PIXEL_BYTES);
    return true;
  }

  /** Number of images kept so far. */
  keptCount(): number {
    let kept = 0;
    for (let c = 0; c < this.classes; c++) kept += Math.min(this.seen[c]!, this.quotas[c]!);
    return kept;
  }

  /** Returns the kept images in a seeded shuffled order. */
  finish(): Subset {
    const slots: number[] = [];
    const classCounts: number[] = [];
    for (let c = 0; c < this.classes; c++) {
      const kept = Math.min(this.seen[c]!, this.quotas[c]!);
      classCounts.push(kept);
      for (let i = 0; i < kept; i++) slots.push(this.slotStart[c]! + i);
    }
    const classOfSlot = new Uint8Array(this.total);
    for (let c = 0; c < this.classes; c++) {
      classOfSlot.fill(c, this.slotStart[c]!, this.slotStart[c]! + this.quotas[c]!);
    }
    this.random.shuffle(slots);
    const images = new Uint8Array(slots.length * PIXEL_BYTES);
    const labels = new Uint8Array(slots.length);
    slots.forEach((slot, i) => {
      images.set(
        this.pixels.subarray(slot * PIXEL_BYTES, (slot + 1) * PIXEL_BYTES),
        i * PIXEL_BYTES,
      );
      labels[i] = classOfSlot[slot]!;
    });
    return { images, labels, classCounts, count: slots.length };
  }

  private chooseSlot(label: number): number {
    const quota = this.quotas[label]!;
    const seen = this.seen[label]!;
    if (seen < quota) {
      this.seen[label] = seen + 1;
      if (seen + 1 === quota) this.filledClasses++;
      return this.slotStart[label]! + seen;
    }
    if (this.mode === 'fill' || quota === 0) return -1;
    this.seen[label] = seen + 1;
    const j = this.random.nextInt(seen + 1);
    return j < quota ? this.slotStart[label]! + j : -1;
  }
}
