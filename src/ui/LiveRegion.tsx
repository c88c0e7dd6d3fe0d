// A polite live region that announces each epoch's test results to screen
// readers, in the current language.

import { useAppStore } from '../state/store';
import { useT } from './i18n';

export function LiveRegion() {
  const t = useT();
  const announcement = useAppStore((state) => state.announcement);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" data-testid="live-region">
      {announcement ? t(announcement.key, announcement.params) : ''}
    </div>
  );
}
