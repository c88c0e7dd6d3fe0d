// The runs on the curves: colour, config, state and final test accuracy; each
// can be shown or hidden and removed.

import type { RunRecord } from '../../state/runs';
import { useAppStore } from '../../state/store';
import { useT } from '../i18n';
import { RUN_COLORS } from '../palette';

/** Returns a short label of a run's architecture, such as "#1 L=40 k=12 BC θ=0.5". */
export function runLabel(run: RunRecord): string {
  const config = run.config;
  const shape = config.blockLayers ? `[${config.blockLayers.join('-')}]` : `L=${config.depth}`;
  const variant = `${config.bottleneck ? 'B' : ''}${config.compression < 1 ? 'C' : ''}`;
  return `#${run.id} ${shape} k=${config.growthRate}${variant ? ` ${variant}` : ''} θ=${config.compression}`;
}

export function RunList() {
  const t = useT();
  const runs = useAppStore((state) => state.runs);
  const activeRunId = useAppStore((state) => state.activeRunId);
  const toggleRun = useAppStore((state) => state.toggleRun);
  const removeRun = useAppStore((state) => state.removeRun);
  if (runs.length === 0) return <p className="run-progress__muted">{t('ui.runs.none')}</p>;

  return (
    <ul className="run-list" data-testid="run-list" aria-label={t('ui.runs.heading')}>
      {runs.map((run) => {
        const last = run.epochs[run.epochs.length - 1];
        const color = RUN_COLORS[run.colorIndex % RUN_COLORS.length];
        const label = runLabel(run);
        return (
          <li
            key={run.id}
            className="run-list__item"
            data-testid="run-item"
            data-run={run.id}
            data-visible={run.visible}
          >
            <label className="inline-control">
              <input
                type="checkbox"
                checked={run.visible}
                data-testid="run-visible"
                onChange={() => toggleRun(run.id)}
                aria-label={t('ui.runs.toggle', { run: label })}
              />
              <span className="swatch" style={{ background: color }} aria-hidden="true" />
              <span className="run-list__label">{label}</span>
            </label>
            <span className="run-list__meta">
              {t('ui.runs.settings', {
                batch: run.settings.batchSize,
                lr: run.settings.learningRate,
                optimizer: t(`ui.training.optimizer.${run.settings.optimizer}`),
                epochs: run.settings.epochs,
              })}
            </span>
            <span className={`badge badge--${run.state}`}>{t(`ui.runState.${run.state}`)}</span>
            {run.id === activeRunId && <span className="badge">{t('ui.runs.active')}</span>}
            {last && (
              <span className="run-list__meta" data-testid="run-test-accuracy">
                {t('ui.runs.testAccuracy', {
                  accuracy: Number.isFinite(last.testAccuracy)
                    ? (last.testAccuracy * 100).toFixed(1)
                    : '—',
                })}
              </span>
            )}
            <button
              type="button"
              className="button button--quiet button--small"
              data-testid="run-remove"
              aria-label={t('ui.runs.remove', { run: label })}
              onClick={() => removeRun(run.id)}
            >
              ✕
            </button>
          </li>
        );
      })}
    </ul>
  );
}
