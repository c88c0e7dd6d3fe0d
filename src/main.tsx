// Entry point: reads the link into the store, connects the store to the
// training worker and renders the app.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectWorker, useAppStore } from './state/store';
import { startUrlSync } from './state/urlSync';
import { App } from './ui/App';
import './ui/styles.css';

startUrlSync();
connectWorker();
document.documentElement.lang = useAppStore.getState().language;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
