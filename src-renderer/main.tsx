/**
 * Renderer entry: choose the API client (Electron bridge or HTTP with the serve token), then mount
 * the app, or the missing-token screen when neither is available.
 */
// First: zod's configuration must precede every schema the app's modules build.
import './zod-config.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ClientContext } from './api/api-context.js';
import { pickBrowserClient } from './api/client.js';
import { App } from './app.js';
import { MissingToken } from './missing-token.js';
// The charts' stylesheet (src-shared/charts/chart-styles.ts, served by vite.renderer.config.ts), then the app's.
import 'virtual:flopscope-chart-styles.css';
import './styles/app.css';

// Runs before the first render so the router never sees the `#token=…` fragment.
const choice = pickBrowserClient();
const root = createRoot(document.getElementById('root')!);

root.render(
  <StrictMode>
    {choice.kind === 'missing-token' ? (
      <MissingToken />
    ) : (
      <ClientContext.Provider value={choice.client}>
        <App />
      </ClientContext.Provider>
    )}
  </StrictMode>,
);
