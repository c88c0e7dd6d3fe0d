// Training curves of every run on screen: loss (raw and smoothed per step,
// test loss per epoch), accuracy (per step and test per epoch) and the
// learning rate, with a log-scale toggle, a smoothing slider and hover or
// keyboard readouts. Runs are overlaid in palette colours and listed below
// with their configs, each toggled or removed there.

import { useEffect, useId, useRef, useState } from 'react';
import type { RunRecord } from '../../state/runs';
import { useAppStore } from '../../state/store';
import { type Translate, useT } from '../i18n';
import { RUN_COLORS } from '../palette';
import { type ChartOptions, type ChartSeries, LineChart } from './LineChart';
import { RunList, runLabel } from './RunList';
import { type SeriesPoint, smoothEma } from './series';

type ChartKind = 'loss' | 'accuracy' | 'learningRate';

interface SmoothCache {
  version: number;
  weight: number;
  points: SeriesPoint[];
}

const smoothCache = new Map<number, SmoothCache>();

interface PointCache {
  source: readonly unknown[];
  points: SeriesPoint[];
}

const pointCache = new Map<string, PointCache>();

/**
 * Returns the chart points of one run's series. The store appends to a run's
 * step and epoch arrays in place, so only their new entries are converted.
 * A different array (a restored run) starts over.
 */
function pointsOf<T>(
  key: string,
  source: readonly T[],
  toPoint: (entry: T) => SeriesPoint,
): SeriesPoint[] {
  let cached = pointCache.get(key);
  if (!cached || cached.source !== source || cached.points.length > source.length) {
    cached = { source, points: [] };
    pointCache.set(key, cached);
  }
  for (let i = cached.points.length; i < source.length; i++) {
    cached.points.push(toPoint(source[i]!));
  }
  return cached.points;
}

/** Drops the cached points of runs no longer in the list. */
function forgetRemovedRuns(runs: readonly RunRecord[]): void {
  const ids = new Set(runs.map((run) => String(run.id)));
  for (const key of pointCache.keys()) {
    if (!ids.has(key.slice(0, key.indexOf('-')))) pointCache.delete(key);
  }
  for (const id of smoothCache.keys()) if (!ids.has(String(id))) smoothCache.delete(id);
}

function smoothedLoss(run: RunRecord, weight: number): SeriesPoint[] {
  const cached = smoothCache.get(run.id);
  if (cached && cached.version === run.version && cached.weight === weight) return cached.points;
  const values = smoothEma(
    run.steps.map((point) => point.loss),
    weight,
  );
  const points = run.steps.map((point, index) => ({ x: point.step, y: values[index]! }));
  smoothCache.set(run.id, { version: run.version, weight, points });
  return points;
}

/** Builds the series a chart shows from the visible runs. */
export function seriesFor(
  kind: ChartKind,
  runs: RunRecord[],
  smoothing: number,
  t: Translate,
): ChartSeries[] {
  forgetRemovedRuns(runs);
  const series: ChartSeries[] = [];
  for (const run of runs) {
    if (!run.visible) continue;
    const color = RUN_COLORS[run.colorIndex % RUN_COLORS.length]!;
    const label = runLabel(run);
    const base = { runId: run.id, color, version: run.version };
    if (kind === 'loss') {
      series.push({
        ...base,
        key: `${run.id}-loss-raw`,
        label: t('ui.curves.series.trainLoss', { run: label }),
        style: smoothing > 0 ? 'raw' : 'smooth',
        points: pointsOf(`${run.id}-loss`, run.steps, (point) => ({
          x: point.step,
          y: point.loss,
        })),
        markerTestId: 'loss-point',
      });
      if (smoothing > 0) {
        series.push({
          ...base,
          key: `${run.id}-loss-smooth`,
          label: t('ui.curves.series.trainLossSmooth', { run: label }),
          style: 'smooth',
          points: smoothedLoss(run, smoothing),
        });
      }
      series.push({
        ...base,
        key: `${run.id}-loss-test`,
        label: t('ui.curves.series.testLoss', { run: label }),
        style: 'epoch',
        points: pointsOf(`${run.id}-test-loss`, run.epochs, (point) => ({
          x: point.step,
          y: point.testLoss,
        })),
        markerTestId: 'test-loss-point',
      });
    } else if (kind === 'accuracy') {
      series.push({
        ...base,
        key: `${run.id}-acc-train`,
        label: t('ui.curves.series.trainAccuracy', { run: label }),
        style: 'raw',
        points: pointsOf(`${run.id}-accuracy`, run.steps, (point) => ({
          x: point.step,
          y: point.accuracy,
        })),
      });
      series.push({
        ...base,
        key: `${run.id}-acc-test`,
        label: t('ui.curves.series.testAccuracy', { run: label }),
        style: 'epoch',
        points: pointsOf(`${run.id}-test-accuracy`, run.epochs, (point) => ({
          x: point.step,
          y: point.testAccuracy,
        })),
        markerTestId: 'test-accuracy-point',
      });
    } else {
      series.push({
        ...base,
        key: `${run.id}-lr`,
        label: t('ui.curves.series.learningRate', { run: label }),
        style: 'smooth',
        points: pointsOf(`${run.id}-lr`, run.steps, (point) => ({
          x: point.step,
          y: point.learningRate,
        })),
      });
    }
  }
  return series;
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) return value.toExponential(2);
  return value.toFixed(4).replace(/\.?0+$/, '') || '0';
}

