// Saving the active run's model (TF.js files, downloaded), checkpoints in
// this browser's IndexedDB, restoring one as a new paused run, and an
// evaluation on the test subset on demand.

import { useEffect } from 'react';
import { isRunLive } from '../../state/runs';
import { activeRun, useAppStore } from '../../state/store';
import { useT } from '../i18n';

function downloadFile(name: string, data: ArrayBuffer): void {
  const url = URL.createObjectURL(new Blob([data]));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ModelPanel() {
  const t = useT();
  // The worker keeps a run's model while it trains or pauses and after it stops or finishes.
  // A failed or diverged run leaves nothing worth saving.
  const savable = useAppStore((state) => {
    const runState = activeRun(state)?.state;
    return (
      runState === 'training' ||
      runState === 'paused' ||
      runState === 'stopped' ||
      runState === 'done'
    );
  });
  const live = useAppStore((state) => isRunLive(activeRun(state)));
  const checkpoints = useAppStore((state) => state.checkpoints);
  const savedModel = useAppStore((state) => state.savedModel);
  const {
    saveModel,
    checkpoint,
    listCheckpoints,
    restoreCheckpoint,
    evaluateNow,
    clearSavedModel,
  } = useAppStore.getState();

  useEffect(() => {
    listCheckpoints();
  }, [listCheckpoints]);

  useEffect(() => {
    if (!savedModel) return;
    for (const file of savedModel.files) downloadFile(file.name, file.data);
    clearSavedModel();
  }, [savedModel, clearSavedModel]);

  return (
    <div className="model-panel" data-testid="model-panel">
      <h3 className="subheading">{t('ui.model.heading')}</h3>
      <div className="button-row">
        <button
          type="button"
          className="button"
          data-testid="button-evaluate"
          disabled={!live}
          onClick={evaluateNow}
        >
          {t('ui.model.evaluate')}
        </button>
        <button
          type="button"
          className="button"
          data-testid="button-save-model"
          disabled={!savable}
          onClick={saveModel}
        >
          {t('ui.model.save')}
        </button>
        <button
          type="button"
          className="button"
          data-testid="button-checkpoint"
          disabled={!live}
          onClick={checkpoint}
        >
          {t('ui.model.checkpoint')}
        </button>
      </div>
      {checkpoints.length === 0 ? (
        <p className="field__hint">{t('ui.model.noCheckpoints')}</p>
      ) : (
        <ul className="checkpoint-list" data-testid="checkpoint-list">
          {checkpoints.map((entry) => (
            <li key={entry.checkpointId} data-testid="checkpoint-item">
              <span>
                {t('ui.model.checkpointLabel', {
                  run: entry.runId,
                  step: entry.step,
                  epoch: entry.epoch,
                  time: new Date(entry.savedAt).toLocaleTimeString(),
                })}
              </span>
              <button
                type="button"
                className="button button--quiet button--small"
                data-testid="checkpoint-restore"
                onClick={() => restoreCheckpoint(entry.checkpointId)}
              >
                {t('ui.model.restore')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
