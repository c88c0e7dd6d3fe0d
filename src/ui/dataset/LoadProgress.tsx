// Progress of the running load: a bar (by bytes when the total is known, else
// by images against the requested subset size) and both counts in words.

import { useDatasetStore } from '../../state/dataset';
import { formatBytes, useFormat, useT } from '../i18n';

export function LoadProgress() {
  const t = useT();
  const format = useFormat();
  const status = useDatasetStore((state) => state.status);
  const progress = useDatasetStore((state) => state.progress);
  const requested = useDatasetStore((state) => state.trainSize + state.testSize);
  if (status !== 'loading') return null;
  const bytesLoaded = progress?.bytesLoaded ?? 0;
  const images = progress?.images ?? 0;
  const total = progress?.bytesTotal ?? null;
  const fraction = total
    ? Math.min(1, bytesLoaded / total)
    : Math.min(1, images / Math.max(1, requested));
  return (
    <div className="dataset-progress" data-testid="dataset-progress">
      <progress
        aria-label={t('data.progress.label')}
        data-testid="dataset-progress-bar"
        max={1}
        value={progress ? fraction : undefined}
      />
      <span data-testid="dataset-progress-bytes">
        {total
          ? t('data.progress.bytes', {
              loaded: formatBytes(bytesLoaded, format),
              total: formatBytes(total, format),
            })
          : t('data.progress.bytesUnknown', { loaded: formatBytes(bytesLoaded, format) })}
      </span>
      <span data-testid="dataset-progress-images">{t('data.progress.images', { images })}</span>
    </div>
  );
}
