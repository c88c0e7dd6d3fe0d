// Banner listing the link's bad parameters: each names the parameter, the
// value, what is allowed and the default used instead.

import { catalogues } from '../i18n';
import { useAppStore } from '../state/store';
import { useT } from './i18n';

export function UrlBanner() {
  const t = useT();
  const issues = useAppStore((state) => state.urlIssues);
  const setUrlIssues = useAppStore((state) => state.setUrlIssues);
  if (issues.length === 0) return null;
  return (
    <div className="banner banner--warning" role="alert" data-testid="url-banner">
      <p className="banner__title">{t('ui.url.bannerTitle', { count: issues.length })}</p>
      <ul>
        {issues.map((issue) => (
          <li
            key={`${issue.parameter}-${issue.value}`}
            data-testid="url-issue"
            data-parameter={issue.parameter}
          >
            {t('ui.url.issue', {
              parameter: issue.parameter,
              value: issue.value,
              allowed:
                issue.allowed.key in catalogues.en
                  ? t(issue.allowed.key, issue.allowed.params)
                  : issue.allowed.key,
              fallback: issue.fallback === '' ? t('ui.url.nothing') : issue.fallback,
            })}
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="button button--quiet"
        data-testid="url-banner-dismiss"
        onClick={() => setUrlIssues([])}
      >
        {t('ui.url.dismiss')}
      </button>
    </div>
  );
}