function Chart({
  kind,
  logScale,
  smoothing,
}: {
  kind: ChartKind;
  logScale: boolean;
  smoothing: number;
}) {
  const t = useT();
  const runs = useAppStore((state) => state.runs);
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<LineChart | null>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const chart = new LineChart(container, `chart-${kind}`);
    chartRef.current = chart;
    const observer = new ResizeObserver((entries) => {
      chart.resize(Math.floor(entries[0]?.contentRect.width ?? 0));
    });
    observer.observe(container);
    chart.resize(container.clientWidth || 480);
    return () => {
      observer.disconnect();
      chart.destroy();
      chartRef.current = null;
    };
  }, [kind]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const useLog = logScale && kind !== 'accuracy';
    const options: ChartOptions = {
      title: t(`ui.curves.${kind}`),
      xLabel: t('ui.curves.step'),
      yLabel: t(`ui.curves.${kind}.axis`),
      logScale: useLog,
      formatY: formatValue,
      emptyLabel: t('ui.curves.empty'),
      readout: (series, point) =>
        t('ui.curves.readout', {
          series: series.label,
          step: point.x,
          value: Number.isFinite(point.y)
            ? formatValue(point.y)
            : t('ui.curves.notFinite', { value: String(point.y) }),
        }),
    };
    chart.update(seriesFor(kind, runs, smoothing, t), options);
  }, [runs, kind, logScale, smoothing, t]);

  return (
    <figure className="chart-figure" data-testid={`chart-figure-${kind}`}>
      <figcaption>{t(`ui.curves.${kind}`)}</figcaption>
      <div ref={containerRef} className="chart-container" />
    </figure>
  );
}

export function Curves() {
  const t = useT();
  const [logScale, setLogScale] = useState(false);
  const [smoothing, setSmoothing] = useState(0.6);
  const smoothingId = useId();
  const logId = useId();

  return (
    <section
      className="card card--wide"
      aria-labelledby="curves-heading"
      data-testid="curves-panel"
    >
      <div className="card__header">
        <h2 id="curves-heading">{t('ui.curves.heading')}</h2>
        <div className="inline-controls">
          <label htmlFor={logId} className="inline-control">
            <input
              id={logId}
              type="checkbox"
              checked={logScale}
              data-testid="input-log-scale"
              onChange={(event) => setLogScale(event.target.checked)}
            />{' '}
            {t('ui.curves.logScale')}
          </label>
          <label htmlFor={smoothingId} className="inline-control">
            {t('ui.curves.smoothing')}{' '}
            <input
              id={smoothingId}
              type="range"
              min={0}
              max={0.95}
              step={0.05}
              value={smoothing}
              data-testid="input-smoothing"
              onChange={(event) => setSmoothing(Number(event.target.value))}
            />{' '}
            <output>{smoothing.toFixed(2)}</output>
          </label>
        </div>
      </div>
      <p className="card__subtitle">{t('ui.curves.hint')}</p>
      <div className="charts-grid">
        <Chart kind="loss" logScale={logScale} smoothing={smoothing} />
        <Chart kind="accuracy" logScale={logScale} smoothing={smoothing} />
        <Chart kind="learningRate" logScale={logScale} smoothing={smoothing} />
      </div>
      <RunList />
    </section>
  );
}
