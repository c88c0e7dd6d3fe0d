// The loaded subset: image counts per class for train and test, and a few
// training images drawn at 32x32 and scaled up.

import { useEffect, useRef } from 'react';
import { useDatasetStore } from '../../state/dataset';
import { useT } from '../i18n';

function Thumbnail({ rgba, label }: { rgba: Uint8ClampedArray; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    context.putImageData(new ImageData(new Uint8ClampedArray(rgba), 32, 32), 0, 0);
  }, [rgba]);
  return (
    <canvas
      ref={canvas}
      width={32}
      height={32}
      role="img"
      aria-label={label}
      data-testid="dataset-sample"
    />
  );
}

export function DatasetSummary() {
  const t = useT();
  const loaded = useDatasetStore((state) => state.loaded);
  if (!loaded) return null;
  const classes = loaded.classNames.length;
  const short =
    loaded.trainCount < loaded.requestedTrain || loaded.testCount < loaded.requestedTest;
  return (
    <div data-testid="dataset-summary">
      <h3 className="subheading">{t('data.summary.heading')}</h3>
      <p data-testid="dataset-summary-counts">
        {t('data.summary.counts', {
          train: loaded.trainCount,
          test: loaded.testCount,
          classes,
          source: loaded.sourceLabel,
        })}
      </p>
      {short && (
        <p className="field__hint" data-testid="dataset-summary-short">
          {t('data.summary.short', {
            train: loaded.trainCount,
            test: loaded.testCount,
            requestedTrain: loaded.requestedTrain,
            requestedTest: loaded.requestedTest,
          })}
        </p>
      )}
      {/* Up to CIFAR-10's 10 classes the table shows every row; CIFAR-100's 100 scroll. */}
      <div className={classes > 10 ? 'dataset-counts-scroll' : undefined}>
        <table className="dataset-counts" data-testid="dataset-class-counts">
          <thead>
            <tr>
              <th scope="col">{t('data.summary.class')}</th>
              <th scope="col">{t('data.summary.trainCount')}</th>
              <th scope="col">{t('data.summary.testCount')}</th>
            </tr>
          </thead>
          <tbody>
            {loaded.classNames.map((name, index) => (
              <tr key={name} data-testid="dataset-class-row">
                <th scope="row">{name}</th>
                <td>{loaded.trainClassCounts[index] ?? 0}</td>
                <td>{loaded.testClassCounts[index] ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4>{t('data.summary.samples')}</h4>
      <ul className="dataset-samples" data-testid="dataset-samples">
        {loaded.samples.map((sample, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: samples are fixed for one loaded subset
          <li key={`${loaded.requestId}-${index}`}>
            <Thumbnail
              rgba={sample.rgba}
              label={t('data.summary.sampleAlt', {
                name: loaded.classNames[sample.label] ?? String(sample.label),
              })}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}
