// A worker or data error: its translated sentence, then its raw technical
// detail on a separate, smaller line.

import type { UserFacingError } from '../../training/protocol';
import { describeError } from '../errorText';
import { useT } from '../i18n';

export function ErrorDescription({ error }: { error: UserFacingError }) {
  const t = useT();
  const { message, technicalDetail } = describeError(t, error);
  return (
    <>
      {message}
      {technicalDetail && (
        <span className="technical-detail" data-testid="technical-detail">
          {technicalDetail}
        </span>
      )}
    </>
  );
}
