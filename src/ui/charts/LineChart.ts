// An imperative D3 line chart that updates incrementally. Axes are redrawn
// only when a domain changes; domains are rounded up with headroom so that
// most new points change nothing but their own path. While a series is short
// enough to draw in full, new points are appended to its path's `d` string.
// Once it is longer than the point budget, it is downsampled (LTTB) and
// redrawn. Non-finite values, and non-positive ones on a log scale, are gaps.

import * as d3 from 'd3';
import { countDrawable, downsample, isDrawable, type SeriesPoint } from './series';

export interface ChartSeries {
  key: string;
  runId: number;
  label: string;
  color: string;
  /** 'raw' draws a thin line, 'smooth' a thick one, 'epoch' a dashed line with dots. */
  style: 'raw' | 'smooth' | 'epoch';
  points: SeriesPoint[];
  /** Changes whenever `points` changes. */
  version: number;
  /** data-testid of the series' point markers, such as 'loss-point'; none when absent. */
  markerTestId?: string;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logScale: boolean;
  /** Formats a y value for the hover readout. */
  formatY(value: number): string;
  /** Words the readout line of one series at one x. */
  readout(series: ChartSeries, point: SeriesPoint): string;
  emptyLabel: string;
}

interface DrawnSeries {
  path: SVGPathElement;
  markers: SVGGElement | null;
  version: number;
  /** Points of `series.points` already in the path when it was drawn in full; -1 once downsampled. */
  drawnCount: number;
  domainKey: string;
  lastDefined: boolean;
}

const MARGIN = { top: 12, right: 16, bottom: 36, left: 58 };
const MAX_POINTS = 600;
const MAX_MARKERS = 300;

/** Rounds `value` up to 1, 2 or 5 times a power of ten, so domains grow in steps. */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

