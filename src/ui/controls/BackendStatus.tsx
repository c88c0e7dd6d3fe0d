// The backend the worker uses, why it fell back when it did, and the
// "measure backends" action that times each available backend on this config.

import { isRunLive } from '../../state/runs';
import { BACKEND_CHOICES } from '../../state/settings';
import { activeRun, useAppStore } from '../../state/store';
import { workerChannel } from '../../state/worker';
import { useFormat, useT } from '../i18n';
import { ErrorDescription } from './ErrorDescription';

/** Every backend the measurement may time, listed even when one is unavailable here. */
const MEASURED_BACKENDS = BACKEND_CHOICES.filter((choice) => choice !== 'auto');

export function BackendStatus() {
  const t = useT();
  const format = useFormat();
  const backend = useAppStore((state) => state.backend);
  const measurements = useAppStore((state) => state.backendMeasurements);
  const measuring = useAppStore((state) => state.backendMeasuring !== null);
  const measureError = useAppStore((state) => state.backendMeasureError);
  const hiddenBackend = useAppStore((state) => state.teacher.hidden.includes('backend'));
  // Measuring switches backends, which would end a live run, so it waits as the backend menu does.
  const live = useAppStore((state) => isRunLive(activeRun(state)));
  // The measurement switches the backend without a fallback, so the earlier explanation is kept.
  const before = measurements?.selectedBefore ?? null;

  const measure = () => {
    const { config, settings } = useAppStore.getState();
    const requestId = Date.now();
    // Until the worker responds, the button stays disabled, so clicks do not queue measurements.
    useAppStore.setState({ backendMeasuring: requestId, backendMeasureError: null });
    workerChannel().post({
      type: 'measure-backends',
      requestId,
      config,
      batchSize: settings.batchSize,
    });
  };

  return (
    <div className="backend-status" data-testid="backend-status">
      <p>
        {t('ui.backend.inUse')}{' '}
        <strong data-testid="backend-label">
          {backend ? backend.backend : t('ui.backend.notStarted')}
        </strong>
        {backend && backend.threads > 1 && (
          <span className="run-progress__muted" data-testid="backend-threads">
            {' '}
            {t('ui.backend.threads', { threads: backend.threads })}
          </span>
        )}
        {backend?.backend === 'wasm' && backend.fusedMultiplyAdd && (
          <span className="run-progress__muted" data-testid="backend-fma">
            {' '}
            {t('ui.backend.fusedMultiplyAdd')}
          </span>
        )}
      </p>
      {backend?.backend === 'wasm' && !backend.fusedMultiplyAdd && (
        <p className="notice notice--info" data-testid="backend-no-relaxed-simd">
          {t('backend.wasmNoRelaxedSimd')}
        </p>
      )}
      {backend?.backend === 'wasm' && !backend.crossOriginIsolated && (
        <p className="notice notice--info" data-testid="backend-single-thread">
          {t('backend.wasmSingleThread')}
        </p>
      )}
      {backend?.fallbackFrom && (
        <p className="notice notice--info" data-testid="backend-fallback">
          {t('ui.backend.fallback', { from: backend.fallbackFrom, to: backend.backend })}{' '}
          {backend.reason && (
            <span data-testid="backend-fallback-reason">
              <ErrorDescription error={backend.reason} />
            </span>
          )}
        </p>
      )}
      {backend?.attempts.some((step) => step.backend !== backend.fallbackFrom) && (
        <div className="notice notice--info" data-testid="backend-attempts">
          {t('ui.backend.alsoTried')}
          <ul>
            {backend.attempts
              .filter((step) => step.backend !== backend.fallbackFrom)
              .map((step) => (
                <li key={step.backend} data-backend={step.backend}>
                  <strong>{step.backend}</strong>: <ErrorDescription error={step.reason} />
                </li>
              ))}
          </ul>
        </div>
      )}
      {!backend?.fallbackFrom && backend?.reason && (
        <p className="notice notice--info" data-testid="backend-reason">
          <ErrorDescription error={backend.reason} />
        </p>
      )}
      {!hiddenBackend && (
        <div className="backend-measure" data-testid="backend-measure-slot">
          <button
            type="button"
            className="button button--quiet"
            data-testid="button-measure-backends"
            disabled={live || measuring}
            onClick={measure}
          >
            {t('ui.backend.measure')}
          </button>
          {measuring && (
            <span className="run-progress__muted" role="status" data-testid="backend-measuring">
              {' '}
              {t('ui.backend.measuring')}
            </span>
          )}
          {measureError && (
            <p className="notice notice--error" data-testid="backend-measure-error">
              <ErrorDescription error={measureError} />
            </p>
          )}
          {measurements && (
            <ul className="inline-list" data-testid="backend-measurements">
              {MEASURED_BACKENDS.map((name) => {
                const rate = measurements.imagesPerSecond[name];
                return (
                  <li key={name} data-backend={name}>
                    {name}:{' '}
                    {rate === undefined
                      ? t('ui.backend.unavailable')
                      : t('ui.progress.imagesPerSecond', {
                          rate: format(Math.round(rate * 10) / 10),
                        })}
                    {name === measurements.chosen ? ` (${t('ui.backend.chosen')})` : ''}
                  </li>
                );
              })}
            </ul>
          )}
          {before && (before.fallbackFrom || before.reason) && !backend?.fallbackFrom && (
            <p className="notice notice--info" data-testid="backend-fallback-before">
              {t('ui.backend.beforeMeasuring')}{' '}
              {before.fallbackFrom &&
                t('ui.backend.fallback', { from: before.fallbackFrom, to: before.backend })}{' '}
              {before.reason && <ErrorDescription error={before.reason} />}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
