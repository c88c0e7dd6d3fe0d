// Evaluation of the active run after its latest epoch: confusion matrix,
// per-class accuracy, and a gallery of test images with true and predicted
// labels, misclassified first.

import * as d3 from 'd3';
import { useDeferredValue, useEffect, useRef } from 'react';
import { activeRun, useAppStore } from '../../state/store';
import type { TestPrediction } from '../../training/protocol';
import { useControlAccess } from '../controls/fields';
import { useFormat, useT } from '../i18n';

const GALLERY_SIZE = 24;

/** Orders predictions misclassified first, each group by confidence (most confident first). */
export function galleryOrder(predictions: readonly TestPrediction[]): TestPrediction[] {
  return [...predictions].sort((a, b) => {
    const wrongA = a.label !== a.predicted ? 0 : 1;
    const wrongB = b.label !== b.predicted ? 0 : 1;
    if (wrongA !== wrongB) return wrongA - wrongB;
    return b.confidence - a.confidence;
  });
}

function className(names: string[], index: number): string {
  return names[index] ?? String(index);
}

function Thumbnail({ rgba, label }: { rgba: Uint8ClampedArray; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context || rgba.length !== 32 * 32 * 4) return;
    context.putImageData(new ImageData(new Uint8ClampedArray(rgba), 32, 32), 0, 0);
  }, [rgba]);
  return (
    <canvas ref={ref} width={32} height={32} className="thumbnail" role="img" aria-label={label} />
  );
}

function ConfusionMatrix({ confusion, names }: { confusion: number[][]; names: string[] }) {
  const t = useT();
  const format = useFormat();
  const max = Math.max(1, ...confusion.flat());
  const colour = d3.scaleSequential(d3.interpolateBlues).domain([0, max]);
  if (confusion.length > 20) {
    return <ConfusionCanvas confusion={confusion} />;
  }
  return (
    <div className="table-scroll">
      <table className="confusion" data-testid="confusion-matrix">
        <caption>{t('ui.eval.confusionCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('ui.eval.trueVsPredicted')}</th>
            {confusion.map((_, column) => (
              <th scope="col" key={names[column] ?? column} className="confusion__head">
                {className(names, column)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {confusion.map((row, rowIndex) => (
            <tr key={names[rowIndex] ?? rowIndex}>
              <th scope="row">{className(names, rowIndex)}</th>
              {row.map((count, column) => {
                const background = colour(count);
                const dark = d3.lab(background).l < 55;
                return (
                  <td
                    key={names[column] ?? column}
                    data-testid="confusion-cell"
                    className={rowIndex === column ? 'confusion__diagonal' : undefined}
                    style={{ background, color: dark ? '#fff' : '#111' }}
                  >
                    {format(count)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Confusion matrix for many classes (CIFAR-100), drawn on a canvas. */
function ConfusionCanvas({ confusion }: { confusion: number[][] }) {
  const t = useT();
  const ref = useRef<HTMLCanvasElement>(null);
  const size = confusion.length;
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    const max = Math.max(1, ...confusion.flat());
    const cell = 4;
    confusion.forEach((row, y) => {
      row.forEach((count, x) => {
        context.fillStyle = d3.interpolateBlues(count / max);
        context.fillRect(x * cell, y * cell, cell, cell);
      });
    });
  }, [confusion]);
  return (
    <canvas
      ref={ref}
      width={size * 4}
      height={size * 4}
      data-testid="confusion-matrix"
      role="img"
      aria-label={t('ui.eval.confusionCanvas', { classes: size })}
    />
  );
}

export function EvaluationPanel() {
  const t = useT();
  // The evaluation keeps its identity across progress events, so the panel renders at an
  // epoch's end, not at every step. Its views follow in a later render, which React can interrupt.
  const runId = useDeferredValue(useAppStore((state) => activeRun(state)?.id ?? 0));
  const evaluation = useDeferredValue(useAppStore((state) => activeRun(state)?.evaluation ?? null));
  const names = useAppStore((state) => state.classNames);
  const { hidden } = useControlAccess('evaluation');
  if (hidden) return null;

  return (
    <section
      className="card card--wide"
      aria-labelledby="eval-heading"
      data-testid="evaluation-panel"
    >
      <h2 id="eval-heading">{t('ui.eval.heading')}</h2>
      {!evaluation ? (
        <p className="run-progress__muted">{t('ui.eval.empty')}</p>
      ) : (
        <>
          <p className="card__subtitle" data-testid="eval-epoch">
            {t('ui.eval.afterEpoch', { epoch: evaluation.epoch, run: runId })}
          </p>
          <div className="eval-grid">
            <div>
              <h3 className="subheading">{t('ui.eval.confusion')}</h3>
              <ConfusionMatrix confusion={evaluation.confusion} names={names} />
            </div>
            <div>
              <h3 className="subheading">{t('ui.eval.perClass')}</h3>
              <ul className="bars" data-testid="per-class-accuracy">
                {evaluation.perClassAccuracy.map((accuracy, index) => (
                  <li key={names[index] ?? index} className="bars__row" data-testid="per-class-row">
                    <span className="bars__label">{className(names, index)}</span>
                    <span className="bars__track" aria-hidden="true">
                      <span
                        className="bars__fill"
                        style={{ width: `${Number.isFinite(accuracy) ? accuracy * 100 : 0}%` }}
                      />
                    </span>
                    <span className="bars__value">
                      {Number.isFinite(accuracy) ? `${(accuracy * 100).toFixed(1)}%` : '—'}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          </div>
          <h3 className="subheading">{t('ui.eval.gallery')}</h3>
          <p className="field__hint">{t('ui.eval.galleryHint')}</p>
          <ul className="gallery" data-testid="gallery">
            {galleryOrder(evaluation.predictions)
              .slice(0, GALLERY_SIZE)
              .map((prediction) => {
                const wrong = prediction.label !== prediction.predicted;
                const truth = className(names, prediction.label);
                const guess = className(names, prediction.predicted);
                return (
                  <li
                    key={prediction.index}
                    className={`gallery__item${wrong ? ' gallery__item--wrong' : ''}`}
                    data-testid="gallery-item"
                    data-correct={!wrong}
                  >
                    {prediction.rgba ? (
                      <Thumbnail
                        rgba={prediction.rgba}
                        label={t('ui.eval.imageLabel', { index: prediction.index })}
                      />
                    ) : (
                      <span className="thumbnail thumbnail--missing">#{prediction.index}</span>
                    )}
                    <span className="gallery__text">
                      {t('ui.eval.trueLabel', { label: truth })}
                      <br />
                      <span className={wrong ? 'gallery__wrong' : 'gallery__right'}>
                        {wrong ? '✗ ' : '✓ '}
                        {t('ui.eval.predictedLabel', {
                          label: guess,
                          confidence: (prediction.confidence * 100).toFixed(0),
                        })}
                      </span>
                    </span>
                  </li>
                );
              })}
          </ul>
        </>
      )}
    </section>
  );
}
