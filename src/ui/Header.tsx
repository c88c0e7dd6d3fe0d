// Page header: title, tagline, language switch and the share-link button.

import { useEffect, useState } from 'react';
import { LANGUAGES } from '../i18n';
import { useAppStore } from '../state/store';
import { useT } from './i18n';

export function Header() {
  const t = useT();
  const language = useAppStore((state) => state.language);
  const setLanguage = useAppStore((state) => state.setLanguage);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const title = t('app.title');

  useEffect(() => {
    document.title = title;
  }, [title]);

  const share = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
    setTimeout(() => setCopied(null), 4000);
  };

  return (
    <header className="header">
      <div className="header__titles">
        <h1 data-testid="app-title">{t('app.title')}</h1>
        <p className="header__tagline">{t('app.tagline')}</p>
      </div>
      <div className="header__actions">
        <button
          type="button"
          className="button button--quiet"
          data-testid="button-share"
          onClick={share}
        >
          {t('ui.share.button')}
        </button>
        <span role="status" className="header__status" data-testid="share-status">
          {copied === 'yes' && t('ui.share.copied')}
          {copied === 'no' && t('ui.share.failed')}
        </span>
        <fieldset className="language-switch" data-testid="language-switch">
          <legend className="visually-hidden">{t('language.label')}</legend>
          {LANGUAGES.map((option) => (
            <button
              key={option}
              type="button"
              lang={option}
              className={`button button--toggle${option === language ? ' is-active' : ''}`}
              aria-pressed={option === language}
              data-testid={`language-${option}`}
              onClick={() => setLanguage(option)}
            >
              {t(`language.${option}`)}
            </button>
          ))}
        </fieldset>
      </div>
    </header>
  );
}
