// Entry point: reads the link into the store, connects the store to the
// training worker and renders the app.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createRun } from './state/runs';
import { connectWorker, useAppStore } from './state/store';
import { startUrlSync } from './state/urlSync';
import { App } from './ui/App';
import './ui/styles.css';

// Test hook: with `?testHooks` in the link the page exposes its store, so browser tests and
// benchmarks can feed worker events to the charts without training a network first.
if (new URLSearchParams(window.location.search).has('testHooks')) {
  Object.assign(window, { __playground: { store: useAppStore, createRun } });
}

startUrlSync();
connectWorker();
// Ask for the backend now, so the page names it (and any fallback) before the first run.
useAppStore.getState().selectBackend();
document.documentElement.lang = useAppStore.getState().language;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
