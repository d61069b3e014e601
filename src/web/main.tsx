import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from './app/Root.tsx';
import { i18nReady } from './i18n/index.ts';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
// The first paint waits for the English texts when English was chosen before (Chinese comes with the page).
void i18nReady.then(() =>
  createRoot(container).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  ),
);

// Only a production build has /sw.js (src/web/sw/plugin.ts): the dev server must keep serving fresh modules.
// Browsers offer service workers on https and on localhost only; elsewhere the console simply needs a network.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch((error: unknown) => {
      console.warn('service worker not registered', error);
    });
  });
}
