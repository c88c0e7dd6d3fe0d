// Progress of the active run: state, step and epoch, a progress bar, images
// per second (labelled as the last rate once the run stops training), ETA, and
// the run's error translated from its code.

import { throughputReadout } from '../../state/runs';
import { activeRun, useAppStore } from '../../state/store';
import { useFormat, useT } from '../i18n';
import { ErrorDescription } from './ErrorDescription';

export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  const mm = String(minutes).padStart(hours > 0 ? 2 : 1, '0');
  const ss = String(rest).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function RunProgress() {
  const t = useT();
  const format = useFormat();
  const run = useAppStore(activeRun);
  const notice = useAppStore((state) => state.notice);
  if (!run) {
    return notice ? (
      <p className="notice notice--error" role="alert">
        {t(notice.key, notice.params)}
      </p>
    ) : null;
  }
  const last = run.steps[run.steps.length - 1];
  const totalSteps = run.stepsPerEpoch ? run.stepsPerEpoch * run.settings.epochs : null;
  const step = last?.step ?? 0;
  const throughput = throughputReadout(run);

  return (
    <div className="run-progress" data-testid="run-progress" data-run-state={run.state}>
      <p className="run-progress__line">
        <span className={`badge badge--${run.state}`} data-testid="run-state">
          {t(`ui.runState.${run.state}`)}
        </span>{' '}
        <span data-testid="run-step">
          {t('ui.progress.step', { step, total: totalSteps ?? '?' })}
        </span>
        {' · '}
        <span>
          {t('ui.progress.epoch', { epoch: last?.epoch ?? 0, total: run.settings.epochs })}
        </span>
      </p>
      {totalSteps !== null && (
        <progress
          className="progress"
          max={totalSteps}
          value={Math.min(step, totalSteps)}
          aria-label={t('ui.progress.label')}
        />
      )}
      <p className="run-progress__line run-progress__muted">
        {throughput && (
          <span data-testid="images-per-second" data-live={throughput.live}>
            {t(
              throughput.live ? 'ui.progress.imagesPerSecond' : 'ui.progress.imagesPerSecondLast',
              {
                rate: format(Math.round(throughput.imagesPerSecond * 10) / 10),
              },
            )}
          </span>
        )}
        {run.state === 'training' && run.etaSeconds !== null && Number.isFinite(run.etaSeconds) && (
          <span data-testid="eta">{` · ${t('ui.progress.eta', { time: formatDuration(run.etaSeconds) })}`}</span>
        )}
        {run.memory && (
          <span>{` · ${t('ui.progress.tensors', { count: run.memory.numTensors })}`}</span>
        )}
      </p>
      {run.error && (
        <p className="notice notice--error" role="alert" data-testid="run-error">
          <ErrorDescription error={run.error} />
        </p>
      )}
    </div>
  );
}
