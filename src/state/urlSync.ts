// Keeps the page URL and the store in step: the link is read once at start-up
// (bad values reported and replaced by defaults), then rewritten with
// history.replaceState whenever the shareable state changes.

import { defaultConfig } from '../densenet/config';
import { configIssues } from './architecture';
import { DEFAULT_SETTINGS } from './settings';
import { DEFAULT_DATASET_LINK, useAppStore } from './store';
import { NO_TEACHER_OPTIONS } from './teacher';
import { type LinkState, parseLink, serializeLink } from './url';

export function defaultLinkState(): LinkState {
  return {
    config: defaultConfig(),
    settings: DEFAULT_SETTINGS,
    dataset: DEFAULT_DATASET_LINK,
    teacher: NO_TEACHER_OPTIONS,
    language: null,
  };
}

/** Applies the link in `search` to the store and records its problems for the banner. */
export function applyLink(search: string): void {
  const { state, issues } = parseLink(search, defaultLinkState(), configIssues);
  const store = useAppStore.getState();
  store.replaceConfig(state.config);
  useAppStore.setState({
    settings: state.settings,
    datasetLink: state.dataset,
    teacher: state.teacher,
    urlIssues: issues,
  });
  if (state.language) store.setLanguage(state.language);
}

/** Returns the query string of the store's current shareable state. */
export function currentLink(): string {
  const state = useAppStore.getState();
  return serializeLink({
    config: state.config,
    settings: state.settings,
    dataset: state.datasetLink,
    teacher: state.teacher,
    // A language taken from the browser stays out of the link, so each reader gets their own.
    language: state.languageChosen ? state.language : null,
  });
}

/** Reads the page's link into the store, then mirrors later changes into the address bar. */
export function startUrlSync(): () => void {
  applyLink(window.location.search);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let written = '';
  const write = () => {
    timer = null;
    const query = currentLink();
    if (query === written) return;
    written = query;
    const url = `${window.location.pathname}?${query}${window.location.hash}`;
    window.history.replaceState(window.history.state, '', url);
  };
  write();
  const unsubscribe = useAppStore.subscribe((state, previous) => {
    if (
      state.config === previous.config &&
      state.settings === previous.settings &&
      state.datasetLink === previous.datasetLink &&
      state.teacher === previous.teacher &&
      state.language === previous.language &&
      state.languageChosen === previous.languageChosen
    ) {
      return;
    }
    if (timer === null) timer = setTimeout(write, 150);
  });
  return () => {
    unsubscribe();
    if (timer !== null) clearTimeout(timer);
  };
}