export class LineChart {
  private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly plot: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly xAxis: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly yAxis: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly seriesGroup: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly cursor: d3.Selection<SVGLineElement, unknown, null, undefined>;
  private readonly tooltip: d3.Selection<HTMLDivElement, unknown, null, undefined>;
  private readonly empty: d3.Selection<SVGTextElement, unknown, null, undefined>;
  private readonly drawn = new Map<string, DrawnSeries>();
  private x = d3.scaleLinear();
  private y: d3.ScaleContinuousNumeric<number, number> = d3.scaleLinear();
  private domainKey = '';
  private series: ChartSeries[] = [];
  private options: ChartOptions | null = null;
  private width = 0;
  private height = 0;
  private cursorX: number | null = null;
  /** Full redraws since creation; the bench and tests read it to check incremental updates. */
  fullRedraws = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly testId: string,
    height = 220,
  ) {
    this.height = height;
    const root = d3.select(container).classed('chart', true);
    this.svg = root
      .append('svg')
      .attr('class', 'chart__svg')
      .attr('data-testid', testId)
      .attr('tabindex', 0)
      .attr('role', 'img');
    this.plot = this.svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
    this.xAxis = this.plot.append('g').attr('class', 'chart__axis chart__axis--x');
    this.yAxis = this.plot.append('g').attr('class', 'chart__axis chart__axis--y');
    this.seriesGroup = this.plot.append('g').attr('class', 'chart__series');
    this.cursor = this.plot.append('line').attr('class', 'chart__cursor').style('display', 'none');
    this.empty = this.plot
      .append('text')
      .attr('class', 'chart__empty')
      .attr('text-anchor', 'middle');
    this.tooltip = root
      .append('div')
      .attr('class', 'chart__tooltip')
      .attr('data-testid', `${testId}-readout`)
      .style('display', 'none');

    this.plot
      .append('rect')
      .attr('class', 'chart__overlay')
      .on('pointermove', (event: PointerEvent) => {
        const [px] = d3.pointer(event);
        this.showReadout(this.x.invert(px));
      })
      .on('pointerleave', () => this.hideReadout());
    this.svg.on('keydown', (event: KeyboardEvent) => this.onKey(event));
    this.svg.on('blur', () => this.hideReadout());
  }

  resize(width: number): void {
    if (Math.abs(width - this.width) < 2) return;
    this.width = width;
    this.domainKey = '';
    if (this.options) this.update(this.series, this.options);
  }

  private innerWidth(): number {
    return Math.max(this.width - MARGIN.left - MARGIN.right, 40);
  }

  private innerHeight(): number {
    return this.height - MARGIN.top - MARGIN.bottom;
  }

  update(series: ChartSeries[], options: ChartOptions): void {
    this.series = series;
    this.options = options;
    const width = this.innerWidth();
    const height = this.innerHeight();
    this.svg
      .attr('width', this.width)
      .attr('height', this.height)
      .attr('aria-label', `${options.title}. ${options.yLabel} / ${options.xLabel}`);
    this.plot.select('.chart__overlay').attr('width', width).attr('height', height);

    const domainChanged = this.updateDomains(series, options.logScale, width, height);
    if (domainChanged) {
      this.fullRedraws += 1;
      this.svg.attr('data-full-redraws', this.fullRedraws);
      this.drawAxes(options, width, height);
    }

    const keys = new Set(series.map((entry) => entry.key));
    for (const [key, drawn] of this.drawn) {
      if (!keys.has(key)) {
        drawn.path.remove();
        drawn.markers?.remove();
        this.drawn.delete(key);
      }
    }
    for (const entry of series) this.drawSeries(entry, options.logScale);

    const drawableTotal = series.reduce(
      (sum, entry) => sum + countDrawable(entry.points, options.logScale),
      0,
    );
    this.empty
      .attr('x', width / 2)
      .attr('y', height / 2)
      .text(drawableTotal === 0 ? options.emptyLabel : '');
    if (this.cursorX !== null) this.showReadout(this.cursorX);
  }

  private updateDomains(
    series: ChartSeries[],
    logScale: boolean,
    width: number,
    height: number,
  ): boolean {
    let maxX = 0;
    let minY = Number.POSITIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (const entry of series) {
      for (const point of entry.points) {
        if (!Number.isFinite(point.x) || !isDrawable(point.y, logScale)) continue;
        if (point.x > maxX) maxX = point.x;
        if (point.y < minY) minY = point.y;
        if (point.y > maxY) maxY = point.y;
      }
    }
    const xMax = niceCeil(Math.max(maxX, 1));
    let yDomain: [number, number];
    if (!Number.isFinite(minY)) yDomain = logScale ? [0.01, 10] : [0, 1];
    else if (logScale) {
      yDomain = [10 ** Math.floor(Math.log10(minY)), 10 ** Math.ceil(Math.log10(maxY * 1.0001))];
    } else {
      const lower = minY >= 0 ? 0 : -niceCeil(-minY);
      yDomain = [lower, niceCeil(maxY <= 0 ? 1 : maxY * 1.05)];
    }
    const key = `${width}|${height}|${logScale}|${xMax}|${yDomain.join(',')}`;
    if (key === this.domainKey) return false;
    this.domainKey = key;
    this.x = d3.scaleLinear().domain([0, xMax]).range([0, width]);
    this.y = (logScale ? d3.scaleLog() : d3.scaleLinear()).domain(yDomain).range([height, 0]);
    return true;
  }

  private drawAxes(options: ChartOptions, width: number, height: number): void {
    this.xAxis
      .attr('transform', `translate(0,${height})`)
      .call(d3.axisBottom(this.x).ticks(Math.max(2, Math.floor(width / 80))));
    this.yAxis.call(d3.axisLeft(this.y).ticks(5, options.logScale ? '~g' : undefined));
    this.xAxis
      .selectAll('.chart__label')
      .data([options.xLabel])
      .join('text')
      .attr('class', 'chart__label')
      .attr('x', width)
      .attr('y', 30)
      .attr('text-anchor', 'end')
      .text((label) => label);
    this.yAxis
      .selectAll('.chart__label')
      .data([options.yLabel])
      .join('text')
      .attr('class', 'chart__label')
      .attr('transform', 'rotate(-90)')
      .attr('x', 0)
      .attr('y', -44)
      .attr('text-anchor', 'end')
      .text((label) => label);
  }

  private drawSeries(entry: ChartSeries, logScale: boolean): void {
    let drawn = this.drawn.get(entry.key);
    if (!drawn) {
      const path = this.seriesGroup
        .append('path')
        .attr('class', `chart__line chart__line--${entry.style}`)
        .attr('data-testid', `${this.testId}-line`)
        .attr('data-series', entry.key)
        .attr('data-run', entry.runId)
        .node()!;
      const markers = entry.markerTestId
        ? this.seriesGroup
            .append('g')
            .attr('class', `chart__markers chart__markers--${entry.style}`)
            .node()!
        : null;
      drawn = { path, markers, version: -1, drawnCount: 0, domainKey: '', lastDefined: false };
      this.drawn.set(entry.key, drawn);
    }
    const path = d3.select(drawn.path).attr('stroke', entry.color);
    if (drawn.version === entry.version && drawn.domainKey === this.domainKey) return;

    const x = this.x;
    const y = this.y;
    const defined = (point: SeriesPoint) =>
      Number.isFinite(point.x) && isDrawable(point.y, logScale);
    const canAppend =
      drawn.domainKey === this.domainKey &&
      drawn.drawnCount > 0 &&
      entry.points.length > drawn.drawnCount &&
      entry.points.length <= MAX_POINTS;

    let markerPoints: SeriesPoint[];
    if (canAppend) {
      // Append only the new points to the existing path data.
      let d = drawn.path.getAttribute('d') ?? '';
      let previousDefined = drawn.lastDefined;
      for (let i = drawn.drawnCount; i < entry.points.length; i++) {
        const point = entry.points[i]!;
        if (!defined(point)) {
          previousDefined = false;
          continue;
        }
        d += `${previousDefined ? 'L' : 'M'}${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`;
        previousDefined = true;
      }
      drawn.path.setAttribute('d', d);
      drawn.lastDefined = previousDefined;
      drawn.drawnCount = entry.points.length;
      markerPoints = entry.points;
    } else {
      const sampled =
        entry.points.length > MAX_POINTS ? downsample(entry.points, MAX_POINTS) : entry.points;
      const line = d3
        .line<SeriesPoint>()
        .defined(defined)
        .x((point) => x(point.x))
        .y((point) => y(point.y))
        .digits(1);
      drawn.path.setAttribute('d', line(sampled) ?? '');
      const last = sampled[sampled.length - 1];
      drawn.lastDefined = last !== undefined && defined(last);
      drawn.drawnCount = entry.points.length > MAX_POINTS ? -1 : entry.points.length;
      markerPoints = sampled;
    }
    const drawnPoints =
      drawn.drawnCount === -1 ? downsample(entry.points, MAX_POINTS) : entry.points;
    path
      .attr('data-point-count', countDrawable(drawnPoints, logScale))
      .attr('data-finite-count', countDrawable(entry.points, logScale))
      .attr('data-total-count', entry.points.length);

    if (drawn.markers && entry.markerTestId) {
      const shown = (
        markerPoints.length > MAX_MARKERS ? downsample(markerPoints, MAX_MARKERS) : markerPoints
      ).filter(defined);
      const sameDomain = drawn.domainKey === this.domainKey;
      const circles = d3
        .select(drawn.markers)
        .attr('fill', entry.color)
        .selectAll<SVGCircleElement, SeriesPoint>('circle')
        .data(shown, (point) => String(point.x));
      circles.exit().remove();
      const entered = circles
        .enter()
        .append('circle')
        .attr('r', entry.style === 'epoch' ? 3.5 : 1.6)
        .attr('data-testid', entry.markerTestId)
        .attr('data-run', entry.runId);
      const positioned = sameDomain ? entered : entered.merge(circles);
      positioned
        .attr('cx', (point) => x(point.x).toFixed(1))
        .attr('cy', (point) => y(point.y).toFixed(1));
    }
    drawn.version = entry.version;
    drawn.domainKey = this.domainKey;
  }

  private nearestX(target: number): number | null {
    let best: number | null = null;
    for (const entry of this.series) {
      const index = d3.bisector((point: SeriesPoint) => point.x).center(entry.points, target);
      const point = entry.points[index];
      if (point && (best === null || Math.abs(point.x - target) < Math.abs(best - target)))
        best = point.x;
    }
    return best;
  }

  private showReadout(targetX: number): void {
    const options = this.options;
    if (!options) return;
    const x = this.nearestX(targetX);
    if (x === null) {
      this.hideReadout();
      return;
    }
    this.cursorX = x;
    const lines: string[] = [];
    for (const entry of this.series) {
      const index = d3.bisector((point: SeriesPoint) => point.x).center(entry.points, x);
      const point = entry.points[index];
      if (!point || Math.abs(point.x - x) > Math.max(1, (this.x.domain()[1] ?? 1) / 200)) continue;
      lines.push(options.readout(entry, point));
    }
    const px = this.x(x);
    this.cursor
      .style('display', null)
      .attr('x1', px)
      .attr('x2', px)
      .attr('y1', 0)
      .attr('y2', this.innerHeight());
    this.tooltip
      .style('display', lines.length > 0 ? 'block' : 'none')
      .style('left', `${Math.min(px + MARGIN.left + 12, this.width - 180)}px`)
      .style('top', `${MARGIN.top}px`)
      .selectAll('p')
      .data(lines)
      .join('p')
      .text((line) => line);
  }

  private hideReadout(): void {
    this.cursorX = null;
    this.cursor.style('display', 'none');
    this.tooltip.style('display', 'none');
  }

  private onKey(event: KeyboardEvent): void {
    const xs = [
      ...new Set(this.series.flatMap((entry) => entry.points.map((point) => point.x))),
    ].sort((a, b) => a - b);
    if (xs.length === 0) return;
    const current = this.cursorX === null ? -1 : xs.indexOf(this.cursorX);
    let next = current;
    if (event.key === 'ArrowRight') next = Math.min(current + 1, xs.length - 1);
    else if (event.key === 'ArrowLeft') next = Math.max(current - 1, 0);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = xs.length - 1;
    else if (event.key === 'Escape') {
      this.hideReadout();
      return;
    } else return;
    event.preventDefault();
    this.showReadout(xs[next]!);
  }

  destroy(): void {
    d3.select(this.container).selectAll('*').remove();
  }
}
