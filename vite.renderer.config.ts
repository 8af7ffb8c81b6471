/**
 * Vite build for the renderer (the React UI), used by `npm run build:renderer` for the serve door
 * and e2e tests. `rendererConfig` holds the pieces electron.vite.config.ts reuses for the app.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { DEV_CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from './src-shared/api/csp';
import { CHART_CSS } from './src-shared/charts/chart-styles';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Writes the app's one CSP (src-shared/api/csp.ts) into index.html; the dev server gets the relaxed dev policy. */
export function cspPlugin(): Plugin {
  let policy = META_CONTENT_SECURITY_POLICY;
  return {
    name: 'flopscope-csp',
    configResolved(config) {
      if (config.command === 'serve') policy = DEV_CONTENT_SECURITY_POLICY;
    },
    transformIndexHtml(html) {
      if (!html.includes('%FLOPSCOPE_CSP%')) throw new Error('index.html lost its %FLOPSCOPE_CSP% placeholder');
      return html.replace('%FLOPSCOPE_CSP%', policy);
    },
  };
}

/**
 * The charts' stylesheet as a CSS module (`import 'virtual:flopscope-chart-styles.css'` in main.tsx):
 * the same text a report inlines (src-shared/charts/chart-styles.ts), bundled into the app's own
 * stylesheet like any imported CSS.
 */
export function chartStylesPlugin(): Plugin {
  const id = 'virtual:flopscope-chart-styles.css';
  const resolved = `\0${id}`;
  return {
    name: 'flopscope-chart-styles',
    resolveId(source) {
      return source === id ? resolved : undefined;
    },
    load(loading) {
      return loading === resolved ? CHART_CSS : undefined;
    },
  };
}

export const rendererConfig = {
  root: path.join(here, 'src-renderer'),
  plugins: [react(), cspPlugin(), chartStylesPlugin()],
  build: {
    // Relative to root: <repo>/out/renderer, where the serve door and Electron look for it.
    outDir: '../out/renderer',
    emptyOutDir: true,
    target: 'es2022',
  },
} satisfies Pick<UserConfig, 'root' | 'plugins' | 'build'>;

export default defineConfig({
  ...rendererConfig,
  // Relative asset URLs: the same build loads from http://127.0.0.1:PORT/ and from file:// in Electron.
  base: './',
});
