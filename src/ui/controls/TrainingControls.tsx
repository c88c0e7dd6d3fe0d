// Run buttons (train, pause, resume, step, stop, reset), training settings,
// progress with images per second and ETA, and the backend in use.

import { useState } from 'react';
import { isRunLive } from '../../state/runs';
import { BACKEND_CHOICES, OPTIMIZERS, RECIPES } from '../../state/settings';
import { activeRun, useAppStore } from '../../state/store';
import type { BackendChoice, OptimizerName, RecipeName } from '../../training/protocol';
import { useT } from '../i18n';
import { BackendStatus } from './BackendStatus';
import { Field, useControlAccess } from './fields';
import { ModelPanel } from './ModelPanel';
import { useMemoryEstimate } from './Readouts';
import { RunProgress } from './RunProgress';
import { SettingNumberField } from './SettingNumberField';

export function TrainingControls() {
  const t = useT();
  const settings = useAppStore((state) => state.settings);
  const updateSettings = useAppStore((state) => state.updateSettings);
  const applyRecipe = useAppStore((state) => state.applyRecipe);
  const setLearningRate = useAppStore((state) => state.setLearningRate);
  const selectBackend = useAppStore((state) => state.selectBackend);
  // Only whether the run is live: the whole run changes at every progress event.
  const live = useAppStore((state) => isRunLive(activeRun(state)));

  return (
    <section className="card" aria-labelledby="training-heading" data-testid="training-panel">
      <h2 id="training-heading">{t('ui.training.heading')}</h2>
      <RunButtons />
      <RunProgress />
      <BackendStatus />

      <div className="field-grid">
        <Field
          control="recipe"
          label={t('ui.training.recipe')}
          hint={t(`ui.training.recipe.${settings.recipe}.hint`)}
        >
          {({ id, describedBy, locked }) => (
            <select
              id={id}
              value={settings.recipe}
              disabled={locked || live}
              aria-describedby={describedBy}
              data-testid="input-recipe"
              onChange={(event) => applyRecipe(event.target.value as RecipeName)}
            >
              {RECIPES.map((recipe) => (
                <option key={recipe} value={recipe}>
                  {t(`ui.training.recipe.${recipe}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field control="optimizer" label={t('ui.training.optimizer')}>
          {({ id, describedBy, locked }) => (
            <select
              id={id}
              value={settings.optimizer}
              disabled={locked || live}
              aria-describedby={describedBy}
              data-testid="input-optimizer"
              onChange={(event) =>
                updateSettings({ optimizer: event.target.value as OptimizerName })
              }
            >
              {OPTIMIZERS.map((optimizer) => (
                <option key={optimizer} value={optimizer}>
                  {t(`ui.training.optimizer.${optimizer}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {/* A run takes epochs, batch size and seed when it starts, so like the recipe they wait for the next run. */}
        <SettingNumberField
          field="epochs"
          disabled={live}
          label={t('ui.training.epochs')}
          value={settings.epochs}
          onValid={(epochs) => updateSettings({ epochs })}
        />
        <SettingNumberField
          field="batchSize"
          disabled={live}
          label={t('ui.training.batchSize')}
          value={settings.batchSize}
          onValid={(batchSize) => updateSettings({ batchSize })}
        />
        <SettingNumberField
          field="learningRate"
          label={t('ui.training.learningRate')}
          hint={t(live ? 'ui.training.learningRate.live' : 'ui.training.learningRate.hint')}
          value={settings.learningRate}
          step="any"
          onValid={setLearningRate}
        />
        <SettingNumberField
          field="seed"
          disabled={live}
          label={t('ui.training.seed')}
          hint={t('ui.training.seed.hint')}
          value={settings.seed}
          onValid={(seed) => updateSettings({ seed })}
        />
        <Field
          control="augment"
          label={t('ui.training.augment')}
          hint={t('ui.training.augment.hint')}
        >
          {({ id, describedBy, locked }) => (
            <input
              id={id}
              type="checkbox"
              className="switch"
              checked={settings.augment}
              disabled={locked || live}
              aria-describedby={describedBy}
              data-testid="input-augment"
              onChange={(event) => updateSettings({ augment: event.target.checked })}
            />
          )}
        </Field>
        <Field
          control="backend"
          label={t('ui.training.backend')}
          hint={t('ui.training.backend.hint')}
        >
          {({ id, describedBy, locked }) => (
            <select
              id={id}
              value={settings.backend}
              disabled={locked || live}
              aria-describedby={describedBy}
              data-testid="input-backend"
              onChange={(event) => {
                updateSettings({ backend: event.target.value as BackendChoice });
                selectBackend();
              }}
            >
              {BACKEND_CHOICES.map((backend) => (
                <option key={backend} value={backend}>
                  {t(`ui.training.backend.${backend}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ModelPanel />
    </section>
  );
}

function RunButtons() {
  const t = useT();
  const runState = useAppStore((state) => activeRun(state)?.state);
  const hasRun = runState !== undefined;
  const dataReady = useAppStore((state) => state.classNames.length > 0);
  const configInvalid = useAppStore((state) => state.configIssues.length > 0);
  const { train, pause, resume, step, stop, reset } = useAppStore.getState();
  const { overBudget } = useMemoryEstimate();
  const [confirming, setConfirming] = useState(false);
  const state = runState ?? 'idle';
  const training = state === 'training' || state === 'building';
  const paused = state === 'paused';
  const { locked: datasetLocked } = useControlAccess('dataset');

  const startTraining = () => {
    setConfirming(false);
    train();
  };

  return (
    <div className="run-buttons">
      <fieldset className="button-row">
        <legend className="visually-hidden">{t('ui.training.runControls')}</legend>
        <button
          type="button"
          className="button button--primary"
          data-testid="button-train"
          disabled={!dataReady || state === 'building'}
          onClick={() => (overBudget ? setConfirming(true) : startTraining())}
        >
          {hasRun ? t('ui.training.trainNew') : t('ui.training.train')}
        </button>
        <button
          type="button"
          className="button"
          data-testid="button-pause"
          disabled={!training}
          onClick={pause}
        >
          {t('ui.training.pause')}
        </button>
        <button
          type="button"
          className="button"
          data-testid="button-resume"
          disabled={!paused}
          onClick={resume}
        >
          {t('ui.training.resume')}
        </button>
        <button
          type="button"
          className="button"
          data-testid="button-step"
          disabled={!paused}
          onClick={step}
        >
          {t('ui.training.step')}
        </button>
        <button
          type="button"
          className="button"
          data-testid="button-stop"
          disabled={!(training || paused)}
          onClick={stop}
        >
          {t('ui.training.stop')}
        </button>
        <button
          type="button"
          className="button button--quiet"
          data-testid="button-reset"
          disabled={!hasRun}
          onClick={reset}
        >
          {t('ui.training.reset')}
        </button>
      </fieldset>
      {!dataReady && (
        <p className="field__hint" data-testid="train-needs-data">
          {t(datasetLocked ? 'ui.training.needsDataLocked' : 'ui.training.needsData')}
        </p>
      )}
      {configInvalid && (
        <p className="field__hint" data-testid="train-uses-last-valid">
          {t('ui.training.usesLastValid')}
        </p>
      )}
      {confirming && (
        <div
          className="notice notice--warning"
          role="alertdialog"
          aria-labelledby="memory-confirm"
          data-testid="memory-confirm"
        >
          <p id="memory-confirm">{t('ui.training.memoryConfirm')}</p>
          <div className="button-row">
            <button
              type="button"
              className="button button--primary"
              data-testid="button-train-anyway"
              onClick={startTraining}
            >
              {t('ui.training.trainAnyway')}
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              {t('ui.training.cancel')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
