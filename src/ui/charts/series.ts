// Pure helpers for the curves: smoothing, downsampling and log-scale safety.
// A point whose value is not finite (NaN, ±Infinity) is a gap: it is never
// drawn as a number, and the helpers keep it as a gap instead of dropping it
// silently, so a diverged run shows a break in its line.

export interface SeriesPoint {
  x: number;
  y: number;
}

/**
 * Smooths `values` with an exponential moving average with bias correction
 * (the debiased EMA TensorBoard uses), so the first points are not pulled
 * towards zero. `weight` is in [0, 1): 0 returns the input unchanged. A value
 * that is not finite yields NaN at its position and leaves the average as it
 * was, so one bad step does not poison the rest of the curve.
 */
export function smoothEma(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) {
    throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  }
  const smoothed: number[] = [];
  let average = 0;
  let count = 0;
  for (const value of values) {
    if (!Number.isFinite(value)) {
      smoothed.push(Number.NaN);
      continue;
    }
    count += 1;
    average = average * weight + (1 - weight) * value;
    const debias = 1 - weight ** count;
    smoothed.push(debias === 0 ? value : average / debias);
  }
  return smoothed;
}

/** Splits a series into runs of consecutive finite points. */
export function finiteSegments(points: readonly SeriesPoint[]): SeriesPoint[][] {
  const segments: SeriesPoint[][] = [];
  let current: SeriesPoint[] = [];
  for (const point of points) {
    if (Number.isFinite(point.y) && Number.isFinite(point.x)) {
      current.push(point);
    } else if (current.length > 0) {
      segments.push(current);
      current = [];
    }
  }
  if (current.length > 0) segments.push(current);
  return segments;
}

/**
 * Downsamples one gap-free segment to at most `threshold` points with
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013): it keeps the first and
 * last points and, from each bucket, the point that spans the largest
 * triangle with its neighbours, which preserves peaks and spikes.
 */
export function lttb(points: readonly SeriesPoint[], threshold: number): SeriesPoint[] {
  if (threshold >= points.length || threshold <= 2) {
    return threshold <= 2 && points.length > 2
      ? [points[0]!, points[points.length - 1]!]
      : points.slice();
  }
  const sampled: SeriesPoint[] = [points[0]!];
  const bucketSize = (points.length - 2) / (threshold - 2);
  let anchor = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const nextStart = Math.floor((bucket + 1) * bucketSize) + 1;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, points.length);
    let averageX = 0;
    let averageY = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      averageX += points[i]!.x;
      averageY += points[i]!.y;
    }
    const nextCount = Math.max(nextEnd - nextStart, 1);
    averageX /= nextCount;
    averageY /= nextCount;

    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    const a = points[anchor]!;
    let maxArea = -1;
    let chosen = start;
    for (let i = start; i < end; i++) {
      const p = points[i]!;
      const area = Math.abs((a.x - averageX) * (p.y - a.y) - (a.x - p.x) * (averageY - a.y));
      if (area > maxArea) {
        maxArea = area;
        chosen = i;
      }
    }
    sampled.push(points[chosen]!);
    anchor = chosen;
  }
  sampled.push(points[points.length - 1]!);
  return sampled;
}

/**
 * Downsamples a series that may contain gaps to about `maxPoints` finite
 * points. Each finite segment gets a share of the budget proportional to its
 * length (at least its two end points), and segments are joined with a NaN
 * point so a line generator with `defined` leaves the gap open.
 */
export function downsample(points: readonly SeriesPoint[], maxPoints: number): SeriesPoint[] {
  const segments = finiteSegments(points);
  const finiteCount = segments.reduce((sum, segment) => sum + segment.length, 0);
  const output: SeriesPoint[] = [];
  segments.forEach((segment, index) => {
    if (index > 0) output.push({ x: segment[0]!.x, y: Number.NaN });
    if (finiteCount <= maxPoints) {
      output.push(...segment);
      return;
    }
    const share = Math.max(2, Math.round((segment.length / finiteCount) * maxPoints));
    output.push(...lttb(segment, share));
  });
  return output;
}

/** Counts the points a chart draws as numbers: finite, and positive when the scale is logarithmic. */
export function countDrawable(points: readonly SeriesPoint[], logScale: boolean): number {
  let count = 0;
  for (const point of points) {
    if (isDrawable(point.y, logScale) && Number.isFinite(point.x)) count += 1;
  }
  return count;
}

export function isDrawable(value: number, logScale: boolean): boolean {
  return Number.isFinite(value) && (!logScale || value > 0);
}
